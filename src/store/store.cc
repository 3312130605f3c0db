#include "store/store.h"

#include "store/completion_home.h"

#include <future>
#include <utility>

namespace bramka::store {

Result<AcceptResult> Store::Accept(AcceptRequest request) {
  std::promise<Result<AcceptResult>> promise;
  std::future<Result<AcceptResult>> future = promise.get_future();
  // This thread waits for the completion: its home (docs/adr/0067) must not be the one to run it.
  CompletionHome::Scope no_home(nullptr);
  AcceptAsync(std::move(request),
              [&promise](Result<AcceptResult> result) { promise.set_value(std::move(result)); });
  return future.get();
}

Result<void> CheckInboundNumber(const InboundNumber& number) {
  if (number.number.empty()) return Fail(ErrorCode::kInvalidArgument, "number is empty");
  const bool pool = number.kind == InboundKind::kPool;
  if (pool && number.account_id != 0) {
    return Fail(ErrorCode::kInvalidArgument, "pool numbers belong to no account");
  }
  if (!pool && number.account_id == 0) {
    return Fail(ErrorCode::kInvalidArgument, "the number needs an account");
  }
  return Ok();
}

SqlMoEntry SqlMoEntryOf(const InboxMessage& m) {
  SqlMoEntry e;
  e.account_id = m.account_id;
  e.message_id = std::to_string(m.id);
  e.from = m.phone;
  e.to = m.to_number;
  e.text = m.text;
  e.received_ms = m.received_ms;
  return e;
}

// ---- ingest fast path (perf-ingest, docs/adr/0020) ---------------------------------------

Result<std::vector<bool>> Store::AreBlacklisted(AccountId id,
                                                const std::vector<std::string>& phones) {
  std::vector<bool> out(phones.size(), false);
  for (size_t i = 0; i < phones.size(); ++i) {
    BRAMKA_ASSIGN_OR_RETURN(bool listed, IsBlacklisted(id, phones[i]));
    out[i] = listed;
  }
  return out;
}

// ---- perf: one read for a submit's checks (issue 11, docs/adr/0024) ----

Store::SubmitReads Store::ReadForSubmit(AccountId id, const std::string& sender,
                                        const std::vector<std::string>& phones) {
  SubmitReads out;
  if (!sender.empty()) out.sender = GetSender(id, sender);
  out.balances = GetBalances(id);
  out.blacklisted = AreBlacklisted(id, phones);
  return out;
}

// ---- ingest: an API token's account in one read (docs/adr/0030) ----

Result<Account> Store::FindAccountByToken(const std::string& token_hash) {
  BRAMKA_ASSIGN_OR_RETURN(AccountId id, FindAccountByTokenHash(token_hash));
  return GetAccount(id);
}

// ---- perf-delivery: batched delivery writes (docs/adr/0019) ----
// One call per item: correct for any store (every item is idempotent), without the
// single commit that SqliteStore and InMemoryStore give by overriding these.

Result<std::vector<bool>> Store::MarkSentBatch(const std::vector<SentUpdate>& sent) {
  std::vector<bool> found;
  found.reserve(sent.size());
  for (const SentUpdate& s : sent) {
    Result<void> r = MarkSent(s.message_id, s.connector, s.upstream_id, s.at_ms);
    if (!r.ok() && r.error().code != ErrorCode::kNotFound) return r.take_error();
    found.push_back(r.ok());
  }
  return found;
}

Result<std::vector<std::optional<Message>>> Store::ApplyReceipts(
    const std::vector<ReceiptUpdate>& receipts) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses(receipts));
  std::vector<std::optional<Message>> out;
  out.reserve(receipts.size());
  for (const ReceiptUpdate& receipt : receipts) {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Message> m, ApplyReceipt(receipt));
    out.push_back(std::move(m));
  }
  return out;
}

Result<void> Store::DeleteSmppOutboxBatch(const std::vector<int64_t>& entry_ids) {
  for (int64_t id : entry_ids) BRAMKA_RETURN_IF_ERROR(DeleteSmppOutbox(id));
  return Ok();
}

// ---- delivery (docs/adr/0031): the two batch calls, two commits ----

Result<Store::DeliveryWrites> Store::WriteDeliveries(const std::vector<SentUpdate>& sent,
                                                     const std::vector<ReceiptUpdate>& receipts) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses(receipts));
  DeliveryWrites out;
  if (!sent.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(out.found, MarkSentBatch(sent));
  }
  if (!receipts.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(out.applied, ApplyReceipts(receipts));
  }
  return out;
}

// ---- cluster (issue 13, docs/adr/0023): single-node semantics ----

Result<void> Store::HandOverMessages(const std::vector<std::string>& message_ids,
                                     const std::string& connector, int64_t now_ms) {
  for (const std::string& id : message_ids) {
    Result<void> r = MarkRetry(id, now_ms, "handed over to " + connector);
    if (!r.ok() && r.error().code != ErrorCode::kNotFound) return r;
  }
  return Ok();
}

Result<std::vector<SmppOutboxEntry>> Store::ClaimSmppOutbox(int64_t smpp_user_id, int limit,
                                                            int64_t /*now_ms*/) {
  return ListSmppOutbox(smpp_user_id, limit);
}

Result<void> CheckReceiptStatuses(const std::vector<ReceiptUpdate>& receipts) {
  for (const ReceiptUpdate& r : receipts) {
    if (r.status != MessageStatus::kDelivered && r.status != MessageStatus::kUndelivered) {
      return Fail(ErrorCode::kInvalidArgument, "a receipt is delivered or undelivered");
    }
  }
  return Ok();
}

}  // namespace bramka::store
