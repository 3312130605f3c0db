#pragma once
// ClaimLeases: SqliteStore's leases of claimed kQueued messages, in memory (docs/adr/0047).
//
// One process owns a SQLite database (a SQLite store is one node, docs/adr/0023), and after a
// crash every claimed-but-unsent message must be due again anyway: so a claim of a kQueued
// message that nobody holds writes nothing. Its lease (owner, end) lives here, and so does
// the claim's attempt until the message's next write (MarkSent, MarkRetry, MarkUnsent,
// ReleaseLeases), which adds it to the row's `attempts`. The row keeps status 1 and
// lease_until_ms 0, so it stays in `messages_claim`: ClaimDue starts its scan at a cursor,
// (due_ms, seq), below which every entry of that index is leased here; anything that can put
// an entry below it (an accept, MarkRetry, ReplaceScheduled's new due time, ReleaseLeases, a
// rollback) lowers or resets the cursor.
//
// Transactions: the writer may roll a batch back (and run it again with savepoints); what
// its jobs changed here must go with it. Every change is logged; a job that fails undoes
// its own (UndoTo a Mark taken before it), and SQLite's rollback hook on the writer
// connection (OnRollback) undoes everything since the last commit. A commit is seen through
// the writer's commit count: once it moved on, the log is forgotten.
//
// Used only on the writer thread (jobs and the writer connection's rollback hook).

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

class ClaimLeases {
 public:
  struct Lease {
    uint32_t owner = 0;    // index into owners_
    int64_t until_ms = 0;  // the lease ends (the message is claimable again) at this time
    int64_t due_ms = 0;    // the row's due_ms (the claim order of an expired lease)
    int claims = 0;        // claims not yet added to the row's attempts
  };
  // (due_ms, seq): the order of messages_claim.
  using Key = std::pair<int64_t, int64_t>;
  static constexpr Key kStart{INT64_MIN, INT64_MIN};

  // `commits` returns the writer's committed transactions so far (Writer::commit_count);
  // set once, before the first job (the store makes the writer after the rollback hook).
  void SetCommitCount(std::function<uint64_t()> commits) { commits_ = std::move(commits); }

  const Lease* Find(int64_t seq) const {
    auto it = leases_.find(seq);
    return it == leases_.end() ? nullptr : &it->second;
  }
  const std::string& OwnerOf(const Lease& lease) const { return owners_[lease.owner]; }
  size_t size() const { return leases_.size(); }

  // A claim of the message: a new lease, or the renewal of an expired one (one more claim).
  void Claim(int64_t seq, const std::string& owner, int64_t until_ms, int64_t due_ms);
  // Ends the message's lease; the claims not yet written (0 when it had none).
  int Release(int64_t seq);
  // Every lease of `owner`, removed: (seq, lease) each.
  std::vector<std::pair<int64_t, Lease>> ReleaseOwner(const std::string& owner);
  // The seqs whose lease ended at or before now_ms, by (due_ms, seq).
  std::vector<Key> Expired(int64_t now_ms) const;

  Key cursor() const { return cursor_; }
  // The scan went up to `key` (exclusive): every entry below it is leased here.
  void Advance(Key key);
  // An entry at `key` is (or may become) free: the scan must start there at the latest.
  void Lower(Key key);
  void ResetCursor() { Lower(kStart); }

  // Transactions (see above).
  size_t Mark();
  void UndoTo(size_t mark);
  void OnRollback();

 private:
  struct Change {
    bool cursor = false;          // true: the cursor moved from cursor_before
    int64_t seq = 0;              // else the lease of this message changed
    std::optional<Lease> before;  // from this (none: it had none)
    Key cursor_before = kStart;
  };
  void Log(Change change);
  void Sync();  // forgets the log once the writer committed since it began
  void Put(int64_t seq, const std::optional<Lease>& lease);

  std::function<uint64_t()> commits_;
  std::unordered_map<int64_t, Lease> leases_;
  std::set<std::pair<int64_t, int64_t>> by_until_;  // (until_ms, seq) of every lease
  std::vector<std::string> owners_;                 // the owners seen (one per node name)
  Key cursor_ = kStart;
  std::vector<Change> log_;
  uint64_t log_commits_ = 0;  // the commit count when log_ began
};

// Ends the message's lease here, if it has one, adding its claims to the row's attempts
// (sqlite_store_claim.cc).
Result<void> EndClaimInTx(Connection& conn, ClaimLeases& leases, int64_t seq);

// Runs a write job's body `fn` (-> Result<T>) so that its lease changes go with it when it
// fails (its savepoint is rolled back).
template <typename Fn>
auto WithLeases(ClaimLeases& leases, Fn&& fn) -> decltype(fn()) {
  const size_t mark = leases.Mark();
  auto result = fn();
  if (!result.ok()) leases.UndoTo(mark);
  return result;
}

}  // namespace bramka::store::sqlite
