// InMemoryStore: the numbering plan, the inbox, premium answers, quizzes and
// injected incoming messages (docs/adr/0011).

#include <algorithm>
#include <cctype>
#include <climits>
#include <iterator>

#include "store/reply_sender.h"
#include "store/testing/in_memory_store.h"

namespace bramka::store {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool Matches(const InboxMessage& m, const InboxQuery& q) {
  if (m.account_id != q.account_id) return false;
  if (!q.type.empty() && m.type != q.type) return false;
  if (!q.to_number.empty() && m.to_number != q.to_number) return false;
  if (!q.phones.empty() && std::find(q.phones.begin(), q.phones.end(), m.phone) == q.phones.end())
    return false;
  if (q.from_ms > 0 && m.received_ms < q.from_ms) return false;
  if (q.to_ms > 0 && m.received_ms > q.to_ms) return false;
  if (q.unread_only && m.read) return false;
  return true;
}

}  // namespace

Result<int64_t> InMemoryStore::AddInboundNumber(const InboundNumber& number) {
  BRAMKA_RETURN_IF_ERROR(CheckInboundNumber(number));
  const bool pool = number.kind == InboundKind::kPool;
  std::lock_guard lock(mu_);
  if (!pool && !accounts_.count(number.account_id)) {
    return Fail(ErrorCode::kNotFound, "no such account");
  }
  InboundNumber n = number;
  n.keyword = pool ? "" : Upper(n.keyword);
  for (const auto& [id, other] : inbound_numbers_) {
    const bool other_pool = other.kind == InboundKind::kPool;
    if (other.number == n.number && (pool || other_pool || other.keyword == n.keyword)) {
      return Fail(
          ErrorCode::kAlreadyExists,
          "number " + n.number + (n.keyword.empty() ? "" : " keyword " + n.keyword) + " is taken");
    }
  }
  n.id = next_inbound_number_id_++;
  inbound_numbers_[n.id] = n;
  return n.id;
}

Result<std::vector<InboundNumber>> InMemoryStore::ListInboundNumbers() {
  std::lock_guard lock(mu_);
  std::vector<InboundNumber> out;
  for (const auto& [id, n] : inbound_numbers_) out.push_back(n);
  return out;
}

Result<void> InMemoryStore::DeleteInboundNumber(int64_t id) {
  std::lock_guard lock(mu_);
  if (inbound_numbers_.erase(id) == 0) return Fail(ErrorCode::kNotFound, "no such number");
  return Ok();
}

Result<std::optional<ReplyTarget>> InMemoryStore::FindReplyTarget(const std::string& phone,
                                                                  const std::string& from_number,
                                                                  int64_t since_ms) {
  if (!IsReplySender(from_number)) return std::optional<ReplyTarget>();
  std::lock_guard lock(mu_);
  const Record* best = nullptr;
  for (const auto& r : messages_) {
    const Message& m = r->message;
    if (m.phone != phone || m.sender != from_number || m.queued_ms < since_ms) continue;
    if (m.status == MessageStatus::kCancelled) continue;
    if (!best || m.queued_ms > best->message.queued_ms ||
        (m.queued_ms == best->message.queued_ms && r->seq > best->seq)) {
      best = r.get();
    }
  }
  if (!best) return std::optional<ReplyTarget>();
  return std::optional<ReplyTarget>(ReplyTarget{best->message.account_id, best->message.id});
}

Result<InboxMessage> InMemoryStore::RecordIncoming(const InboxMessage& message) {
  std::lock_guard lock(mu_);
  if (message.account_id != 0 && !accounts_.count(message.account_id)) {
    return Fail(ErrorCode::kNotFound, "no such account");
  }
  InboxMessage m = message;
  m.id = next_inbox_id_++;
  m.read = false;
  if (!m.parts_key.empty()) {
    for (auto it = incoming_parts_.begin(); it != incoming_parts_.end();) {
      it = it->first.first == m.parts_key ? incoming_parts_.erase(it) : std::next(it);
    }
    m.parts_key.clear();
  }
  inbox_[m.id] = m;
  if (m.account_id != 0) {
    CallbackEntry e;
    e.account_id = m.account_id;
    e.kind = CallbackKind::kMo;
    e.message_id = std::to_string(m.id);
    e.phone = m.phone;
    e.sender = m.to_number;
    e.status = "received";
    e.text = m.text;
    e.event_ms = m.received_ms;
    e.created_ms = m.received_ms;
    QueueMoCallbackLocked(e);
    const SqlMoEntry sql = SqlMoEntryOf(m);
    QueueSqlMoLocked(sql);
    QueueSmppMoLocked(m);
  }
  return m;
}

Result<InboxPage> InMemoryStore::QueryInbox(const InboxQuery& query) {
  std::lock_guard lock(mu_);
  std::vector<InboxMessage*> all;
  for (auto& [id, m] : inbox_) {
    if (Matches(m, query)) all.push_back(&m);
  }
  if (query.descending) std::reverse(all.begin(), all.end());
  InboxPage page;
  page.total = static_cast<int64_t>(all.size());
  size_t begin = 0, end = all.size();
  if (query.limit > 0) {
    begin = static_cast<size_t>(std::max(query.page, 1) - 1) * static_cast<size_t>(query.limit);
    begin = std::min(begin, all.size());
    end = std::min(all.size(), begin + static_cast<size_t>(query.limit));
  }
  for (size_t i = begin; i < end; ++i) {
    page.items.push_back(*all[i]);
    if (query.mark_read) all[i]->read = true;
  }
  return page;
}

Result<InboxMessage> InMemoryStore::GetInboxMessage(AccountId id, int64_t inbox_id) {
  std::lock_guard lock(mu_);
  auto it = inbox_.find(inbox_id);
  if (it == inbox_.end() || it->second.account_id != id || id == 0) {
    return Fail(ErrorCode::kNotFound,
                "incoming message " + std::to_string(inbox_id) + " not found");
  }
  return it->second;
}

Result<int> InMemoryStore::TakePremiumAnswer(AccountId id, int64_t inbox_id) {
  std::lock_guard lock(mu_);
  auto it = inbox_.find(inbox_id);
  if (it == inbox_.end() || it->second.account_id != id || id == 0 || it->second.type != "pre") {
    return Fail(ErrorCode::kNotFound, "premium message " + std::to_string(inbox_id) + " not found");
  }
  if (it->second.answers_left <= 0) {
    return Fail(ErrorCode::kRejected,
                "no answers left for premium message " + std::to_string(inbox_id));
  }
  return --it->second.answers_left;
}

Result<int64_t> InMemoryStore::AddQuiz(const Quiz& quiz) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(quiz.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  Quiz q = quiz;
  q.id = next_quiz_id_++;
  q.keyword = Upper(q.keyword);
  quizzes_[q.id] = q;
  return q.id;
}

Result<Quiz> InMemoryStore::GetQuiz(AccountId id, int64_t quiz_id) {
  std::lock_guard lock(mu_);
  auto it = quizzes_.find(quiz_id);
  if (it == quizzes_.end() || it->second.account_id != id) {
    return Fail(ErrorCode::kNotFound, "quiz " + std::to_string(quiz_id) + " not found");
  }
  return it->second;
}

Result<std::vector<IncomingPart>> InMemoryStore::AddIncomingPart(const IncomingPart& part) {
  std::lock_guard lock(mu_);
  incoming_parts_[{part.key, part.number}] = part;
  std::vector<IncomingPart> out;
  for (auto it = incoming_parts_.lower_bound({part.key, INT_MIN});
       it != incoming_parts_.end() && it->first.first == part.key; ++it) {
    out.push_back(it->second);
  }
  return out;
}

Result<std::vector<IncomingPart>> InMemoryStore::ListIncomingParts() {
  std::lock_guard lock(mu_);
  std::vector<IncomingPart> out;
  for (const auto& [k, p] : incoming_parts_) out.push_back(p);
  return out;
}

Result<int64_t> InMemoryStore::QueueInjectedMo(const InjectedMo& mo) {
  std::lock_guard lock(mu_);
  InjectedMo m = mo;
  m.id = next_injected_mo_id_++;
  injected_mo_[m.id] = m;
  return m.id;
}

Result<std::vector<InjectedMo>> InMemoryStore::ListInjectedMo(int limit) {
  std::lock_guard lock(mu_);
  std::vector<InjectedMo> out;
  for (const auto& [id, m] : injected_mo_) {
    if (limit >= 0 && static_cast<int>(out.size()) >= limit) break;
    out.push_back(m);
  }
  return out;
}

Result<void> InMemoryStore::DeleteInjectedMo(int64_t id) {
  std::lock_guard lock(mu_);
  injected_mo_.erase(id);
  return Ok();
}

}  // namespace bramka::store
