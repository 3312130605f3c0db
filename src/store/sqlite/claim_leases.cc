#include "store/sqlite/claim_leases.h"

#include <algorithm>

namespace bramka::store::sqlite {

void ClaimLeases::Claim(int64_t seq, const std::string& owner, int64_t until_ms, int64_t due_ms) {
  auto owner_it = std::find(owners_.begin(), owners_.end(), owner);
  if (owner_it == owners_.end()) owner_it = owners_.insert(owners_.end(), owner);
  Lease lease{static_cast<uint32_t>(owner_it - owners_.begin()), until_ms, due_ms, 1};
  std::optional<Lease> before;
  if (const Lease* held = Find(seq)) {
    before = *held;
    lease.claims = held->claims + 1;
  }
  Log(Change{Change::Kind::kLease, seq, before, kStart, {}});
  Put(seq, lease);
}

int ClaimLeases::Release(int64_t seq) {
  const Lease* held = Find(seq);
  if (held == nullptr) return 0;
  const Lease before = *held;
  Log(Change{Change::Kind::kLease, seq, before, kStart, {}});
  Put(seq, std::nullopt);
  return before.claims;
}

std::vector<std::pair<int64_t, ClaimLeases::Lease>> ClaimLeases::ReleaseOwner(
    const std::string& owner) {
  std::vector<std::pair<int64_t, Lease>> out;
  auto owner_it = std::find(owners_.begin(), owners_.end(), owner);
  if (owner_it == owners_.end()) return out;
  const auto index = static_cast<uint32_t>(owner_it - owners_.begin());
  for (const auto& [seq, lease] : leases_) {
    if (lease.owner == index) out.emplace_back(seq, lease);
  }
  for (const auto& [seq, lease] : out) Release(seq);
  return out;
}

std::vector<ClaimLeases::Key> ClaimLeases::Expired(int64_t now_ms) const {
  std::vector<Key> out;
  for (auto it = by_until_.begin(); it != by_until_.end() && it->first <= now_ms; ++it) {
    out.emplace_back(leases_.at(it->second).due_ms, it->second);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ClaimLeases::Advance(Key key) {
  if (key == cursor_) return;
  Log(Change{Change::Kind::kCursor, 0, std::nullopt, cursor_, {}});
  cursor_ = key;
}

void ClaimLeases::Lower(Key key) {
  LimitHandoff(key.first);  // docs/adr/0065: a free entry may be due from key.first on
  if (key < cursor_) Advance(key);
}

void ClaimLeases::GrantHandoff(int credit, int64_t horizon) {
  paused_.store(false, std::memory_order_relaxed);
  SetHandoff(HandoffState{std::max(credit, 0), horizon});
}

bool ClaimLeases::TakeHandoff(int64_t due_ms) {
  if (handoff_.credit <= 0) return false;
  if (paused_.load(std::memory_order_relaxed) || due_ms >= handoff_.horizon) {
    SetHandoff(HandoffState{0, handoff_.horizon});
    return false;
  }
  SetHandoff(HandoffState{handoff_.credit - 1, handoff_.horizon});
  return true;
}

void ClaimLeases::LimitHandoff(int64_t due_ms) {
  if (handoff_.credit <= 0 || due_ms >= handoff_.horizon) return;
  SetHandoff(HandoffState{handoff_.credit, due_ms});
}

void ClaimLeases::SetHandoff(HandoffState state) {
  Log(Change{Change::Kind::kHandoff, 0, std::nullopt, kStart, handoff_});
  handoff_ = state;
  armed_.store(handoff_.credit > 0, std::memory_order_relaxed);
}

size_t ClaimLeases::Mark() {
  Sync();
  return log_.size();
}

void ClaimLeases::UndoTo(size_t mark) {
  while (log_.size() > mark) {
    Change c = std::move(log_.back());
    log_.pop_back();
    switch (c.kind) {
      case Change::Kind::kCursor:
        cursor_ = c.cursor_before;
        break;
      case Change::Kind::kHandoff:
        handoff_ = c.handoff_before;
        armed_.store(handoff_.credit > 0, std::memory_order_relaxed);
        break;
      case Change::Kind::kLease:
        Put(c.seq, c.before);
        break;
    }
  }
}

void ClaimLeases::OnRollback() {
  Sync();  // a log from before the last commit is not this transaction's
  UndoTo(0);
}

void ClaimLeases::Log(Change change) {
  Sync();
  log_.push_back(std::move(change));
}

void ClaimLeases::Sync() {
  const uint64_t commits = commits_ ? commits_() : 0;
  if (commits == log_commits_) return;
  // The writer committed since the log began: what it holds is durable state now.
  log_.clear();
  log_commits_ = commits;
}

void ClaimLeases::Put(int64_t seq, const std::optional<Lease>& lease) {
  auto it = leases_.find(seq);
  if (it != leases_.end()) {
    by_until_.erase({it->second.until_ms, seq});
    if (!lease) {
      leases_.erase(it);
      return;
    }
    it->second = *lease;
  } else {
    if (!lease) return;
    leases_.emplace(seq, *lease);
  }
  by_until_.emplace(lease->until_ms, seq);
}

}  // namespace bramka::store::sqlite
