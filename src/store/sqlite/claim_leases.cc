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
  Log(Change{false, seq, before, kStart});
  Put(seq, lease);
}

int ClaimLeases::Release(int64_t seq) {
  const Lease* held = Find(seq);
  if (held == nullptr) return 0;
  const Lease before = *held;
  Log(Change{false, seq, before, kStart});
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
  Log(Change{true, 0, std::nullopt, cursor_});
  cursor_ = key;
}

void ClaimLeases::Lower(Key key) {
  if (key < cursor_) Advance(key);
}

size_t ClaimLeases::Mark() {
  Sync();
  return log_.size();
}

void ClaimLeases::UndoTo(size_t mark) {
  while (log_.size() > mark) {
    Change c = std::move(log_.back());
    log_.pop_back();
    if (c.cursor) {
      cursor_ = c.cursor_before;
    } else {
      Put(c.seq, c.before);
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
