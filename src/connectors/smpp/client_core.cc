#include "connectors/smpp/client_core.h"

#include <algorithm>
#include <variant>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "connectors/smpp/incoming.h"
#include "connectors/smpp/receipt_status.h"
#include "connectors/smpp/submit_builder.h"
#include "connectors/smpp/submit_errors.h"
#include "connectors/smpp/upstream_id.h"
#include "smpp/pdu/short_message.h"
#include "sms/receipt.h"

namespace bramka::smpp_client {
namespace {

using delivery::SendOutcome;

constexpr uint64_t kBindContext = 0;  // submit contexts are >= 256 (key >= 1)
constexpr uint64_t Context(uint64_t key, uint32_t part) { return (key << 8) | part; }
constexpr uint64_t KeyOf(uint64_t context) { return context >> 8; }
constexpr uint32_t PartOf(uint64_t context) { return static_cast<uint32_t>(context & 0xFF); }

}  // namespace

ClientCore::ClientCore(SmppConnectorOptions options, Clock& clock, TimePoint now)
    : options_(std::move(options)), clock_(clock), bucket_(options_.tps, now) {}

smpp::SessionOptions ClientCore::SessionOptionsFor(const SmppConnectorOptions& options) {
  smpp::SessionOptions so;
  so.role = smpp::Role::kEsme;
  so.window = std::max<uint32_t>(1, options.window);
  so.response_timeout = std::chrono::seconds(std::max(1, options.response_timeout_s));
  so.enquire_link_interval = std::chrono::seconds(std::max(0, options.enquire_link_s));
  so.session_init_timeout = so.response_timeout + std::chrono::seconds(1);
  return so;
}

void ClientCore::LinkUp(Link& link, TimePoint /*now*/) {
  link_ = &link;
  ++link_generation_;
  bound_ = false;
  bind_refused_ = false;
  unbind_sent_ = false;
  in_flight_ = 0;
  if (stopping_) {
    link_->Close("stopping");
    return;
  }
  smpp::Pdu bind;
  if (options_.bind_mode == BindMode::kTransmitter || options_.bind_mode == BindMode::kPair) {
    bind.body = smpp::BindTransmitter{.system_id = options_.system_id,
                                      .password = options_.password,
                                      .system_type = options_.system_type};
  } else if (options_.bind_mode == BindMode::kReceiver) {
    bind.body = smpp::BindReceiver{.system_id = options_.system_id,
                                   .password = options_.password,
                                   .system_type = options_.system_type};
  } else {
    bind.body = smpp::BindTransceiver{.system_id = options_.system_id,
                                      .password = options_.password,
                                      .system_type = options_.system_type};
  }
  if (auto r = link_->SendRequest(std::move(bind), kBindContext); !r.ok()) {
    spdlog::warn("smpp connector {}: cannot bind: {}", options_.name, r.error().message);
    link_->Close("bind not sent");
  }
}

void ClientCore::OnState(smpp::SessionState to, TimePoint now) {
  spdlog::info("smpp connector {}: {}", options_.name, smpp::SessionStateName(to));
  bound_ = smpp::IsBound(to);
  Pump(now);
}

void ClientCore::OnTimer(TimePoint now) { Pump(now); }

void ClientCore::LinkDown(const std::string& why, TimePoint /*now*/) {
  if (link_ != nullptr) spdlog::info("smpp connector {}: link down ({})", options_.name, why);
  link_ = nullptr;
  bound_ = false;
  in_flight_ = 0;
  FailAll(why);
}

void ClientCore::FailAll(std::string_view why) {
  // Contract rule 6: nothing is held across a reconnect.
  queue_.clear();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (!it->second.answered) {
      // Never submitted: handed back (rule 13); else the SMSC may have it: temporary.
      std::string error = fmt::format("smpp: {}", why);
      out_.completions.push_back({std::move(it->second.done),
                                  it->second.sent ? SendOutcome::Temporary(std::move(error))
                                                  : SendOutcome::HandedBack(std::move(error))});
    }
    it = pending_.erase(it);
  }
}

void ClientCore::Submit(const store::Message& message, delivery::SendCallback done, TimePoint now) {
  if (stopping_ || !bound() || options_.bind_mode == BindMode::kReceiver) {
    out_.completions.push_back(
        {std::move(done),
         SendOutcome::HandedBack(stopping_ ? "smpp: stopping" : "smpp: not bound")});
    return;
  }
  if (pending_.size() >= options_.max_queue) {
    out_.completions.push_back({std::move(done), SendOutcome::HandedBack("smpp: queue full")});
    return;
  }
  auto parts = BuildSubmits(message, options_, next_reference_++);
  if (!parts.ok() || parts->empty() || parts->size() > 255) {
    out_.completions.push_back(
        {std::move(done),
         SendOutcome::Permanent("wrong_message",
                                parts.ok() ? "too many parts" : parts.error().message)});
    return;
  }
  uint64_t key = next_key_++;
  Pending& p = pending_[key];
  p.message_id = message.id;
  p.parts = std::move(*parts);
  p.part_ids.resize(p.parts.size());
  p.unresolved = p.parts.size();
  p.order = next_order_++;
  p.done = std::move(done);
  for (uint32_t i = 0; i < p.parts.size(); ++i) queue_.emplace(p.order, key, i);
  Pump(now);
}

void ClientCore::Stop(TimePoint /*now*/) {
  stopping_ = true;
  // Queued parts never went out: answer their messages now. Messages with parts in
  // flight wait for their responses (or LinkDown).
  std::set<uint64_t> keys;
  for (const auto& [order, key, part] : queue_) keys.insert(key);
  for (uint64_t key : keys) {
    auto it = pending_.find(key);
    bool sent = it != pending_.end() && it->second.sent;
    Answer(key, sent ? SendOutcome::Temporary("smpp: stopping")
                     : SendOutcome::HandedBack("smpp: stopping"));
  }
  if (link_ != nullptr && !bound_) link_->Close("stopping");
  MaybeUnbind();
}

void ClientCore::MaybeUnbind() {
  // Graceful: let the window drain first (each submit ends by its response or its
  // response timer), so that an SMSC that answers unbind at once does not turn accepted
  // messages into unknown ones.
  if (stopping_ && !unbind_sent_ && link_ != nullptr && bound_ && in_flight_ == 0) {
    unbind_sent_ = true;
    link_->Unbind();
  }
}

void ClientCore::Pump(TimePoint now) {
  while (link_ != nullptr && bound_ && !stopping_ && !queue_.empty() &&
         link_->WindowAvailable() > 0) {
    auto [order, key, part] = *queue_.begin();
    auto it = pending_.find(key);
    if (it == pending_.end() || it->second.answered) {
      queue_.erase(queue_.begin());
      continue;
    }
    if (!bucket_.TryTake(now)) break;
    queue_.erase(queue_.begin());
    auto r = link_->SendRequest(it->second.parts[part], Context(key, part));
    if (r.ok()) {
      ++in_flight_;
      ++submitted_count_;
      it->second.sent = true;
    } else if (!it->second.sent) {
      // Refused locally (the link is closing): nothing of it went upstream (rule 13).
      Answer(key, SendOutcome::HandedBack(fmt::format("smpp: cannot send: {}", r.error().message)));
      ResolvePart(key);
    } else {
      HandlePartFailure(key, part, smpp::kEsmeRsyserr,
                        fmt::format("smpp: cannot send: {}", r.error().message), now);
    }
  }
}

void ClientCore::OnRequestFailed(uint64_t context, smpp::FailReason reason, TimePoint now) {
  if (context == kBindContext) return;  // the session closes itself (bind timeout)
  if (in_flight_ > 0) --in_flight_;
  HandlePartFailure(KeyOf(context), PartOf(context), smpp::kEsmeRsyserr,
                    fmt::format("smpp: submit_sm {}", smpp::FailReasonName(reason)), now);
  Pump(now);
  MaybeUnbind();
}

void ClientCore::OnResponse(const smpp::Pdu& pdu, uint64_t context, TimePoint now) {
  if (context == kBindContext) {
    if (pdu.command_status != smpp::kEsmeRok) {
      bind_refused_ = true;
      spdlog::warn("smpp connector {}: bind refused: {}", options_.name,
                   smpp::FormatCommandStatus(pdu.command_status));
      if (link_ != nullptr) link_->Close("bind refused");
    }
    return;
  }
  if (in_flight_ > 0) --in_flight_;
  HandleSubmitResponse(pdu, context, now);
  Pump(now);
  MaybeUnbind();
}

void ClientCore::HandleSubmitResponse(const smpp::Pdu& pdu, uint64_t context, TimePoint now) {
  uint64_t key = KeyOf(context);
  uint32_t part = PartOf(context);
  if (pdu.command_status != smpp::kEsmeRok) {
    HandlePartFailure(key, part, pdu.command_status,
                      fmt::format("smpp: {}", smpp::FormatCommandStatus(pdu.command_status)), now);
    return;
  }
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  const auto* resp = pdu.get<smpp::SubmitSmResp>();
  std::string id = resp ? CanonicalUpstreamId(resp->message_id) : std::string();
  if (part < p.part_ids.size()) p.part_ids[part] = id;
  ++p.accepted;
  if (p.accepted == p.parts.size() && !p.answered) {
    if (p.part_ids[0].empty()) {
      Answer(key, SendOutcome::Temporary("smpp: submit_sm_resp without message_id"));
    } else {
      // Every part's id goes to the store with the message (docs/adr/0028).
      SendOutcome accepted = SendOutcome::Accepted(p.part_ids[0]);
      if (p.part_ids.size() > 1) accepted.part_ids = p.part_ids;
      Answer(key, std::move(accepted));
    }
  }
  ResolvePart(key);
}

void ClientCore::HandlePartFailure(uint64_t key, uint32_t part, uint32_t status, std::string error,
                                   TimePoint now) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  if (status == smpp::kEsmeRthrottled && !p.answered && !stopping_ &&
      ++p.throttles <= kMaxThrottlesPerMessage) {
    // Slow down and put the part back in its place: no reordering, no lost mapping.
    ++throttled_count_;
    bucket_.Throttled(now);
    queue_.emplace(p.order, key, part);
    return;
  }
  SubmitErrorClass cls = ClassifySubmitStatus(status);
  if (!p.answered) {
    Answer(key, cls.temporary ? SendOutcome::Temporary(error)
                              : SendOutcome::Permanent(std::string(cls.reason), error));
  }
  ResolvePart(key);
}

void ClientCore::Answer(uint64_t key, delivery::SendOutcome outcome) {
  auto it = pending_.find(key);
  if (it == pending_.end() || it->second.answered) return;
  Pending& p = it->second;
  p.answered = true;
  out_.completions.push_back({std::move(p.done), std::move(outcome)});
  // Drop its queued parts; parts in flight still resolve through their responses. They
  // are queued as (p.order, key, part), so they are one range of the queue (s6-delivery:
  // not a walk over every queued message per answer, up to max_in_flight of them).
  auto first = queue_.lower_bound(QueueKey{p.order, key, 0});
  auto last = first;
  while (last != queue_.end() && std::get<0>(*last) == p.order && std::get<1>(*last) == key) {
    ++last;
    --p.unresolved;
  }
  queue_.erase(first, last);
  if (p.unresolved == 0) pending_.erase(it);
}

void ClientCore::ResolvePart(uint64_t key) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  if (it->second.unresolved > 0) --it->second.unresolved;
  if (it->second.unresolved == 0 && it->second.answered) pending_.erase(it);
}

void ClientCore::OnRequest(const smpp::Pdu& pdu, TimePoint /*now*/) {
  if (pdu.is<smpp::DeliverSm>()) {
    const auto& dm = *pdu.get<smpp::DeliverSm>();
    if (smpp::IsDeliveryReceipt(dm.esm_class) || pdu.tlvs.receipted_message_id()) {
      // Reported: answered once stored (AnswerReceipt). Else acknowledged below: a
      // refused receipt that reports nothing comes back again and again.
      if (HandleReceipt(pdu)) return;
    } else {
      // An incoming message (docs/adr/0011): answered once the core stored it.
      out_.incoming.push_back(Incoming{IncomingFromDeliverSm(options_.name, pdu, clock_), pdu});
      return;
    }
  }
  if (smpp::ResponseIdFor(pdu.command_id()) && link_ != nullptr) {
    link_->Respond(smpp::MakeResponse(pdu));
  }
}

void ClientCore::AnswerIncoming(const smpp::Pdu& request, bool stored) {
  if (link_ == nullptr) return;  // the SMSC repeats what was not answered
  link_->Respond(smpp::MakeResponse(request, stored ? smpp::kEsmeRok : smpp::kEsmeRxTAppn));
}

void ClientCore::AnswerReceipt(const smpp::Pdu& request, uint64_t link, bool stored) {
  // Another link (or none): the SMSC repeats what that one left unanswered.
  if (link_ == nullptr || link != link_generation_) return;
  link_->Respond(smpp::MakeResponse(request, stored ? smpp::kEsmeRok : smpp::kEsmeRxTAppn));
}

bool ClientCore::HandleReceipt(const smpp::Pdu& pdu) {
  std::string id;
  std::optional<ReceiptStatus> status;
  auto parsed = sms::ParseReceipt(smpp::MessageContent(pdu));
  std::string err = parsed.ok() ? parsed->err : "000";
  if (auto tlv_id = pdu.tlvs.receipted_message_id()) id = CanonicalUpstreamId(*tlv_id);
  if (id.empty() && parsed.ok())
    id = ReceiptTextIdToCanonical(parsed->id, options_.receipt_id_format);
  if (auto state = pdu.tlvs.message_state()) status = StatusFromMessageState(*state, err);
  if (!status && parsed.ok()) status = StatusFromReceiptStat(parsed->stat, err);
  if (id.empty() || !status) {
    if (id.empty()) spdlog::warn("smpp connector {}: receipt without an id ignored", options_.name);
    return false;  // non-final (ENROUTE, ACCEPTD) or unreadable
  }
  // A part of a long message reports with its own id: the store resolves it to the
  // message (docs/adr/0028), and it is acknowledged once that is committed.
  Report(pdu, id, status->status,
         status->status == store::MessageStatus::kUndelivered ? status->reason : "");
  return true;
}

void ClientCore::Report(const smpp::Pdu& request, const std::string& id,
                        store::MessageStatus status, std::string reason) {
  store::ReceiptUpdate r;
  r.connector = options_.name;
  r.upstream_id = id;
  r.status = status;
  r.reason = std::move(reason);
  r.at_ms = ToUnixMillis(clock_.Now());
  // wire (docs/adr/0052): what AnswerReceipt needs of the deliver_sm is its command and
  // sequence number; the body (the receipt's text, the TLVs) is not copied along.
  smpp::Pdu header;
  header.sequence_number = request.sequence_number;
  header.body = smpp::DeliverSm{};
  out_.receipts.push_back(Receipt{std::move(r), std::move(header), link_generation_});
}

ClientCore::Output ClientCore::TakeOutput() {
  Output o = std::move(out_);
  out_ = Output{};
  return o;
}

std::optional<ClientCore::TimePoint> ClientCore::NextDeadline(TimePoint now) {
  if (link_ == nullptr || !bound_ || stopping_ || queue_.empty() || link_->WindowAvailable() == 0) {
    return std::nullopt;
  }
  return bucket_.NextAvailable(now);
}

}  // namespace bramka::smpp_client
