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
#include "core/failure.h"
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
  std::vector<std::string> texts;   // empty, or phones.size() entries
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
  // ---- media (send_mms, send_voice with a file) ----
  std::string title;                      // kMms: the subject, at most 40 characters
  std::vector<std::string> file_ids;      // kMms: files/* ids; kVoice: one voice WAV id
  std::vector<std::string> inline_files;  // kMms: file contents sent with the request
};

struct SubmitItem {
  std::string id;      // empty for unsent items
  std::string phone;   // normalised when valid, else as given
  bool queued = false;
  int parts = 0;
  std::string text;    // as it will be sent
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
  // the login's allowlist; kSendingBlocked (kPermissionDenied) for an inactive account.
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
  // The durable deliver_sm outbox of an SMPP login (receipts, later MO); `pdu` is the
  // SMPP server's encoding. See store.h.
  Result<int64_t> QueueSmppDeliver(int64_t smpp_user_id, const std::string& message_id,
                                   const std::string& pdu);
  Result<std::vector<store::SmppOutboxEntry>> PendingSmppDelivers(int64_t smpp_user_id,
                                                                  int limit);
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

  // Called after every commit that queued messages due now (the dispatcher's
  // Wake). Set once at wiring time, before traffic.
  void SetAcceptedHook(std::function<void()> hook) { accepted_hook_ = std::move(hook); }

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

  store::Store& store_;
  Clock& clock_;
  CoreOptions options_;
  sms::PhoneNormalizer phones_;
  std::unique_ptr<IdAllocator> ids_;
  std::unique_ptr<CredentialCache> credentials_;
  std::function<void()> accepted_hook_;
};

}  // namespace bramka::core
