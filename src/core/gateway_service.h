#pragma once
// GatewayService: the one API every way in calls (HTTP API v2, SOAP, SMPP
// server, FTP and SQL ingest, the panel, `bramka admin`). It authenticates,
// validates, prices, reserves balance and stores; adapters only translate
// their wire format to these calls and the answers back.
//
// Thread-safety: every method may be called from any thread concurrently.
// Errors carry an ErrorCode and a core::Failure in Error::detail.
//
// Durability: SubmitAsync's callback reports success only after the messages
// and the balance charge are committed to the Store.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "core/accounts.h"
#include "core/failure.h"
#include "core/login_throttle.h"
#include "core/media.h"
#include "sms/phone.h"
#include "store/store.h"

namespace bramka::core {

// Who is calling, once authenticated.
struct Caller {
  store::AccountId account_id = 0;
  std::string account_name;
};

enum class SubmitKind { kSms, kVoice, kMms };

struct SubmitRequest {
  std::vector<std::string> phones;  // as the client wrote them
  // Either one text for every recipient, or (personalised) one per phone.
  std::string text;
  std::vector<std::string> texts;     // empty, or phones.size() entries
  std::optional<std::string> sender;  // absent or empty: ECO
  SubmitKind kind = SubmitKind::kSms;
  bool utf = false;
  bool flash = false;
  bool speed = false;
  bool test = false;  // validate and answer, store and send nothing
  std::optional<SystemTime> schedule;
  std::vector<std::string> unique_ids;  // empty, or one per phone
  std::string source = "http";
  std::string dlr_url;
  // SMPP submits (api/smpp): the SmppUser whose receiver/transceiver binds get the
  // deliver_sm receipt, and the submit_sm's registered_delivery (0 = no receipt).
  int64_t smpp_user_id = 0;
  uint8_t smpp_registered_delivery = 0;
  // Address book recipients (spec §4.1 group_id/contact_id): every contact of
  // these groups and these contacts of the caller's account, added after
  // `phones`; a number that appears more than once is sent once. An unknown
  // id is Failure::kInvalidId naming it. With personalised `texts`, the
  // added recipients get `text`.
  std::vector<int64_t> group_ids;
  std::vector<int64_t> contact_ids;
  // ---- media (send_mms, send_voice with a file) ----
  std::string title;                      // kMms: the subject, at most 40 characters
  std::vector<std::string> file_ids;      // kMms: files/* ids; kVoice: one voice WAV id
  std::vector<std::string> inline_files;  // kMms: file contents sent with the request
  // ---- inbound (docs/adr/0011) ----
  // Set by core only (premium/send): `sender` is the account's own number of
  // the plan and needs no approval.
  bool sender_is_own_number = false;
};

struct SubmitItem {
  std::string id;     // empty for unsent items
  std::string phone;  // normalised when valid, else as given
  bool queued = false;
  int parts = 0;
  std::string text;  // as it will be sent
  std::string unique_id;
  Failure failure = Failure::kNone;  // for unsent items
  std::string error_message;
  int64_t queued_ms = 0;
};

struct SubmitResult {
  int queued = 0;
  int unsent = 0;
  int64_t stat_id = 0;
  std::vector<SubmitItem> items;  // one per recipient, in request order
};

// An operator's sale of units to an account (billing.cc): an invoice is issued and the
// units credited at once; the customer pays it now (`paid`) or within `due_days`.
struct TopUpOrder {
  std::string account;
  store::MessageType type = store::MessageType::kFull;
  int64_t units = 0;
  int64_t gross_grosze = 0;  // the price with VAT, what the customer pays
  bool paid = true;
  int due_days = 14;
  std::string note;
};

struct DeleteResult {
  int correct = 0;
  int failed = 0;
};

// An authenticated SMPP bind: the account it acts for and the login's limits.
struct SmppLogin {
  Caller caller;
  store::SmppUser user;
};

// Limits and knobs core applies, from the config file.
struct CoreOptions {
  int max_recipients = 100'000;
  int max_personalized = 10'000;
  std::string default_region = "PL";
  // How long a verified username/password pair is remembered, so that
  // clients sending credentials with every request do not pay argon2id each time.
  std::chrono::seconds credential_cache_ttl{300};
  // Personalises the message-id permutation of this installation.
  uint64_t id_key = 0x6272616d6b61ULL;
  // ---- media ----
  MediaOptions media;
  // VAT added to top-up prices on invoices (billing.cc).
  int vat_percent = 23;
  // ---- accounts area (docs/adr/0008) ----
  LoginThrottleOptions login_throttle;
  OperatorContact operator_contact;                   // account/help
  std::vector<std::string> predefined_senders;        // any account may send with these
  std::vector<std::string> demo_accounts = {"demo"};  // account/add answers 4312 to these
  // ---- reliability: SSRF on callback URLs (ADR 0025) ----
  bool allow_private_callback_urls = false;  // [notify] allow_private_urls
};

// ---- address book (core/address_book.cc) ----
// A contact as the API shows it: with the names of its groups (aligned with
// contact.group_ids) and whether its number is on the blacklist.
struct ContactView {
  store::Contact contact;
  std::vector<std::string> group_names;
  bool blacklisted = false;
};
struct ContactList {
  std::vector<ContactView> items;
  int64_t total = 0;
};
// contacts/edit: the fields to change (absent = keep).
struct ContactEdit {
  std::optional<std::string> phone, email, company, first_name, last_name, tax_id, address, city,
      description;
  std::optional<std::vector<int64_t>> group_ids;
};
struct ImportResult {
  int64_t group_id = 0;
  int correct = 0;
  int failed = 0;
};

class IdAllocator;
class CredentialCache;
class MediaFetcher;

class GatewayService {
 public:
  GatewayService(store::Store& store, Clock& clock, CoreOptions options);
  ~GatewayService();
  GatewayService(const GatewayService&) = delete;
  GatewayService& operator=(const GatewayService&) = delete;

  // ---- authentication -------------------------------------------------------
  // Failure::kInvalidUser (kUnauthenticated) for an unknown token or a wrong
  // name/password; kSendingBlocked (kPermissionDenied) for an inactive account.
  Result<Caller> AuthenticateToken(const std::string& token);
  Result<Caller> AuthenticatePassword(const std::string& name, const std::string& password);

  // ---- messages ----------------------------------------------------------------
  // Validates and prices the request. Whole-request failures (empty or too long
  // text, unapproved sender, insufficient balance, unique_id mismatch, too many
  // recipients) come as an Error; per-recipient problems (invalid number,
  // blacklisted) come as unsent items. `done` runs once, possibly on another
  // thread, after the commit.
  using SubmitCallback = std::function<void(Result<SubmitResult>)>;
  void SubmitAsync(const Caller& caller, SubmitRequest request, SubmitCallback done);
  Result<SubmitResult> Submit(const Caller& caller, SubmitRequest request);

  Result<store::Message> ViewMessage(const Caller& caller, const std::string& id);
  Result<store::Message> ViewMessageByUniqueId(const Caller& caller, const std::string& unique_id);
  // query.account_id is overwritten with the caller's account.
  Result<store::MessagePage> Reports(const Caller& caller, store::MessageQuery query);
  // Replaces the text (and, when given, the schedule) of a scheduled message, keeping
  // its id (SMPP replace_sm): the text is encoded and priced as for a submit of the
  // message's type, and the charge is adjusted. Returns false when the message is no
  // longer scheduled. Errors as for a submit's text (kTextEmpty, kTextTooLong...),
  // kInvalidId (kNotFound), the type's limit exhausted (kRejected).
  Result<bool> ReplaceScheduled(const Caller& caller, const std::string& id,
                                const std::string& text, bool utf,
                                std::optional<SystemTime> schedule);
  Result<DeleteResult> DeleteScheduled(const Caller& caller, const std::vector<std::string>& ids,
                                       const std::vector<std::string>& unique_ids);

  // ---- SMPP (api/smpp) ------------------------------------------------------------
  // A bind: Failure::kInvalidUser (kUnauthenticated) for an unknown system_id or a
  // wrong password; kIpNotAllowed (kPermissionDenied) when `peer_address` is outside
  // the login's allowlist; kSendingBlocked (kPermissionDenied) for an inactive account;
  // kLoginThrottled (kThrottled) after too many failed binds from the address or for
  // the system_id (login_throttle(); the password is then not checked).
  Result<SmppLogin> AuthenticateSmpp(const std::string& system_id, const std::string& password,
                                     const std::string& peer_address);
  // Operator: a new SMPP login for the account. kNotFound (unknown account),
  // kAlreadyExists (system_id taken), kInvalidArgument (empty or over-long system_id
  // or password — SMPP allows 15 and 8 characters — a bad CIDR, negative limits).
  Result<int64_t> CreateSmppUser(const std::string& account_name, const std::string& system_id,
                                 const std::string& password,
                                 const std::vector<std::string>& allowed_cidrs, int max_binds,
                                 int tps);
  Result<std::vector<store::SmppUser>> ListSmppUsers();
  // The durable deliver_sm outbox of an SMPP login (receipts and MO); `pdu` is the
  // SMPP server's encoding. The store queues receipts and MO itself, with an empty pdu,
  // in the transaction that records them (store.h, AddSmppOutbox).
  Result<int64_t> QueueSmppDeliver(int64_t smpp_user_id, const std::string& message_id,
                                   const std::string& pdu);
  // What such an entry (empty pdu) reports, read from `account`'s records: the message
  // of a receipt or the incoming message of an MO (exactly one is set). kNotFound when
  // it is gone.
  struct SmppOutboxSubject {
    std::optional<store::Message> message;
    std::optional<store::InboxMessage> incoming;
  };
  Result<SmppOutboxSubject> SmppOutboxSubjectOf(store::AccountId account,
                                                const store::SmppOutboxEntry& entry);
  // The SMPP users of an account (to wake the server for its MO).
  Result<std::vector<int64_t>> SmppUserIdsOf(store::AccountId account);
  Result<std::vector<store::SmppOutboxEntry>> PendingSmppDelivers(int64_t smpp_user_id, int limit);
  Result<void> AckSmppDeliver(int64_t entry_id);

  // ---- account ----------------------------------------------------------------
  Result<std::vector<store::Balance>> Limits(const Caller& caller);

  // ---- operator (bramka admin, panel admin) -----------------------------------------
  Result<store::AccountId> CreateAccount(const std::string& name, const std::string& password);
  Result<void> SetPassword(const std::string& name, const std::string& password);
  Result<void> TopUp(const std::string& name, store::MessageType type, int64_t units,
                     const std::string& note);
  // Returns the new token (32 lowercase hex characters); only its hash is stored.
  Result<std::string> CreateToken(const std::string& name, const std::string& label);
  Result<void> SetSenderStatus(const std::string& name, const std::string& sender,
                               store::SenderStatus status);
  Result<std::vector<store::Account>> ListAccounts();

  // ---- billing (billing.cc) --------------------------------------------------------
  // Operator: issues the invoice ("FV n/MM/YYYY", local time) and credits the units in
  // one transaction. kNotFound (unknown account), kInvalidArgument (units <= 0, a
  // negative price, due_days < 0).
  Result<store::Payment> SellTopUp(const TopUpOrder& order);
  Result<store::Payment> MarkPaymentPaid(int64_t payment_id);
  Result<store::PaymentPage> Payments(const Caller& caller, int page, int limit);
  // Failure::kInvalidId (kNotFound) for another account's or an unknown payment.
  Result<store::Payment> Payment(const Caller& caller, int64_t payment_id);
  // The caller's account as the buyer on its invoices.
  Result<store::Account> Account(const Caller& caller);
  // query.account_id is overwritten with the caller's account.
  Result<std::vector<store::StatRow>> Stats(const Caller& caller, store::StatQuery query);

  // Called after every commit that queued messages due now (the dispatcher's
  // Wake). Set once at wiring time, before traffic.
  void SetAcceptedHook(std::function<void()> hook) { accepted_hook_ = std::move(hook); }

  // ---- address book (spec §4.14 groups, §4.15 contacts, §4.18 blacklist, §4.21 templates) ----
  // Every record is the caller's: an unknown id, or another account's, is
  // Failure::kInvalidId (kNotFound) whose message names it. A missing name,
  // phone or text is kMissingParameter; a phone that is not a valid number
  // kInvalidPhone. Phones are stored and answered normalised (+<cc><number>).
  Result<int64_t> AddGroup(const Caller& caller, const std::string& name);
  Result<store::Group> ViewGroup(const Caller& caller, int64_t group_id);
  // query.account_id is overwritten with the caller's.
  Result<store::GroupPage> ListGroups(const Caller& caller, store::GroupQuery query);
  Result<void> RenameGroup(const Caller& caller, int64_t group_id, const std::string& name);
  Result<void> DeleteGroup(const Caller& caller, int64_t group_id, bool delete_contacts);
  // groups/check: the caller's contacts with that number and their groups.
  Result<std::vector<store::ContactInGroup>> GroupsOfPhone(const Caller& caller,
                                                           const std::string& phone);

  // `contact.account_id` and `id` are ignored; the groups must be the caller's.
  Result<int64_t> AddContact(const Caller& caller, store::Contact contact);
  Result<ContactView> ViewContact(const Caller& caller, int64_t contact_id);
  Result<ContactList> ListContacts(const Caller& caller, store::ContactQuery query);
  Result<void> EditContact(const Caller& caller, int64_t contact_id, const ContactEdit& edit);
  Result<void> DeleteContact(const Caller& caller, int64_t contact_id);
  // contacts/import: a new group `group_name` holding every row whose phone is
  // valid (counted as correct); the other rows are counted as failed.
  Result<ImportResult> ImportContacts(const Caller& caller, const std::string& group_name,
                                      std::vector<store::Contact> rows);

  Result<int64_t> AddTemplate(const Caller& caller, const std::string& name,
                              const std::string& text);
  Result<store::Template> ViewTemplate(const Caller& caller, int64_t template_id);
  Result<std::vector<store::Template>> ListTemplates(const Caller& caller, bool by_name,
                                                     bool descending);
  // Absent name or text keeps the stored one.
  Result<void> EditTemplate(const Caller& caller, int64_t template_id,
                            const std::optional<std::string>& name,
                            const std::optional<std::string>& text);
  Result<void> DeleteTemplate(const Caller& caller, int64_t template_id);

  // Blacklisted numbers are refused when sending (unsent, kBlacklisted).
  Result<int64_t> AddToBlacklist(const Caller& caller, const std::string& phone);
  // query.phone (when set) is normalised; query.account_id overwritten.
  Result<store::BlacklistPage> ListBlacklist(const Caller& caller, store::BlacklistQuery query);
  Result<bool> IsBlacklisted(const Caller& caller, const std::string& phone);
  // false when the number was not listed.
  Result<bool> RemoveFromBlacklist(const Caller& caller, const std::string& phone);
  Result<void> DeleteBlacklistEntry(const Caller& caller, int64_t entry_id);
  // ---- callbacks (webhooks out; core/callbacks.cc, ADR 0007) --------------------------
  // Operator and panel: the account's callback URL templates (spec §6
  // placeholders, src/notify/README.md). nullopt keeps a template, "" clears
  // it; returns the templates as stored. kNotFound (unknown account),
  // kInvalidArgument + Failure::kInvalidParameter (core/callback_url.h).
  Result<store::AccountCallbacks> SetCallbackUrls(const std::string& account_name,
                                                  std::optional<std::string> dlr_url,
                                                  std::optional<std::string> mo_url);
  Result<store::AccountCallbacks> GetCallbackUrls(const std::string& account_name);
  // The account's callbacks waiting or given up, oldest first (limit < 0: all).
  Result<std::vector<store::CallbackEntry>> ListCallbacks(const std::string& account_name,
                                                          int limit);
  // The account's given-up callbacks are tried again (their age restarts).
  Result<int64_t> RetryFailedCallbacks(const std::string& account_name);
  // Incoming messages (MO, issue 6): queues the MO callback with the account's
  // MO template; false when it has none. A store write path that records the
  // incoming message should queue it in its own transaction instead
  // (store.h QueueMoCallback); this is for callers without one.
  struct IncomingCallback {
    store::AccountId account_id = 0;
    std::string message_id;  // the incoming message's id
    std::string from;        // E.164 with '+'
    std::string to;          // the number it was sent to
    std::string text;
    int64_t received_ms = 0;
  };
  Result<bool> QueueIncomingCallback(const IncomingCallback& incoming);
  // Called after callbacks were queued here (the sender's Wake). Set once at
  // wiring time. (Callbacks queued by the store with a status change are
  // found by the sender's poll or woken by the dispatcher's listener.)
  void SetCallbackQueuedHook(std::function<void()> hook) {
    callback_queued_hook_ = std::move(hook);
  }
  // ---- accounts area (accounts.cc, senders.cc; docs/adr/0008) -----------------------
  // API v2 login: throttle check (address and username), then the token or the
  // name, the account's IP allowlist (checked before the password, so that an
  // outside address learns nothing about it), the password, and the state of
  // the account. Failure::kLoginThrottled (kThrottled) while blocked;
  // kInvalidUser (kUnauthenticated) for a wrong token, name or password and for
  // a deleted subaccount; kIpNotAllowed (kPermissionDenied) outside the
  // allowlist; kSendingBlocked (kPermissionDenied) for an inactive account.
  // (AuthenticateToken/AuthenticatePassword above check neither the allowlist
  // nor the throttle: ways in that know the client's address use this.)
  Result<Caller> AuthenticateApi(const ApiCredentials& credentials, const std::string& peer_ip);

  // Subaccounts of the caller (a main account; one level only). Add:
  // kMissingParameter, kInvalidParameter, kInvalidPhone; kSubaccountRefused
  // (unknown template, or the caller is itself a subaccount); kLoginTaken;
  // kParentBalanceTooLow (the template's limits cannot be covered).
  Result<store::AccountId> CreateSubaccount(const Caller& caller, const SubaccountRequest& request);
  Result<std::vector<store::Account>> ListSubaccounts(const Caller& caller);
  // kInvalidId (kNotFound) unless a live subaccount of the caller.
  Result<store::Account> ViewSubaccount(const Caller& caller, store::AccountId id);
  // Sets the subaccount's balance of `type` to `units`, moving units from or
  // to the caller's. kInvalidId (kNotFound), kInvalidParameter (units < 0),
  // kParentBalanceTooLow (the caller's balance cannot cover it, or the caller
  // may not send that type).
  Result<void> SetSubaccountLimit(const Caller& caller, store::AccountId id,
                                  store::MessageType type, int64_t units);
  // Deactivates it (kept with its history) and returns its units. kInvalidId.
  Result<void> DeleteSubaccount(const Caller& caller, store::AccountId id);

  // senders/add: a new name waiting for the operator. kInvalidParameter (not
  // a valid name), kSenderExists (the account has it, or it is predefined).
  Result<void> AddSender(const Caller& caller, const std::string& name);
  // senders/index. kInvalidParameter for an unknown type.
  Result<std::vector<SenderView>> ListSenders(const Caller& caller, const SenderListQuery& query);

  // account/add: a signup the operator approves with `bramka admin signup`.
  // kRegistrationRefused for a demo account or a subaccount; kMissingParameter,
  // kInvalidParameter, kInvalidPhone.
  Result<int64_t> RequestAccount(const Caller& caller, const SignupRequest& request);
  const OperatorContact& OperatorContactData() const { return options_.operator_contact; }
  // account/messages: newest first; returning them marks them read.
  Result<std::vector<store::AccountMessage>> AccountMessages(const Caller& caller);

  // Operator (bramka admin). kNotFound for an unknown account name;
  // kInvalidArgument for a bad CIDR or an empty text.
  Result<void> SetAllowedIps(const std::string& name, const std::vector<std::string>& cidrs);
  Result<int64_t> PostAccountMessage(const std::string& name, const std::string& text);
  Result<std::vector<store::Signup>> ListSignups();
  // Creates the account `name` for a pending signup and marks it approved.
  Result<store::AccountId> ApproveSignup(int64_t id, const std::string& name,
                                         const std::string& password);
  Result<void> RejectSignup(int64_t id);
  LoginThrottle& login_throttle() { return *login_throttle_; }

  // ---- SQL API sources (core/sql_sources.cc; spec §9, docs/adr/0013) ----------------
  // Operator: a new SQL source for the account named (source.account_id is
  // set from it; password_enc must be sealed already, the column mapping
  // checked by ingest/sql). kNotFound (unknown account), kInvalidArgument
  // naming the field (engine, tls, structure, interval 1..86400, an empty
  // host, database or user, a port outside 1..65535).
  Result<int64_t> AddSqlSource(const std::string& account_name, store::SqlSource source);
  // The account's sources, or every account's for an empty name; by id.
  Result<std::vector<store::SqlSource>> ListSqlSources(const std::string& account_name);
  // kNotFound for an unknown id or another account's source.
  Result<void> RemoveSqlSource(const std::string& account_name, int64_t source_id);
  // Incoming messages (issue 6): the entry point that hands an incoming
  // message of an account to its SQL sources. Queued durably for each of them
  // (once per message id) and inserted into their MO tables by ingest/sql;
  // returns how many sources (0 when the account has none). kNotFound for an
  // unknown account.
  Result<int> QueueIncomingForSql(const IncomingCallback& incoming);
  // Called after QueueIncomingForSql queued something (ingest/sql's Wake).
  void SetSqlQueuedHook(std::function<void()> hook) { sql_queued_hook_ = std::move(hook); }
  // Calls that hook: the store queued MO rows itself (Store::RecordIncoming).
  void WakeSqlSources() {
    if (sql_queued_hook_) sql_queued_hook_();
  }

  const sms::PhoneNormalizer& phones() const { return phones_; }
  store::Store& store() { return store_; }

  // ---- media files (media.cc; spec §4.10) ------------------------------------------
  // Fetches (`url`, http/https only) or takes (`data`) the file, checks its content
  // (MMS: an allowed type; voice: WAV, PCM 16-bit, 8 kHz, mono, <= 60 s) and size, and
  // stores it for the caller's account with a new 10-hex id. Errors: kMissingParameter
  // (neither url nor data), kInvalidParameter (bad URL scheme, url with an upload of a
  // voice file), kFileTypeNotAllowed, kFileTooLarge, kFileFetchFailed (kUnavailable).
  Result<store::MediaFile> AddFile(const Caller& caller, AddFileRequest request);
  // Without data, oldest first; `type` filters when given.
  Result<std::vector<store::MediaFile>> ListFiles(const Caller& caller,
                                                  std::optional<store::MessageType> type);
  // kInvalidId (kNotFound) for an unknown id, another account's file, or a file of
  // another type than `type` when given.
  Result<store::MediaFile> ViewFile(const Caller& caller, const std::string& id,
                                    std::optional<store::MessageType> type);
  Result<void> DeleteFile(const Caller& caller, const std::string& id,
                          std::optional<store::MessageType> type);

  // ---- number checks (phones.cc; spec §4.16) -------------------------------------------
  // HLR (kHlr, charged from the hlr balance) or network lookup (kLookup, the lookup
  // balance): one unit per valid number, charged before asking the provider and
  // refunded for numbers it could not answer. Invalid numbers are not charged and come
  // back with valid = false. Errors: kMissingParameter, kTooManyRecipients (> 50,000),
  // kNoPermissionHlr/kNoPermissionLookup, kHlrLimitExhausted/kLookupLimitExhausted,
  // kUnavailable (no provider, or it failed for every number).
  Result<std::vector<NumberCheckItem>> CheckNumbers(const Caller& caller,
                                                    const std::vector<std::string>& phones,
                                                    NumberCheck kind);

  // Wiring (set once, before traffic; both outlive the service). Without a fetcher
  // files/add with a url fails (kFileFetchFailed); without an HLR provider
  // CheckNumbers fails (kUnavailable).
  void SetMediaFetcher(MediaFetcher* fetcher) { fetcher_ = fetcher; }
  void SetHlrProvider(delivery::HlrProvider* hlr) { hlr_ = hlr; }

  // ---- inbound (core/inbound.cc; spec §4.8, §4.9, §4.11; docs/adr/0011) ------------
  struct ReceivedQuery {
    std::string type;                 // "", "eco", "nd", "ndi", "sc", "sci", "pre", "mms"
    std::string ndi;                  // only messages to this number
    std::vector<std::string> phones;  // senders, as the client wrote them
    std::optional<SystemTime> date_from, date_to;
    bool read = false;  // return unread ones only and mark them read
    int page = 1;
    int limit = 0;
    bool descending = true;
  };
  // messages/recived. kInvalidParameter for an unknown type or a bad phone.
  Result<store::InboxPage> ReceivedMessages(const Caller& caller, const ReceivedQuery& query);
  // messages/send_nd (ndi_number empty) and send_ndi: queues a test incoming
  // message from `phone` to the account's ND number (with its keyword) or to
  // `ndi_number`, which must be one of the account's NDI numbers; the simulated
  // network delivers it. kMissingParameter, kInvalidPhone, kInvalidParameter
  // (the account has no such number).
  Result<void> SendTestIncoming(const Caller& caller, const std::string& phone,
                                const std::string& text, const std::string& ndi_number);
  // premium/index: the account's premium messages, newest first.
  Result<std::vector<store::InboxMessage>> PremiumMessages(const Caller& caller);
  // premium/send: takes one answer of premium message `id` and sends `text` to
  // `phone` from the premium number. kPremiumRefused (4201): unknown id, another
  // account's, not premium, `gate` not its number, or no answer left.
  Result<SubmitResult> AnswerPremium(const Caller& caller, int64_t id, const std::string& phone,
                                     const std::string& text, const std::string& gate);
  struct QuizView {
    store::Quiz quiz;
    std::vector<int64_t> counts;  // per option, in option order (option id = index + 1)
  };
  // quiz/view. kInvalidId (1004) for an unknown or another account's quiz.
  Result<QuizView> ViewQuiz(const Caller& caller, int64_t id);
  // Operator (bramka admin inbound ...).
  Result<int64_t> AddInboundNumber(const std::string& account_name, store::InboundKind kind,
                                   const std::string& number, const std::string& keyword,
                                   int64_t price_grosze, int answer_limit);
  Result<std::vector<store::InboundNumber>> ListInboundNumbers();
  Result<void> RemoveInboundNumber(int64_t id);
  Result<int64_t> AddQuiz(const std::string& account_name, const std::string& name,
                          const std::string& number, const std::string& keyword,
                          const std::vector<std::string>& options);
  // Queues an incoming message for the simulated network (bramka admin simnet mo).
  Result<int64_t> InjectIncoming(const std::string& from, const std::string& to,
                                 const std::string& text);
  // The operator inbox (messages no route matched), newest first.
  Result<store::InboxPage> OperatorInbox(int limit);

 private:
  // The next number of the reply pool (round robin; "" without a pool); the
  // pool is re-read at most every few seconds.
  Result<std::string> NextPoolNumber();
  std::mutex pool_mu_;
  std::vector<std::string> pool_cache_;
  int64_t pool_loaded_ms_ = -1;
  uint64_t pool_next_ = 0;

 private:
  // send_mms / send_voice with a file: checks title and files, stores inline files
  // (unless req.test), fills req.file_ids; returns the message text (the MMS title,
  // "" for a voice file).
  Result<std::string> PrepareMedia(const Caller& caller, SubmitRequest& req);
  Result<std::string> NewFileId();
  MediaFetcher* fetcher_ = nullptr;
  delivery::HlrProvider* hlr_ = nullptr;

 private:
  Result<store::Account> AccountByName(const std::string& name);
  struct Prepared;
  Result<Prepared> Prepare(const Caller& caller, SubmitRequest& request);
  // Expands request.group_ids/contact_ids into phones and drops repeated
  // numbers (address_book.cc); a no-op without them.
  Result<void> AddAddressBookRecipients(const Caller& caller, SubmitRequest& request);

  store::Store& store_;
  Clock& clock_;
  CoreOptions options_;
  sms::PhoneNormalizer phones_;
  std::unique_ptr<IdAllocator> ids_;
  std::unique_ptr<CredentialCache> credentials_;
  std::function<void()> accepted_hook_;
  std::function<void()> callback_queued_hook_;  // callbacks
  std::function<void()> sql_queued_hook_;       // SQL API sources
  // ---- accounts area ----
  // Whether the account may send as `sender`: its own authorized name, a
  // predefined one, or (for a subaccount) one authorized for its parent.
  Result<bool> SenderUsable(const Caller& caller, const std::string& sender);
  std::unique_ptr<LoginThrottle> login_throttle_ =
      std::make_unique<LoginThrottle>(options_.login_throttle);

  // ---- operator: observability (docs/adr/0018) ----
 public:
  // Called once per SubmitAsync/Submit that was not a test, after its answer
  // is known (on the thread that runs the answer): the request's source
  // ("http", "smpp", "ftp", "sql", ...), the result or the error that refused
  // the whole request. Set before serving; must not block.
  using SubmitObserver =
      std::function<void(const std::string& source, const Result<SubmitResult>& result)>;
  void SetSubmitObserver(SubmitObserver observer) { submit_observer_ = std::move(observer); }

 private:
  SubmitObserver submit_observer_;

  // ---- perf-delivery (docs/adr/0019) ----
 public:
  // Removes many answered outbox entries in one store write (Store::DeleteSmppOutboxBatch);
  // entries that are gone are skipped. On an error none is acknowledged as removed.
  Result<void> AckSmppDelivers(const std::vector<int64_t>& entry_ids);

  // ---- perf (issue 11, docs/adr/0024) ----
 private:
  // SenderUsable with the account's own sender row already read (Store::ReadForSubmit).
  Result<bool> SenderUsable(const Caller& caller, const std::string& sender,
                            const std::optional<store::Sender>& own);

  // ---- accept: one read for a burst of submits (issue 11, docs/adr/0032) ----
 public:
  // Exactly requests.size() SubmitAsync(caller, requests[i], dones[i]) calls in that
  // order (the same checks, ids, accepts in queue order, answers), except that their
  // store reads (ReadForSubmit) are one Store::ReadForSubmits: what N submits read when
  // nothing was written between them. dones.size() must equal requests.size().
  void SubmitManyAsync(const Caller& caller, std::vector<SubmitRequest> requests,
                       std::vector<SubmitCallback> dones);

 private:
  struct Checked;  // submit.cc: a request's checks before its store read
  Result<Checked> Check(const Caller& caller, SubmitRequest& request);
  Result<Prepared> PrepareChecked(const Caller& caller, SubmitRequest& request, Checked& checked,
                                  store::Store::SubmitReads& reads);
  // PrepareChecked's two halves (writerread, docs/adr/0057): the checks on the reads that
  // refuse the request (sender, balance), then the rest with the type's balance.
  Result<store::Balance> CheckReads(const Caller& caller, const Checked& checked,
                                    store::Store::SubmitReads& reads);
  Result<Prepared> Build(const Caller& caller, SubmitRequest& request, Checked& checked,
                         const store::Balance& balance, Result<std::vector<bool>>& blacklisted);
  // The answer of an accept the store committed or refused.
  void Accepted(Prepared& prepared, SubmitCallback done, Result<store::AcceptResult> r);
  SubmitCallback Observed(const Caller& caller, const SubmitRequest& request, SubmitCallback done);
  void Accept(bool test, Result<Prepared> prepared, SubmitCallback done);

  // ---- http: a token's login and its send in one store read (issue 11, docs/adr/0038) ----
 public:
  // Exactly AuthenticateApi({.token = token}, peer_ip) and, when that let the caller in,
  // SubmitAsync(caller, request, done): the same answers and errors, in the same order
  // (a refused login wins over a bad request), the same throttling and observer calls.
  // Only the store reads differ: the token's account and the submit's reads are one
  // Store::ReadForTokenSubmit (one snapshot) when the request can be checked before the
  // login (no group_id/contact_id recipients; else the two calls above). Exactly one of
  // `refused` (with AuthenticateApi's error) and `done` is called, once. A plain SMS to one
  // valid number goes further (docs/adr/0057): its reads, their checks and its accept are one
  // Store::AcceptWithTokenAsync, and either callback may then run on another thread.
  using LoginRefused = std::function<void(Error)>;
  void SubmitWithTokenAsync(const std::string& token, const std::string& peer_ip,
                            SubmitRequest request, LoginRefused refused, SubmitCallback done);

 private:
  // accounts.cc: AuthenticateApi's steps (LoginThrottle::Blocked counts a refusal: once
  // per login).
  Result<void> LoginNotThrottled(const std::string& peer_ip, const std::string& username,
                                 SystemTime now);
  Result<Caller> LoginWith(Result<store::Account> found, const std::string& peer_ip,
                           const std::string& username, const std::string* password,
                           SystemTime now);

  // ---- writerread: the reads, their checks and the accept as one write (docs/adr/0057) ----
  // SubmitWithTokenAsync for a plain SMS to one valid number: the message built first, then
  // Store::AcceptWithTokenAsync (which SqliteStore runs on its writer). false: the request
  // is not of that shape (or its text is refused) and was left as it was.
  struct TokenSubmit;
  bool OnTheWriter(const std::string& token, const std::string& peer_ip, SystemTime now,
                   SubmitRequest& request, Checked& checked, LoginRefused& refused,
                   SubmitCallback& done);
  // The checks on the reads, in SubmitAsync's order (may run on the store's writer thread):
  // the request to accept, or nullopt with the answer kept in `t`.
  std::optional<store::AcceptRequest> DecideTokenSubmit(TokenSubmit& t,
                                                        store::Store::TokenSubmitReads& reads);
  void FinishTokenSubmit(TokenSubmit& t, Result<store::AcceptResult> r);
};

}  // namespace bramka::core
