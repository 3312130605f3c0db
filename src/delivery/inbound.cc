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
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, p] : pending_) n += p.parts.size();
  return n;
}

Result<store::InboxMessage> InboundRouter::Deliver(const std::string& connector,
                                                   const std::string& raw_from,
                                                   const std::string& raw_to,
                                                   const std::string& text, int64_t at_ms) {
  store::InboxMessage m;
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

Result<void> InboundRouter::Handle(IncomingSms sms) {
  FlushExpired();
  if (sms.parts_total <= 1) {
    BRAMKA_ASSIGN_OR_RETURN(store::InboxMessage m,
                            Deliver(sms.connector, sms.from, sms.to, sms.text, sms.at_ms));
    (void)m;
    return Ok();
  }
  Pending whole;
  {
    std::lock_guard lock(mu_);
    Key key{sms.connector, sms.from, sms.to, sms.reference};
    Pending& p = pending_[key];
    if (p.parts.empty()) {
      p.connector = sms.connector;
      p.from = sms.from;
      p.to = sms.to;
      p.total = sms.parts_total;
      p.first_ms = ToUnixMillis(clock_.Now());
    }
    p.parts[sms.part_number] = std::move(sms.text);  // a repeated part replaces itself
    if (static_cast<int>(p.parts.size()) < p.total) return Ok();
    whole = std::move(p);
    pending_.erase(key);
  }
  std::string text;
  for (auto& [n, part] : whole.parts) text += part;
  auto stored = Deliver(whole.connector, whole.from, whole.to, text, sms.at_ms);
  if (!stored.ok()) {
    // Put the parts back: the last part's upstream repeats it (temporary error).
    std::lock_guard lock(mu_);
    Key key{whole.connector, whole.from, whole.to, sms.reference};
    whole.parts.erase(sms.part_number);
    pending_[key] = std::move(whole);
    return stored.take_error();
  }
  return Ok();
}

void InboundRouter::FlushExpired() {
  const int64_t now = ToUnixMillis(clock_.Now());
  std::vector<Pending> expired;
  {
    std::lock_guard lock(mu_);
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (now - it->second.first_ms >= options_.reassembly_timeout_ms) {
        expired.push_back(std::move(it->second));
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (Pending& p : expired) {
    std::string text;
    for (int i = 1; i <= p.total; ++i) {
      auto it = p.parts.find(i);
      text += it == p.parts.end() ? "[...]" : it->second;
    }
    auto stored = Deliver(p.connector, p.from, p.to, text, now);
    if (!stored.ok()) {
      spdlog::error("inbound: incomplete multipart message from {} not stored: {}", p.from,
                    stored.error().ToString());
    }
  }
}

}  // namespace bramka::delivery
