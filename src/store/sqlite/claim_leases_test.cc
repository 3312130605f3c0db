// s10-claim (docs/adr/0047): ClaimLeases alone, its transactions on a real writer connection,
// and SqliteStore's claims across a restart and beside a previous version's row leases.

#include "store/sqlite/claim_leases.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/ids.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/store_test_util.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

std::string FreshPath(const std::string& name) {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "bramka-claim-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    return fs::path(made);
  }();
  static int counter = 0;
  return (dir / (name + "-" + std::to_string(counter++) + ".db")).string();
}

TEST(ClaimLeasesTest, ClaimRenewAndRelease) {
  ClaimLeases leases;
  leases.Claim(7, "a", 100, 10);
  ASSERT_NE(leases.Find(7), nullptr);
  EXPECT_EQ(leases.Find(7)->claims, 1);
  EXPECT_EQ(leases.OwnerOf(*leases.Find(7)), "a");
  EXPECT_TRUE(leases.Expired(99).empty());
  EXPECT_EQ(leases.Expired(100), (std::vector<ClaimLeases::Key>{{10, 7}}));
  leases.Claim(7, "b", 200, 10);  // renewed after it ran out: a second claim
  EXPECT_EQ(leases.Find(7)->claims, 2);
  EXPECT_EQ(leases.OwnerOf(*leases.Find(7)), "b");
  EXPECT_TRUE(leases.Expired(199).empty());
  leases.Claim(8, "a", 150, 5);
  leases.Claim(9, "a", 150, 20);
  EXPECT_EQ(leases.Expired(1000), (std::vector<ClaimLeases::Key>{{5, 8}, {10, 7}, {20, 9}}));
  EXPECT_EQ(leases.Release(7), 2);
  EXPECT_EQ(leases.Release(7), 0);
  auto of_a = leases.ReleaseOwner("a");
  EXPECT_EQ(of_a.size(), 2u);
  EXPECT_EQ(leases.size(), 0u);
  EXPECT_TRUE(leases.ReleaseOwner("nobody").empty());
}

TEST(ClaimLeasesTest, CursorMovesAndIsLowered) {
  ClaimLeases leases;
  EXPECT_EQ(leases.cursor(), ClaimLeases::kStart);
  leases.Advance({100, 5});
  leases.Lower({200, 1});  // not below: no change
  EXPECT_EQ(leases.cursor(), (ClaimLeases::Key{100, 5}));
  leases.Lower({100, 4});
  EXPECT_EQ(leases.cursor(), (ClaimLeases::Key{100, 4}));
  leases.ResetCursor();
  EXPECT_EQ(leases.cursor(), ClaimLeases::kStart);
}

TEST(ClaimLeasesTest, UndoRestoresLeasesAndCursorUntilACommit) {
  uint64_t commits = 0;
  ClaimLeases leases;
  leases.SetCommitCount([&] { return commits; });
  leases.Claim(1, "a", 100, 10);
  leases.Advance({10, 2});
  commits = 1;  // the transaction with claim 1 committed
  const size_t mark = leases.Mark();
  leases.Claim(2, "a", 100, 11);
  leases.Claim(1, "a", 300, 10);
  leases.Advance({11, 3});
  leases.UndoTo(mark);  // the job failed: its savepoint is gone
  EXPECT_EQ(leases.Find(2), nullptr);
  EXPECT_EQ(leases.Find(1)->until_ms, 100);
  EXPECT_EQ(leases.Find(1)->claims, 1);
  EXPECT_EQ(leases.cursor(), (ClaimLeases::Key{10, 2}));
  // A whole transaction rolled back: everything since the last commit goes, not before.
  leases.Claim(3, "a", 100, 12);
  EXPECT_EQ(leases.Release(1), 1);
  leases.OnRollback();
  EXPECT_EQ(leases.Find(3), nullptr);
  ASSERT_NE(leases.Find(1), nullptr);
  EXPECT_EQ(leases.Expired(100).size(), 1u);
  // Committed, then a later transaction rolls back without changes of its own.
  leases.Claim(4, "a", 100, 13);
  commits = 2;
  leases.OnRollback();
  EXPECT_NE(leases.Find(4), nullptr);
}

// The store's rollback hook on a real connection: ROLLBACK undoes, ROLLBACK TO does not call it.
TEST(ClaimLeasesTest, RollbackHookOnAConnection) {
  auto conn = Connection::Open(FreshPath("hook"), Connection::Mode::kWriter, 1000);
  ASSERT_TRUE(conn.ok()) << conn.error().ToString();
  Connection& c = **conn;
  ClaimLeases leases;
  uint64_t commits = 0;
  leases.SetCommitCount([&] { return commits; });
  sqlite3_rollback_hook(
      c.db(), [](void* l) { static_cast<ClaimLeases*>(l)->OnRollback(); }, &leases);
  ASSERT_TRUE(c.Exec("CREATE TABLE t (x)").ok());
  ASSERT_TRUE(c.Exec("BEGIN IMMEDIATE").ok());
  leases.Claim(1, "a", 100, 10);
  ASSERT_TRUE(c.Exec("SAVEPOINT job").ok());
  ASSERT_TRUE(c.Exec("ROLLBACK TO job").ok());
  ASSERT_TRUE(c.Exec("RELEASE job").ok());
  EXPECT_NE(leases.Find(1), nullptr);
  ASSERT_TRUE(c.Exec("ROLLBACK").ok());
  EXPECT_EQ(leases.Find(1), nullptr);
  ASSERT_TRUE(c.Exec("BEGIN IMMEDIATE").ok());
  leases.Claim(2, "a", 100, 10);
  ASSERT_TRUE(c.Exec("COMMIT").ok());
  ++commits;
  ASSERT_TRUE(c.Exec("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(c.Exec("ROLLBACK").ok());
  EXPECT_NE(leases.Find(2), nullptr);
  sqlite3_rollback_hook(c.db(), nullptr, nullptr);
}

using testing_util::MakeMessage;
using testing_util::RawExec;

// A claim dies with the process: after a restart the message is due at once (no lease to
// wait for) and the lost claim is not counted.
TEST(SqliteClaimTest, ClaimsDieWithTheProcess) {
  SqliteOptions options;
  options.path = FreshPath("restart");
  Message m;
  AccountId account = 0;
  {
    auto store = SqliteStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    account = *(*store)->CreateAccount("alice", "hash", 0, 5);
    ASSERT_TRUE((*store)->AdjustBalance(account, MessageType::kEco, 10, "top-up", 7).ok());
    m = MakeMessage(*(*store)->ReserveIdBlock(10));
    ASSERT_TRUE((*store)->Accept(AcceptRequest{account, {m}}).ok());
    auto claimed = (*store)->ClaimDue(m.due_ms, 10, "node", m.due_ms + 60'000);
    ASSERT_EQ(claimed->size(), 1u);
    EXPECT_EQ((*claimed)[0].attempts, 1);
    EXPECT_TRUE((*store)->ClaimDue(m.due_ms, 10, "node", m.due_ms + 60'000)->empty());
  }
  auto store = SqliteStore::Open(options);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->ReleaseLeases("node"), 0);
  auto again = (*store)->ClaimDue(m.due_ms, 10, "node", m.due_ms + 60'000);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, m.id);
  EXPECT_EQ((*again)[0].attempts, 1);
  // A job that fails (rolled back alone) leaves the committed claims as they are.
  EXPECT_FALSE((*store)->CancelScheduled(account, "0123456789", 1).ok());
  EXPECT_TRUE((*store)->ClaimDue(m.due_ms, 10, "node", m.due_ms + 60'000)->empty());
}

// Leases in rows (a previous version's claims) keep their meaning: they run out, are
// released by their owner, and are claimed with the free messages oldest due first.
TEST(SqliteClaimTest, RowLeasesOfAPreviousVersion) {
  SqliteOptions options;
  options.path = FreshPath("rows");
  Message a, b, c;
  {
    auto store = SqliteStore::Open(options);
    ASSERT_TRUE(store.ok());
    AccountId account = *(*store)->CreateAccount("alice", "hash", 0, 5);
    ASSERT_TRUE((*store)->AdjustBalance(account, MessageType::kEco, 10, "top-up", 7).ok());
    const uint64_t block = *(*store)->ReserveIdBlock(10);
    a = MakeMessage(block);
    b = MakeMessage(block + 1);
    c = MakeMessage(block + 2);
    ASSERT_TRUE((*store)->Accept(AcceptRequest{account, {a, b, c}}).ok());
  }
  RawExec(options.path,
          "UPDATE messages SET lease_owner = 'old', lease_until_ms = 5000000, "
          "attempts = 1 WHERE id = '" +
              a.id + "'");
  RawExec(options.path,
          "UPDATE messages SET lease_owner = 'other', lease_until_ms = 2000000, "
          "attempts = 1 WHERE id = '" +
              c.id + "'");
  auto store = SqliteStore::Open(options);
  ASSERT_TRUE(store.ok());
  auto first = (*store)->ClaimDue(c.due_ms, 10, "node", 9'000'000);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, b.id);
  // `other`'s lease runs out at 2,000,000; `old` is released by its owner.
  EXPECT_TRUE((*store)->ClaimDue(1'999'999, 10, "node", 9'000'000)->empty());
  auto second = (*store)->ClaimDue(2'000'000, 10, "node", 9'000'000);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].id, c.id);
  EXPECT_EQ((*second)[0].attempts, 2);
  EXPECT_EQ(*(*store)->ReleaseLeases("old"), 1);
  auto third = (*store)->ClaimDue(2'000'000, 10, "node", 9'000'000);
  ASSERT_EQ(third->size(), 1u);
  EXPECT_EQ((*third)[0].id, a.id);
  EXPECT_EQ((*third)[0].attempts, 2);
  // `node` holds all three now: b in memory, c and a in their rows.
  EXPECT_EQ(*(*store)->ReleaseLeases("node"), 3);
  EXPECT_EQ((*store)->ClaimDue(2'000'000, 10, "node", 9'000'000)->size(), 3u);
}

}  // namespace
}  // namespace bramka::store::sqlite
