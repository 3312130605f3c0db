#include "store/testing/in_memory_store.h"

#include <algorithm>
#include <utility>

#include "common/ids.h"

namespace bramka::store {
namespace {

size_t TypeIndex(MessageType t) { return static_cast<size_t>(t); }

bool ValidType(MessageType t) {
  return static_cast<int>(t) <= static_cast<int>(MessageType::kLookup);
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool Matches(const MessageQuery& q, const Message& m) {
  if (m.account_id != q.account_id) return false;
  if (m.status == MessageStatus::kCancelled) return false;
  if (!q.ids.empty() && !Contains(q.ids, m.id)) return false;
  if (!q.unique_ids.empty() && !Contains(q.unique_ids, m.unique_id)) return false;
  if (!q.phones.empty() && !Contains(q.phones, m.phone)) return false;
  if (q.status && m.status != *q.status) return false;
  if (q.pending_only && m.status != MessageStatus::kSaved && m.status != MessageStatus::kQueued &&
      m.status != MessageStatus::kSent) {
    return false;
  }
  if (q.type && m.type != *q.type) return false;
  if (q.stat_id != 0 && m.stat_id != q.stat_id) return false;
  if (q.from_ms != 0 && m.queued_ms < q.from_ms) return false;
  if (q.to_ms != 0 && m.queued_ms > q.to_ms) return false;
  return true;
}

}  // namespace

// ---- accounts ----------------------------------------------------------------

Result<AccountId> InMemoryStore::CreateAccount(const std::string& name,
                                               const std::string& password_hash,
                                               AccountId parent_id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  for (const auto& [id, account] : accounts_) {
    if (account.name == name) return Fail(ErrorCode::kAlreadyExists, "account name taken: " + name);
  }
  Account account;
  account.id = next_account_id_++;
  account.name = name;
  account.password_hash = password_hash;
  account.parent_id = parent_id;
  account.created_ms = now_ms;
  accounts_[account.id] = account;
  std::array<Balance, kTypes> balances;
  for (size_t i = 0; i < kTypes; ++i) balances[i].type = static_cast<MessageType>(i);
  balances_[account.id] = balances;
  return account.id;
}

Result<Account> InMemoryStore::GetAccount(AccountId id) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  return it->second;
}

Result<Account> InMemoryStore::FindAccountByName(const std::string& name) {
  std::lock_guard lock(mu_);
  for (const auto& [id, account] : accounts_) {
    if (account.name == name) return account;
  }
  return Fail(ErrorCode::kNotFound, "no such account: " + name);
}

Result<std::vector<Account>> InMemoryStore::ListAccounts() {
  std::lock_guard lock(mu_);
  std::vector<Account> out;
  for (const auto& [id, account] : accounts_) out.push_back(account);
  return out;
}

Result<void> InMemoryStore::SetPasswordHash(AccountId id, const std::string& password_hash) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  it->second.password_hash = password_hash;
  return Ok();
}

Result<void> InMemoryStore::AddApiToken(AccountId id, const std::string& token_hash,
                                        const std::string& /*label*/, int64_t /*now_ms*/) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  if (tokens_.count(token_hash)) return Fail(ErrorCode::kAlreadyExists, "token already exists");
  tokens_[token_hash] = id;
  return Ok();
}

Result<AccountId> InMemoryStore::FindAccountByTokenHash(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(token_hash);
  if (it == tokens_.end()) return Fail(ErrorCode::kNotFound, "unknown token");
  return it->second;
}

// ---- balances ------------------------------------------------------------------

Result<std::vector<Balance>> InMemoryStore::GetBalances(AccountId id) {
  std::lock_guard lock(mu_);
  auto it = balances_.find(id);
  if (it == balances_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  std::vector<Balance> out;
  for (MessageType t : kAllBalanceTypes) out.push_back(it->second[TypeIndex(t)]);
  return out;
}

Result<void> InMemoryStore::AdjustBalance(AccountId id, MessageType type, int64_t delta,
                                          const std::string& note, int64_t now_ms) {
  if (!ValidType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  std::lock_guard lock(mu_);
  auto it = balances_.find(id);
  if (it == balances_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  it->second[TypeIndex(type)].units += delta;
  ledger_.push_back({id, type, delta, "", note, now_ms});
  return Ok();
}

Result<void> InMemoryStore::SetBalanceMode(AccountId id, MessageType type, bool available,
                                           bool unlimited) {
  if (!ValidType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  std::lock_guard lock(mu_);
  auto it = balances_.find(id);
  if (it == balances_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  it->second[TypeIndex(type)].available = available;
  it->second[TypeIndex(type)].unlimited = unlimited;
  return Ok();
}

Result<int64_t> InMemoryStore::LedgerSumForMessage(const std::string& message_id) {
  std::lock_guard lock(mu_);
  auto it = ledger_by_message_.find(message_id);
  return it == ledger_by_message_.end() ? 0 : it->second;
}

// ---- senders and blacklist -----------------------------------------------------

Result<void> InMemoryStore::SetSender(AccountId id, const std::string& name, SenderStatus status,
                                      int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  auto [it, inserted] = senders_.try_emplace({id, name});
  if (inserted) {
    it->second.name = name;
    it->second.created_ms = now_ms;
  }
  it->second.status = status;
  return Ok();
}

Result<std::optional<Sender>> InMemoryStore::GetSender(AccountId id, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = senders_.find({id, name});
  if (it == senders_.end()) return std::optional<Sender>();
  return std::optional<Sender>(it->second);
}

Result<std::vector<Sender>> InMemoryStore::ListSenders(AccountId id) {
  std::lock_guard lock(mu_);
  std::vector<Sender> out;
  for (auto it = senders_.lower_bound({id, ""}); it != senders_.end() && it->first.first == id;
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

Result<void> InMemoryStore::AddToBlacklist(AccountId id, const std::string& phone, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  AddBlacklistLocked(id, phone, now_ms);
  return Ok();
}

Result<bool> InMemoryStore::IsBlacklisted(AccountId id, const std::string& phone) {
  std::lock_guard lock(mu_);
  return blacklist_.count({id, phone}) > 0;
}

// ---- ids -----------------------------------------------------------------------

Result<uint64_t> InMemoryStore::ReserveIdBlock(uint64_t count) {
  if (count == 0) return Fail(ErrorCode::kInvalidArgument, "empty id block");
  std::lock_guard lock(mu_);
  if (count > kMessageIdSpace - next_id_sequence_) {
    return Fail(ErrorCode::kUnavailable, "message id space exhausted");
  }
  uint64_t first = next_id_sequence_;
  next_id_sequence_ += count;
  return first;
}

// ---- accepting -----------------------------------------------------------------

void InMemoryStore::AcceptAsync(AcceptRequest request, AcceptCallback done) {
  Result<AcceptResult> result = [&] {
    std::lock_guard lock(mu_);
    return AcceptLocked(request);
  }();
  done(std::move(result));
}

Result<AcceptResult> InMemoryStore::AcceptLocked(AcceptRequest& request) {
  auto balance_it = balances_.find(request.account_id);
  if (balance_it == balances_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  auto& balances = balance_it->second;

  // Pass 1 (as SqliteStore): validate, find duplicates, sum the charges. Nothing changes yet.
  AcceptResult result;
  result.items.resize(request.messages.size());
  std::map<std::string, size_t> first_in_request;  // unique_id -> index
  std::array<int64_t, kTypes> charge{};
  std::set<std::string> new_ids;
  for (size_t i = 0; i < request.messages.size(); ++i) {
    Message& m = request.messages[i];
    if (!MessageIdCodec::IsWellFormed(m.id)) {
      return Fail(ErrorCode::kInvalidArgument, "malformed message id: " + m.id);
    }
    if (!ValidType(m.type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
    if (m.status != MessageStatus::kSaved && m.status != MessageStatus::kQueued) {
      return Fail(ErrorCode::kInvalidArgument, "a new message must be saved or queued");
    }
    if (m.cost_units < 0) return Fail(ErrorCode::kInvalidArgument, "negative cost");
    if (!m.unique_id.empty()) {
      auto live = live_by_unique_id_.find({request.account_id, m.unique_id});
      if (live != live_by_unique_id_.end()) {
        result.items[i] = {live->second->message.id, true};
        continue;
      }
      auto [it, inserted] = first_in_request.try_emplace(m.unique_id, i);
      if (!inserted) {
        result.items[i] = {request.messages[it->second].id, true};
        continue;
      }
    }
    if (by_id_.count(m.id) || !new_ids.insert(m.id).second) {
      return Fail(ErrorCode::kAlreadyExists, "message id already used: " + m.id);
    }
    result.items[i] = {m.id, false};
    charge[TypeIndex(m.type)] += m.cost_units;
  }
  for (size_t t = 0; t < kTypes; ++t) {
    const Balance& b = balances[t];
    if (charge[t] > 0 && !b.unlimited && b.units - charge[t] < 0) {
      return Fail(ErrorCode::kRejected, "insufficient balance", static_cast<int>(t) + 1);
    }
  }

  // Pass 2: write.
  for (size_t i = 0; i < request.messages.size(); ++i) {
    if (result.items[i].duplicate) continue;
    auto record = std::make_unique<Record>();
    record->message = std::move(request.messages[i]);
    Message& m = record->message;
    m.account_id = request.account_id;
    m.attempts = 0;
    m.sent_ms = 0;
    m.done_ms = 0;
    m.connector.clear();
    m.upstream_id.clear();
    m.reason.clear();
    record->seq = next_seq_++;
    Balance& b = balances[TypeIndex(m.type)];
    if (!b.unlimited && m.cost_units > 0) {
      b.units -= m.cost_units;
      record->charged = m.cost_units;
      ledger_.push_back({m.account_id, m.type, -m.cost_units, m.id, "accept", m.queued_ms});
      ledger_by_message_[m.id] -= m.cost_units;
    }
    if (!m.unique_id.empty()) live_by_unique_id_[{m.account_id, m.unique_id}] = record.get();
    by_id_[m.id] = record.get();
    messages_.push_back(std::move(record));
  }
  return result;
}

// ---- reading -------------------------------------------------------------------

InMemoryStore::Record* InMemoryStore::FindLocked(const std::string& message_id) {
  auto it = by_id_.find(message_id);
  return it == by_id_.end() ? nullptr : it->second;
}

Result<Message> InMemoryStore::GetMessage(AccountId id, const std::string& message_id) {
  std::lock_guard lock(mu_);
  Record* r = FindLocked(message_id);
  if (r == nullptr || r->message.account_id != id)
    return Fail(ErrorCode::kNotFound, "no such message");
  return r->message;
}

Result<Message> InMemoryStore::FindMessageByUniqueId(AccountId id, const std::string& unique_id) {
  std::lock_guard lock(mu_);
  auto it = live_by_unique_id_.find({id, unique_id});
  if (unique_id.empty() || it == live_by_unique_id_.end()) {
    return Fail(ErrorCode::kNotFound, "no such message");
  }
  return it->second->message;
}

Result<MessagePage> InMemoryStore::QueryMessages(const MessageQuery& query) {
  std::lock_guard lock(mu_);
  std::vector<const Message*> matches;
  for (const auto& r : messages_) {
    if (Matches(query, r->message)) matches.push_back(&r->message);
  }
  // Ties within one queued millisecond: the message-id sequence, as in the SQL stores
  // (ADR 0054). Every test store uses the default id key.
  const MessageIdCodec codec;
  std::sort(matches.begin(), matches.end(), [&](const Message* a, const Message* b) {
    auto ka = std::make_pair(a->queued_ms, codec.Decode(a->id));
    auto kb = std::make_pair(b->queued_ms, codec.Decode(b->id));
    return query.descending ? kb < ka : ka < kb;
  });
  MessagePage page;
  page.total = static_cast<int64_t>(matches.size());
  size_t begin = 0;
  size_t end = matches.size();
  if (query.limit > 0) {
    int64_t first = static_cast<int64_t>(std::max(query.page, 1) - 1) * query.limit;
    begin = std::min<size_t>(static_cast<size_t>(first), matches.size());
    end = std::min<size_t>(begin + static_cast<size_t>(query.limit), matches.size());
  }
  for (size_t i = begin; i < end; ++i) page.items.push_back(*matches[i]);
  return page;
}

void InMemoryStore::RefundLocked(Record& r, const std::string& note, int64_t now_ms) {
  if (r.charged == 0) return;
  balances_[r.message.account_id][TypeIndex(r.message.type)].units += r.charged;
  ledger_.push_back({r.message.account_id, r.message.type, r.charged, r.message.id, note, now_ms});
  ledger_by_message_[r.message.id] += r.charged;
  r.charged = 0;
}

Result<bool> InMemoryStore::CancelScheduled(AccountId id, const std::string& message_id,
                                            int64_t now_ms) {
  std::lock_guard lock(mu_);
  Record* r = FindLocked(message_id);
  if (r == nullptr || r->message.account_id != id)
    return Fail(ErrorCode::kNotFound, "no such message");
  if (r->message.status != MessageStatus::kSaved) return false;
  r->message.status = MessageStatus::kCancelled;
  r->message.done_ms = now_ms;
  r->lease_owner.clear();
  r->lease_until_ms = 0;
  if (!r->message.unique_id.empty()) live_by_unique_id_.erase({id, r->message.unique_id});
  RefundLocked(*r, "cancel", now_ms);
  return true;
}

// ---- delivery ------------------------------------------------------------------

Result<std::vector<Message>> InMemoryStore::ClaimDue(int64_t now_ms, int limit,
                                                     const std::string& owner,
                                                     int64_t lease_until_ms) {
  std::lock_guard lock(mu_);
  std::vector<Record*> due;
  for (const auto& r : messages_) {
    MessageStatus s = r->message.status;
    if ((s == MessageStatus::kSaved || s == MessageStatus::kQueued) &&
        r->message.due_ms <= now_ms && r->lease_until_ms <= now_ms) {
      due.push_back(r.get());
    }
  }
  std::sort(due.begin(), due.end(), [](const Record* a, const Record* b) {
    return std::tie(a->message.due_ms, a->seq) < std::tie(b->message.due_ms, b->seq);
  });
  if (limit >= 0 && due.size() > static_cast<size_t>(limit)) due.resize(static_cast<size_t>(limit));
  std::vector<Message> out;
  out.reserve(due.size());
  for (Record* r : due) {
    r->message.status = MessageStatus::kQueued;
    r->message.attempts += 1;
    r->lease_owner = owner;
    r->lease_until_ms = lease_until_ms;
    out.push_back(r->message);
  }
  return out;
}

Result<void> InMemoryStore::MarkSent(const std::string& message_id, const std::string& connector,
                                     const std::string& upstream_id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!MarkSentLocked(SentUpdate{message_id, connector, upstream_id, now_ms})) {
    return Fail(ErrorCode::kNotFound, "no such message");
  }
  return Ok();
}

bool InMemoryStore::MarkSentLocked(const SentUpdate& sent) {
  Record* r = FindLocked(sent.message_id);
  if (r == nullptr) return false;
  if (IsFinal(r->message.status)) return true;
  if (!r->message.upstream_id.empty()) {
    by_upstream_.erase({r->message.connector, r->message.upstream_id});
  }
  r->message.status = MessageStatus::kSent;
  r->message.sent_ms = sent.at_ms;
  r->message.connector = sent.connector;
  r->message.upstream_id = sent.upstream_id;
  r->lease_owner.clear();
  r->lease_until_ms = 0;
  if (!sent.upstream_id.empty()) by_upstream_[{sent.connector, sent.upstream_id}] = r;
  RecordPartsLocked(*r, sent);  // parts (ADR 0028)
  return true;
}

Result<void> InMemoryStore::MarkRetry(const std::string& message_id, int64_t next_due_ms,
                                      const std::string& error) {
  std::lock_guard lock(mu_);
  Record* r = FindLocked(message_id);
  if (r == nullptr) return Fail(ErrorCode::kNotFound, "no such message");
  if (IsFinal(r->message.status)) return Ok();
  r->message.status = MessageStatus::kQueued;
  r->message.due_ms = next_due_ms;
  r->lease_owner.clear();
  r->lease_until_ms = 0;
  r->last_error = error;
  return Ok();
}

Result<void> InMemoryStore::MarkUnsent(const std::string& message_id, const std::string& reason,
                                       int64_t now_ms) {
  std::lock_guard lock(mu_);
  Record* r = FindLocked(message_id);
  if (r == nullptr) return Fail(ErrorCode::kNotFound, "no such message");
  if (IsFinal(r->message.status)) return Ok();
  r->message.status = MessageStatus::kUnsent;
  r->message.reason = reason;
  r->message.done_ms = now_ms;
  r->lease_owner.clear();
  r->lease_until_ms = 0;
  RefundLocked(*r, "unsent", now_ms);
  QueueDlrCallbackLocked(r->message, now_ms);  // ADR 0007
  QueueSmppReceiptLocked(r->message, now_ms);
  return Ok();
}

Result<std::optional<Message>> InMemoryStore::ApplyReceipt(const ReceiptUpdate& receipt) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses({receipt}));
  std::lock_guard lock(mu_);
  return ApplyReceiptLocked(receipt);
}

std::optional<Message> InMemoryStore::ApplyReceiptLocked(const ReceiptUpdate& receipt) {
  if (receipt.upstream_id.empty()) return std::nullopt;
  if (auto part = ApplyPartReceiptLocked(receipt)) return *part;  // parts (ADR 0028)
  auto it = by_upstream_.find({receipt.connector, receipt.upstream_id});
  if (it == by_upstream_.end()) return std::nullopt;
  Record* r = it->second;
  bool queued = false;
  if (!IsFinal(r->message.status)) {
    queued = FinishByReceiptLocked(*r, receipt.status, receipt.reason, receipt.at_ms);
  }
  Message out = r->message;
  out.callback_queued = queued;  // docs/adr/0058
  return out;
}

bool InMemoryStore::FinishByReceiptLocked(Record& r, MessageStatus status,
                                          const std::string& reason, int64_t at_ms) {
  r.message.status = status;
  r.message.reason = reason;
  r.message.done_ms = at_ms;
  r.lease_owner.clear();
  r.lease_until_ms = 0;
  const bool queued = QueueDlrCallbackLocked(r.message, at_ms);  // ADR 0007
  QueueSmppReceiptLocked(r.message, at_ms);
  return queued;
}

Result<int64_t> InMemoryStore::ReleaseLeases(const std::string& owner) {
  std::lock_guard lock(mu_);
  int64_t released = 0;
  for (const auto& r : messages_) {
    MessageStatus s = r->message.status;
    if ((s == MessageStatus::kSaved || s == MessageStatus::kQueued) && r->lease_owner == owner &&
        r->lease_until_ms != 0) {
      r->lease_owner.clear();
      r->lease_until_ms = 0;
      ++released;
    }
  }
  return released;
}

Result<std::vector<Message>> InMemoryStore::ListSentVia(const std::string& connector, int limit) {
  std::lock_guard lock(mu_);
  std::vector<const Record*> sent;
  for (const auto& r : messages_) {
    if (r->message.status == MessageStatus::kSent && r->message.connector == connector) {
      sent.push_back(r.get());
    }
  }
  std::sort(sent.begin(), sent.end(), [](const Record* a, const Record* b) {
    return std::tie(a->message.sent_ms, a->seq) < std::tie(b->message.sent_ms, b->seq);
  });
  std::vector<Message> out;
  for (const Record* r : sent) {
    if (limit >= 0 && out.size() >= static_cast<size_t>(limit)) break;
    out.push_back(r->message);
  }
  return out;
}

Result<std::vector<std::pair<MessageStatus, int64_t>>> InMemoryStore::CountByStatus() {
  std::lock_guard lock(mu_);
  std::array<int64_t, 7> counts{};
  for (const auto& r : messages_) counts[static_cast<size_t>(r->message.status)] += 1;
  std::vector<std::pair<MessageStatus, int64_t>> out;
  for (size_t i = 0; i < counts.size(); ++i)
    out.emplace_back(static_cast<MessageStatus>(i), counts[i]);
  return out;
}

}  // namespace bramka::store
