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
#include "sms/phone.h"
#include "store/store.h"

namespace bramka::core {

// Who is calling, once authenticated.
struct Caller {
  store::AccountId account_id = 0;
  std::string account_name;
};

enum class SubmitKind { kSms, kVoice };

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
};

class IdAllocator;
class CredentialCache;

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
  void SetCallbackQueuedHook(std::function<void()> hook) { callback_queued_hook_ = std::move(hook); }

  const sms::PhoneNormalizer& phones() const { return phones_; }
  store::Store& store() { return store_; }

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
  std::function<void()> callback_queued_hook_;  // callbacks
};

}  // namespace bramka::core
