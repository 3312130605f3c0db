// GatewayService::SubmitAsync: validation, encoding, pricing and the hand-off
// to the store (DESIGN.md "Life of a message", steps 1-2).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>

#include "core/callback_url.h"
#include "core/credentials.h"
#include "core/gateway_service.h"
#include "core/id_allocator.h"
#include "sms/segmentation.h"
#include "sms/transliterate.h"
#include "store/unavailable.h"

namespace bramka::core {
namespace {

using store::MessageType;

constexpr int kMaxVoiceChars = 160;
constexpr std::string_view kTwoWaySender = "2waySMS";

bool IsValidUniqueId(const std::string& id) {
  if (id.size() < 3 || id.size() > 50) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Failure NoPermission(MessageType t) {
  switch (t) {
    case MessageType::kEco:
      return Failure::kNoPermissionEco;
    case MessageType::kFull:
      return Failure::kNoPermissionFull;
    case MessageType::kVoice:
      return Failure::kNoPermissionVoice;
    default:
      return Failure::kNoPermissionMms;
  }
}

Failure LimitExhausted(MessageType t) {
  switch (t) {
    case MessageType::kEco:
      return Failure::kEcoLimitExhausted;
    case MessageType::kFull:
      return Failure::kFullLimitExhausted;
    case MessageType::kVoice:
      return Failure::kVoiceLimitExhausted;
    default:
      return Failure::kMmsLimitExhausted;
  }
}

size_t CountCodePoints(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

struct EncodedText {
  std::string text;
  bool unicode = false;
  int parts = 1;
};

// The text as it will go out, or why it cannot.
Result<EncodedText> EncodeText(const std::string& raw, MessageType type, bool utf) {
  if (raw.empty()) return Refuse(ErrorCode::kInvalidArgument, Failure::kTextEmpty, "text is empty");
  EncodedText out;
  if (type == MessageType::kVoice) {
    if (CountCodePoints(raw) > kMaxVoiceChars) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kTextTooLong,
                    "voice text is longer than 160 characters");
    }
    out.text = raw;
    out.unicode = true;
    return out;
  }
  out.unicode = type == MessageType::kFull && utf;
  out.text = out.unicode ? raw : sms::TransliterateForGsm7(raw);
  auto info = sms::AnalyzeText(out.text, out.unicode ? sms::Encoding::kUcs2 : sms::Encoding::kGsm7);
  if (!info.ok()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter, info.error().message);
  }
  if (info->parts > sms::kMaxParts) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kTextTooLong,
                  "message needs " + std::to_string(info->parts) + " parts (" +
                      std::to_string(info->units) + (out.unicode ? " UCS-2" : " GSM-7") +
                      " characters); the limit is 6 parts (918 GSM-7 or 402 UCS-2 characters)");
  }
  out.parts = info->parts;
  return out;
}

}  // namespace

struct GatewayService::Prepared {
  store::AcceptRequest accept;
  SubmitResult result;
  std::vector<size_t> item_of_message;  // accept.messages[i] is result.items[item_of_message[i]]
  bool due_now = false;
};

// What Prepare knows before its one store read (ADR 0024), and what that read is asked.
struct GatewayService::Checked {
  std::string sender;
  MessageType type = MessageType::kEco;
  bool check_sender = false;
  std::vector<Result<std::string>> normalized;
  std::vector<std::string> to_check;
};

Result<GatewayService::Prepared> GatewayService::Prepare(const Caller& caller, SubmitRequest& req) {
  BRAMKA_ASSIGN_OR_RETURN(Checked checked, Check(caller, req));
  store::Store::SubmitReads reads = store_.ReadForSubmit(
      caller.account_id, checked.check_sender ? checked.sender : std::string(), checked.to_check);
  return PrepareChecked(caller, req, checked, reads);
}

Result<GatewayService::Checked> GatewayService::Check(const Caller& caller, SubmitRequest& req) {
  BRAMKA_RETURN_IF_ERROR(AddAddressBookRecipients(caller, req));
  const bool personalized = !req.texts.empty();
  if (req.phones.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "phone is required");
  }
  if (static_cast<int>(req.phones.size()) > options_.max_recipients ||
      (personalized && static_cast<int>(req.texts.size()) > options_.max_personalized)) {
    return Refuse(
        ErrorCode::kInvalidArgument, Failure::kTooManyRecipients,
        "too many recipients in one request (at most " +
            std::to_string(personalized ? options_.max_personalized : options_.max_recipients) +
            ")");
  }
  if (personalized && req.texts.size() != req.phones.size()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "every personalised message needs a phone and a text");
  }
  // callbacks (ADR 0007): a dlr_url bramka could never call is refused, not dropped silently.
  if (!req.dlr_url.empty()) {
    if (auto valid = ValidateCallbackUrl(req.dlr_url); !valid.ok()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                    "dlr_url: " + valid.error().message);
    }
    if (!options_.allow_private_callback_urls) {  // SSRF (ADR 0025)
      if (auto guarded = CheckCallbackHost(req.dlr_url); !guarded.ok()) {
        return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                      "dlr_url: " + guarded.error().message);
      }
    }
  }
  if (!req.unique_ids.empty()) {
    if (req.unique_ids.size() != req.phones.size()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kUniqueIdMismatch,
                    "unique_id count (" + std::to_string(req.unique_ids.size()) +
                        ") differs from the recipient count (" + std::to_string(req.phones.size()) +
                        ")");
    }
    for (const auto& uid : req.unique_ids) {
      if (!IsValidUniqueId(uid)) {
        return Refuse(ErrorCode::kInvalidArgument, Failure::kUniqueIdMismatch,
                      "unique_id '" + uid + "' must be 3 to 50 letters and digits");
      }
    }
  }

  Checked c;
  c.sender = req.sender.value_or("");
  const std::string& sender = c.sender;
  MessageType type = req.kind == SubmitKind::kVoice ? MessageType::kVoice
                     : req.kind == SubmitKind::kMms ? MessageType::kMms
                     : sender.empty()               ? MessageType::kEco
                                                    : MessageType::kFull;
  const bool check_sender =
      type == MessageType::kFull && sender != kTwoWaySender && !req.sender_is_own_number;
  if (check_sender && !IsValidSenderName(sender)) {
    return Refuse(ErrorCode::kRejected, Failure::kSenderNotApproved,
                  "sender name '" + sender +
                      "' is not valid (1 to 11 letters, digits or spaces, or a number)");
  }
  // Every recipient's number first (ADR 0020), then the sender's approval, the balances and
  // the blacklist in one store read (ADR 0024); their answers are used in the order they
  // always were.
  c.type = type;
  c.check_sender = check_sender;
  c.normalized.reserve(req.phones.size());
  c.to_check.reserve(req.phones.size());
  for (const std::string& raw : req.phones) {
    c.normalized.push_back(phones_.Normalize(raw));
    if (c.normalized.back().ok()) c.to_check.push_back(*c.normalized.back());
  }
  return c;
}

Result<GatewayService::Prepared> GatewayService::PrepareChecked(const Caller& caller,
                                                                SubmitRequest& req, Checked& c,
                                                                store::Store::SubmitReads& reads) {
  BRAMKA_ASSIGN_OR_RETURN(store::Balance balance, CheckReads(caller, c, reads));
  return Build(caller, req, c, balance, reads.blacklisted);
}

// The checks on the store's reads that refuse a whole request, in their order: the sender's
// approval, then the message type's balance; the type's balance when both pass.
Result<store::Balance> GatewayService::CheckReads(const Caller& caller, const Checked& c,
                                                  store::Store::SubmitReads& reads) {
  const MessageType type = c.type;
  if (c.check_sender) {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<store::Sender> own, std::move(reads.sender));
    BRAMKA_ASSIGN_OR_RETURN(bool usable, SenderUsable(caller, c.sender, own));  // senders.cc
    if (!usable) {
      return Refuse(ErrorCode::kRejected, Failure::kSenderNotApproved,
                    "sender name '" + c.sender + "' is not approved for this account");
    }
  }
  BRAMKA_ASSIGN_OR_RETURN(auto balances, std::move(reads.balances));
  const store::Balance* balance = nullptr;
  for (const auto& b : balances) {
    if (b.type == type) balance = &b;
  }
  if (!balance || !balance->available) {
    return Refuse(ErrorCode::kPermissionDenied, NoPermission(type),
                  std::string("this account may not send ") +
                      std::string(store::MessageTypeName(type)) + " messages");
  }
  return *balance;
}

// The rest of PrepareChecked, after CheckReads passed: the text, the recipients (with the
// blacklist's answer, `blacklisted_read`), the messages and their ids.
Result<GatewayService::Prepared> GatewayService::Build(
    const Caller& caller, SubmitRequest& req, Checked& c, const store::Balance& balance_read,
    Result<std::vector<bool>>& blacklisted_read) {
  const bool personalized = !req.texts.empty();
  const std::string& sender = c.sender;
  const MessageType type = c.type;
  std::vector<Result<std::string>>& normalized = c.normalized;
  const std::vector<std::string>& to_check = c.to_check;
  const store::Balance* balance = &balance_read;

  EncodedText shared;
  if (type == MessageType::kMms || !req.file_ids.empty()) {
    // MMS, or voice from a WAV file (media.cc): one unit per recipient, the text is
    // the MMS title (or empty) and is not SMS-encoded.
    BRAMKA_ASSIGN_OR_RETURN(shared.text, PrepareMedia(caller, req));
    shared.unicode = true;
  } else if (!personalized) {
    BRAMKA_ASSIGN_OR_RETURN(shared, EncodeText(req.text, type, req.utf));
  }

  const SystemTime now = clock_.Now();
  const int64_t now_ms = ToUnixMillis(now);
  const bool scheduled = req.schedule && *req.schedule > now;
  const int64_t due_ms = scheduled ? ToUnixMillis(*req.schedule) : now_ms;

  BRAMKA_ASSIGN_OR_RETURN(std::vector<bool> listed, std::move(blacklisted_read));
  std::vector<bool> blacklisted(req.phones.size(), false);
  for (size_t i = 0, k = 0; i < normalized.size(); ++i) {
    if (normalized[i].ok()) blacklisted[i] = listed[k++];
  }

  Prepared p;
  p.accept.account_id = caller.account_id;
  p.accept.messages.reserve(to_check.size());
  p.item_of_message.reserve(to_check.size());
  p.result.items.resize(req.phones.size());
  for (size_t i = 0; i < req.phones.size(); ++i) {
    SubmitItem& item = p.result.items[i];
    if (!req.unique_ids.empty()) item.unique_id = req.unique_ids[i];
    const EncodedText* enc = &shared;
    EncodedText own;
    if (personalized) {
      auto e = EncodeText(req.texts[i], type, req.utf);
      if (!e.ok()) {
        item.phone = req.phones[i];
        item.text = req.texts[i];
        item.failure = static_cast<Failure>(e.error().detail);
        item.error_message = e.error().message;
        continue;
      }
      own = std::move(*e);
      enc = &own;
    }
    item.text = enc->text;
    item.parts = enc->parts;
    Result<std::string>& phone = normalized[i];
    if (!phone.ok()) {
      item.phone = req.phones[i];
      item.failure = Failure::kInvalidPhone;
      item.error_message = phone.error().message;
      continue;
    }
    item.phone = std::move(*phone);
    if (blacklisted[i]) {
      item.failure = Failure::kBlacklisted;
      item.error_message = "number " + item.phone + " is on the blacklist";
      continue;
    }
    item.queued = true;
    item.queued_ms = now_ms;
    // Built in place (ADR 0030): moving a Message is ~20 string moves, per recipient.
    store::Message& m = p.accept.messages.emplace_back();
    m.account_id = caller.account_id;
    m.phone = item.phone;
    m.sender = type == MessageType::kFull ? sender : "";
    // Inbound (docs/adr/0011): ECO and 2waySMS go out from a reply-capable pool number.
    if (type == MessageType::kEco || (type == MessageType::kFull && sender == kTwoWaySender)) {
      BRAMKA_ASSIGN_OR_RETURN(std::string pool_number, NextPoolNumber());
      if (!pool_number.empty()) m.sender = pool_number;
    }
    m.type = type;
    m.text = enc->text;
    m.unicode = enc->unicode;
    m.flash = req.flash;
    m.speed = req.speed && type == MessageType::kFull;
    m.parts = enc->parts;
    m.cost_units = type == MessageType::kVoice ? 1 : enc->parts;
    m.status = scheduled ? store::MessageStatus::kSaved : store::MessageStatus::kQueued;
    m.unique_id = item.unique_id;
    m.source = req.source;
    m.dlr_url = req.dlr_url;
    m.smpp_user_id = req.smpp_user_id;
    m.smpp_registered_delivery = req.smpp_registered_delivery;
    m.attachments = req.file_ids;
    m.queued_ms = now_ms;
    m.due_ms = due_ms;
    p.item_of_message.push_back(i);
  }

  uint64_t first_sequence = 0;
  BRAMKA_ASSIGN_OR_RETURN(auto ids, ids_->Allocate(p.accept.messages.size(), &first_sequence));
  p.result.stat_id = p.accept.messages.empty() ? 0 : static_cast<int64_t>(first_sequence);
  int64_t total_cost = 0;
  for (size_t k = 0; k < ids.size(); ++k) {
    p.accept.messages[k].id = ids[k];
    p.accept.messages[k].stat_id = p.result.stat_id;
    p.result.items[p.item_of_message[k]].id = ids[k];
    total_cost += p.accept.messages[k].cost_units;
  }
  if (req.test && !balance->unlimited && total_cost > balance->units) {
    return Refuse(ErrorCode::kRejected, LimitExhausted(type),
                  "the " + std::string(store::MessageTypeName(type)) + " balance is too low");
  }
  for (const auto& item : p.result.items) (item.queued ? p.result.queued : p.result.unsent)++;
  p.due_now = !scheduled;
  return p;
}

Result<bool> GatewayService::ReplaceScheduled(const Caller& caller, const std::string& id,
                                              const std::string& text, bool utf,
                                              std::optional<SystemTime> schedule) {
  BRAMKA_ASSIGN_OR_RETURN(store::Message m, ViewMessage(caller, id));
  if (m.status != store::MessageStatus::kSaved) return false;
  BRAMKA_ASSIGN_OR_RETURN(EncodedText enc, EncodeText(text, m.type, utf));
  store::MessageReplacement r;
  r.text = enc.text;
  r.unicode = enc.unicode;
  r.parts = enc.parts;
  r.cost_units = m.type == MessageType::kVoice ? 1 : enc.parts;
  const SystemTime now = clock_.Now();
  if (schedule) r.due_ms = ToUnixMillis(std::max(*schedule, now));
  auto replaced = store_.ReplaceScheduled(caller.account_id, id, r, ToUnixMillis(now));
  if (!replaced.ok() && replaced.error().code == ErrorCode::kRejected) {
    return Refuse(ErrorCode::kRejected, LimitExhausted(m.type),
                  "the " + std::string(store::MessageTypeName(m.type)) +
                      " balance is too low for the replacement");
  }
  if (!replaced.ok() && replaced.error().code == ErrorCode::kNotFound) {
    return Refuse(ErrorCode::kNotFound, Failure::kInvalidId, "no message with id '" + id + "'");
  }
  return replaced;
}

GatewayService::SubmitCallback GatewayService::Observed(const Caller& caller,
                                                        const SubmitRequest& request,
                                                        SubmitCallback done) {
  // operator: metrics and the message's first log line (docs/adr/0018).
  if (request.test) return done;
  return [this, source = request.source, account = caller.account_id,
          done = std::move(done)](Result<SubmitResult> r) {
    if (submit_observer_) submit_observer_(source, r);
    if (r.ok() && spdlog::should_log(spdlog::level::debug)) {
      for (const SubmitItem& item : r->items) {
        if (!item.queued) continue;
        spdlog::debug("message accepted message_id={} source={} account={} phone={} parts={}",
                      item.id, source, account, item.phone, item.parts);
      }
    }
    done(std::move(r));
  };
}

void GatewayService::SubmitAsync(const Caller& caller, SubmitRequest request, SubmitCallback done) {
  done = Observed(caller, request, std::move(done));
  Accept(request.test, Prepare(caller, request), std::move(done));
}

// accept (docs/adr/0032): N submits of one caller as N SubmitAsync calls in that order,
// with the N store reads made as one (Store::ReadForSubmits).
void GatewayService::SubmitManyAsync(const Caller& caller, std::vector<SubmitRequest> requests,
                                     std::vector<SubmitCallback> dones) {
  std::vector<Result<Checked>> checked;
  checked.reserve(requests.size());
  std::vector<store::Store::SubmitReadQuery> queries;
  queries.reserve(requests.size());
  for (SubmitRequest& req : requests) {
    checked.push_back(Check(caller, req));
    if (!checked.back().ok()) continue;
    store::Store::SubmitReadQuery& q = queries.emplace_back();
    if (checked.back()->check_sender) q.sender = checked.back()->sender;
    q.phones = std::move(checked.back()->to_check);
  }
  std::vector<store::Store::SubmitReads> reads = store_.ReadForSubmits(caller.account_id, queries);
  for (size_t i = 0, k = 0; i < requests.size(); ++i) {
    SubmitCallback done = Observed(caller, requests[i], std::move(dones[i]));
    if (!checked[i].ok()) {
      done(Fail(checked[i].take_error()));
      continue;
    }
    checked[i]->to_check = std::move(queries[k].phones);
    Accept(requests[i].test, PrepareChecked(caller, requests[i], *checked[i], reads[k]),
           std::move(done));
    ++k;
  }
}

void GatewayService::Accept(bool test, Result<Prepared> prepared, SubmitCallback done) {
  if (!prepared.ok()) {
    done(Fail(prepared.take_error()));
    return;
  }
  if (test || prepared->accept.messages.empty()) {
    done(std::move(prepared->result));
    return;
  }
  auto p = std::make_shared<Prepared>(std::move(*prepared));
  store::AcceptRequest accept = std::move(p->accept);
  store_.AcceptAsync(std::move(accept),
                     [this, p, done = std::move(done)](Result<store::AcceptResult> r) mutable {
                       Accepted(*p, std::move(done), std::move(r));
                     });
}

// The answer to an accept the store committed (or refused).
void GatewayService::Accepted(Prepared& p, SubmitCallback done, Result<store::AcceptResult> r) {
  if (!r.ok()) {
    Error e = r.take_error();
    if (e.code == ErrorCode::kRejected && e.detail > 0) {
      auto type = static_cast<MessageType>(e.detail - 1);
      done(Refuse(ErrorCode::kRejected, LimitExhausted(type),
                  "the " + std::string(store::MessageTypeName(type)) +
                      " balance is too low for this request"));
    } else {
      // Name the trouble (storage full, database busy) for the log and every adapter.
      const std::string_view trouble = store::StorageTroubleText(e);
      spdlog::warn("submit not stored{}{}: {}", trouble.empty() ? "" : ": ", trouble, e.ToString());
      done(Refuse(e.code == ErrorCode::kUnavailable ? ErrorCode::kUnavailable : e.code,
                  Failure::kUnavailable,
                  "message not accepted" +
                      (trouble.empty() ? std::string() : ", " + std::string(trouble)) + ": " +
                      e.message));
    }
    return;
  }
  for (size_t k = 0; k < r->items.size() && k < p.item_of_message.size(); ++k) {
    p.result.items[p.item_of_message[k]].id = r->items[k].id;
  }
  // The answer (and its "message accepted" log line) first, then the dispatcher's
  // wake-up: a message's log lines then come in the order of its life.
  const bool wake = p.due_now && accepted_hook_;
  done(std::move(p.result));
  if (wake) accepted_hook_();
}

// ---- http: an API send with a Bearer token, its login and its submit's reads as one store
// read (issue 11, docs/adr/0038). AuthenticateApi read the token's account (one read
// transaction), then SubmitAsync the balances, the sender's approval and the blacklist
// (another); neither answer is kept between requests (no cache: ADR 0030, 0034, 0038), so
// both are read together, as of one moment, by Store::ReadForTokenSubmit.

void GatewayService::SubmitWithTokenAsync(const std::string& token, const std::string& peer_ip,
                                          SubmitRequest request, LoginRefused refused,
                                          SubmitCallback done) {
  ApiCredentials credentials;
  credentials.token = token;
  // The two calls this stands for: AuthenticateApi first, its error wins.
  auto in_two_steps = [&](std::optional<Error> request_error) {
    Result<Caller> caller = AuthenticateApi(credentials, peer_ip);
    if (!caller.ok()) return refused(caller.take_error());
    if (!request_error) return SubmitAsync(*caller, std::move(request), std::move(done));
    Observed(*caller, request, std::move(done))(Fail(std::move(*request_error)));
  };
  // Address-book recipients are read for the caller: they need the login first.
  if (!request.group_ids.empty() || !request.contact_ids.empty()) return in_two_steps({});
  // Without them Check reads nothing and looks at the request alone (the caller is unused).
  Result<Checked> checked = Check(Caller{}, request);
  if (!checked.ok()) return in_two_steps(checked.take_error());

  const SystemTime now = clock_.Now();
  if (auto allowed = LoginNotThrottled(peer_ip, std::string(), now); !allowed.ok()) {
    return refused(allowed.take_error());
  }
  if (OnTheWriter(token, peer_ip, now, request, *checked, refused, done)) return;
  store::Store::TokenSubmitReads reads = store_.ReadForTokenSubmit(
      HashApiToken(token), checked->check_sender ? checked->sender : std::string(),
      checked->to_check);
  Result<Caller> caller = LoginWith(std::move(reads.account), peer_ip, std::string(), nullptr, now);
  if (!caller.ok()) return refused(caller.take_error());
  done = Observed(*caller, request, std::move(done));
  Accept(request.test, PrepareChecked(*caller, request, *checked, reads.reads), std::move(done));
}

// ---- writerread: the reads, their checks and the accept as one store write (issue 11,
// docs/adr/0057). The request of one valid recipient, a plain SMS, is built here (its text,
// its message, its id) as if the reads let it through; Store::AcceptWithTokenAsync then
// makes the reads, DecideTokenSubmit their checks (the login, the sender, the balance, the
// blacklist: in SubmitAsync's order) and the accept together, which SqliteStore does on its
// writer's connection instead of a reader's read transaction. A request the reads refuse
// has then taken a message id and the reply pool's turn it does not use (both only skip).

struct GatewayService::TokenSubmit {
  std::string token_hash;
  std::string peer_ip;
  SystemTime now;
  SubmitRequest request;
  Checked checked;
  Prepared prepared;  // as if the reads let it through
  LoginRefused refused;
  SubmitCallback done;
  // DecideTokenSubmit's outcome: the login's refusal, or the caller and (when nothing is
  // to be written) the answer.
  bool decided = false;
  std::optional<Error> refusal;
  Caller caller;
  std::optional<Result<SubmitResult>> answer;
};

bool GatewayService::OnTheWriter(const std::string& token, const std::string& peer_ip,
                                 SystemTime now, SubmitRequest& request, Checked& checked,
                                 LoginRefused& refused, SubmitCallback& done) {
  if (request.test || request.kind != SubmitKind::kSms || !request.file_ids.empty() ||
      !request.inline_files.empty() || !request.texts.empty() || request.phones.size() != 1 ||
      checked.to_check.size() != 1) {
    return false;
  }
  auto t = std::make_shared<TokenSubmit>();
  t->request = std::move(request);
  Checked built_from = checked;  // Build takes the normalised number
  store::Balance open;           // what Build needs of a balance that lets it through
  open.type = checked.type;
  open.unlimited = true;
  Result<std::vector<bool>> not_listed = std::vector<bool>(1, false);
  Result<Prepared> built = Build(Caller{}, t->request, built_from, open, not_listed);
  if (!built.ok() || built->accept.messages.size() != 1) {
    // Refused before the reads (the text): SubmitAsync's order puts the login and the
    // reads' checks first; the reads then go as they did.
    request = std::move(t->request);
    return false;
  }
  t->token_hash = HashApiToken(token);
  t->peer_ip = peer_ip;
  t->now = now;
  t->checked = std::move(checked);
  t->prepared = std::move(*built);
  t->refused = std::move(refused);
  t->done = std::move(done);
  store_.AcceptWithTokenAsync(
      t->token_hash, t->checked.check_sender ? t->checked.sender : std::string(),
      t->checked.to_check,
      [this, t](store::Store::TokenSubmitReads& reads) { return DecideTokenSubmit(*t, reads); },
      [this, t](Result<store::AcceptResult> r) { FinishTokenSubmit(*t, std::move(r)); });
  return true;
}

std::optional<store::AcceptRequest> GatewayService::DecideTokenSubmit(
    TokenSubmit& t, store::Store::TokenSubmitReads& reads) {
  t.decided = true;
  Result<Caller> caller =
      LoginWith(std::move(reads.account), t.peer_ip, std::string(), nullptr, t.now);
  if (!caller.ok()) {
    t.refusal = caller.take_error();
    return std::nullopt;
  }
  t.caller = *caller;
  if (auto passed = CheckReads(t.caller, t.checked, reads.reads); !passed.ok()) {
    t.answer.emplace(Fail(passed.take_error()));
    return std::nullopt;
  }
  if (!reads.reads.blacklisted.ok()) {
    t.answer.emplace(Fail(reads.reads.blacklisted.take_error()));
    return std::nullopt;
  }
  Prepared& p = t.prepared;
  if (reads.reads.blacklisted->at(0)) {  // the unsent item Build makes of a listed number
    SubmitItem& item = p.result.items[0];
    item.id.clear();
    item.queued = false;
    item.queued_ms = 0;
    item.failure = Failure::kBlacklisted;
    item.error_message = "number " + item.phone + " is on the blacklist";
    p.result.queued = 0;
    p.result.unsent = 1;
    p.result.stat_id = 0;
    t.answer.emplace(std::move(p.result));
    return std::nullopt;
  }
  p.accept.account_id = t.caller.account_id;
  for (store::Message& m : p.accept.messages) m.account_id = t.caller.account_id;
  return std::move(p.accept);
}

void GatewayService::FinishTokenSubmit(TokenSubmit& t, Result<store::AcceptResult> r) {
  if (!t.decided) {
    // The store failed before it could read (its batch did not begin): the login's answer
    // and the reads' checks still come first, as SubmitAsync's; then the store's error.
    store::Store::TokenSubmitReads reads = store_.ReadForTokenSubmit(
        t.token_hash, t.checked.check_sender ? t.checked.sender : std::string(),
        t.checked.to_check);
    (void)DecideTokenSubmit(t, reads);
    if (r.ok()) r = Fail(ErrorCode::kInternal, "the accept was not decided");
  }
  if (t.refusal) return t.refused(std::move(*t.refusal));
  SubmitCallback done = Observed(t.caller, t.request, std::move(t.done));
  if (t.answer) return done(std::move(*t.answer));
  Accepted(t.prepared, std::move(done), std::move(r));
}

}  // namespace bramka::core
