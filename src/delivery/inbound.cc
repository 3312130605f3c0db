#include "delivery/inbound.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/log.h"

namespace bramka::delivery {

Result<void> ConnectorEvents::OnIncoming(IncomingSms sms) {
  return Fail(ErrorCode::kUnavailable,
              "no inbound path for a message from " + sms.from + " to " + sms.to);
}

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string FirstWord(const std::string& text) {
  size_t b = 0;
  while (b < text.size() && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  size_t e = b;
  while (e < text.size() && !std::isspace(static_cast<unsigned char>(text[e]))) ++e;
  return Upper(text.substr(b, e - b));
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string NormalizeInboundAddress(const std::string& raw) {
  std::string s;
  for (char c : raw) {
    if (c != ' ' && c != '-') s += c;
  }
  if (s.size() > 1 && s[0] == '+' && AllDigits(s.substr(1))) return s;
  if (!AllDigits(s)) return raw;
  if (s.rfind("00", 0) == 0 && s.size() > 4) return "+" + s.substr(2);
  if (s.size() == 9) return "+48" + s;  // a Polish national number
  if (s.size() >= 10) return "+" + s;
  return s;  // a short code
}

std::string InboxTypeOf(store::InboundKind kind) {
  switch (kind) {
    case store::InboundKind::kNd:
      return "nd";
    case store::InboundKind::kNdi:
      return "ndi";
    case store::InboundKind::kSc:
      return "sc";
    case store::InboundKind::kSci:
      return "sci";
    case store::InboundKind::kPremium:
      return "pre";
    case store::InboundKind::kPool:
      return "eco";
  }
  return "";
}

std::optional<store::InboundNumber> MatchNumberingPlan(
    const std::vector<store::InboundNumber>& plan, const std::string& to, const std::string& text) {
  const std::string word = FirstWord(text);
  const store::InboundNumber* whole = nullptr;
  for (const store::InboundNumber& n : plan) {
    if (n.kind == store::InboundKind::kPool || n.number != to) continue;
    if (!n.keyword.empty() && n.keyword == word) return n;
    if (n.keyword.empty() && !whole) whole = &n;
  }
  if (whole) return *whole;
  return std::nullopt;
}

InboundRouter::InboundRouter(store::Store& store, Clock& clock, InboundOptions options)
    : store_(store), clock_(clock), options_(options) {}

void InboundRouter::AddListener(Listener listener) { listeners_.push_back(std::move(listener)); }

size_t InboundRouter::pending_parts() const {
  auto parts = store_.ListIncomingParts();
  return parts.ok() ? parts->size() : 0;
}

Result<store::InboxMessage> InboundRouter::Deliver(const std::string& connector,
                                                   const std::string& raw_from,
                                                   const std::string& raw_to,
                                                   const std::string& text, int64_t at_ms,
                                                   const std::string& parts_key) {
  store::InboxMessage m;
  m.parts_key = parts_key;
  m.phone = NormalizeInboundAddress(raw_from);
  m.to_number = NormalizeInboundAddress(raw_to);
  m.text = text;
  m.received_ms = at_ms;
  m.connector = connector;

  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::InboundNumber> plan, store_.ListInboundNumbers());
  if (auto n = MatchNumberingPlan(plan, m.to_number, text)) {
    m.account_id = n->account_id;
    m.type = InboxTypeOf(n->kind);
    m.keyword = n->keyword;
    m.number_id = n->id;
    if (n->kind == store::InboundKind::kPremium) m.answers_left = n->answer_limit;
  } else {
    BRAMKA_ASSIGN_OR_RETURN(
        std::optional<store::ReplyTarget> target,
        store_.FindReplyTarget(m.phone, m.to_number, at_ms - options_.reply_window_ms));
    if (target) {
      m.account_id = target->account_id;
      m.type = "eco";
      m.message_id = target->message_id;
    }
  }
  BRAMKA_ASSIGN_OR_RETURN(store::InboxMessage stored, store_.RecordIncoming(m));
  if (stored.account_id == 0) {
    spdlog::info("inbound: message {} from {} to {} matched no route: operator inbox", stored.id,
                 stored.phone, stored.to_number);
  }
  for (const Listener& l : listeners_) l(stored);
  return stored;
}

namespace {
std::string PartsKey(const std::string& connector, const std::string& from, const std::string& to,
                     int reference) {
  return connector + "|" + from + "|" + to + "|" + std::to_string(reference);
}

std::string Joined(const std::vector<store::IncomingPart>& parts, int total) {
  std::string text;
  size_t at = 0;
  for (int n = 1; n <= total; ++n) {
    while (at < parts.size() && parts[at].number < n) ++at;
    text += at < parts.size() && parts[at].number == n ? parts[at].text : "[...]";
  }
  return text;
}
}  // namespace

Result<void> InboundRouter::Handle(IncomingSms sms) {
  FlushExpired();
  if (sms.parts_total <= 1) {
    BRAMKA_ASSIGN_OR_RETURN(store::InboxMessage m,
                            Deliver(sms.connector, sms.from, sms.to, sms.text, sms.at_ms));
    (void)m;
    return Ok();
  }
  std::lock_guard lock(parts_mu_);
  store::IncomingPart part;
  part.key = PartsKey(sms.connector, sms.from, sms.to, sms.reference);
  part.number = sms.part_number;
  part.total = sms.parts_total;
  part.connector = sms.connector;
  part.from = sms.from;
  part.to = sms.to;
  part.text = std::move(sms.text);
  part.received_ms = ToUnixMillis(clock_.Now());
  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::IncomingPart> held, store_.AddIncomingPart(part));
  if (static_cast<int>(held.size()) < sms.parts_total) return Ok();  // durable; wait for the rest
  BRAMKA_ASSIGN_OR_RETURN(
      store::InboxMessage m,
      Deliver(sms.connector, sms.from, sms.to, Joined(held, sms.parts_total), sms.at_ms, part.key));
  (void)m;
  return Ok();
}

void InboundRouter::FlushExpired() {
  const int64_t now = ToUnixMillis(clock_.Now());
  std::lock_guard lock(parts_mu_);
  // A store read per incoming message would be wasteful: look every few seconds.
  if (last_flush_ms_ != 0 &&
      now - last_flush_ms_ < std::min<int64_t>(5000, options_.reassembly_timeout_ms)) {
    return;
  }
  last_flush_ms_ = now;
  auto parts = store_.ListIncomingParts();
  if (!parts.ok()) {
    spdlog::warn("inbound: reading held parts failed: {}", parts.error().ToString());
    return;
  }
  for (size_t i = 0; i < parts->size();) {
    size_t j = i;
    int64_t first_ms = (*parts)[i].received_ms;
    while (j < parts->size() && (*parts)[j].key == (*parts)[i].key) {
      first_ms = std::min(first_ms, (*parts)[j].received_ms);
      ++j;
    }
    std::vector<store::IncomingPart> group(parts->begin() + static_cast<std::ptrdiff_t>(i),
                                           parts->begin() + static_cast<std::ptrdiff_t>(j));
    i = j;
    if (now - first_ms < options_.reassembly_timeout_ms) continue;
    const store::IncomingPart& p = group.front();
    auto stored = Deliver(p.connector, p.from, p.to, Joined(group, p.total), now, p.key);
    if (!stored.ok()) {
      spdlog::error("inbound: incomplete multipart message from {} not stored yet: {}", p.from,
                    stored.error().ToString());
    }
  }
}

}  // namespace bramka::delivery
