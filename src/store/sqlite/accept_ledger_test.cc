// s7-writer (docs/adr/0036): the accept ledger per batch, read back from the file as an
// auditor would. Accepts of two accounts queued together (the writer batches them,
// one runs out of units and is refused alone, top-ups flush the balance cache between
// them), then cancellations refunding some: every account's ledger still sums to its
// balance, every accept row of the ledger equals the sum of the shares its messages
// name, fewer ledger rows than charged messages are written, and each message's ledger
// sum is what it was charged less what was refunded.

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/accept_ledger.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

// Every row of `sql` as its columns joined with ',' (read-only connection).
std::vector<std::string> Rows(const std::string& path, const char* sql) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::string row;
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
          const unsigned char* text = sqlite3_column_text(stmt, c);
          if (c > 0) row += ',';
          row += text == nullptr ? "" : reinterpret_cast<const char*>(text);
        }
        out.push_back(row);
      }
    } else {
      out.push_back(std::string("error: ") + sqlite3_errmsg(db));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

TEST(AcceptLedgerTest, BatchRowsAddUpAndTheLedgerStillSumsToTheBalances) {
  const std::string path =
      (fs::temp_directory_path() / ("bramka-accept-ledger-" + std::to_string(::getpid()) + ".db"))
          .string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  SqliteOptions options;
  options.path = path;
  auto opened = SqliteStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  Store& store = **opened;

  auto a = store.CreateAccount("ledger-a", "h", 0, 1'000);
  auto b = store.CreateAccount("ledger-b", "h", 0, 1'000);
  ASSERT_TRUE(a.ok() && b.ok());
  for (MessageType t : kAllBalanceTypes) {
    ASSERT_TRUE(store.AdjustBalance(*a, t, 30, "initial", 1'000).ok());
    ASSERT_TRUE(store.AdjustBalance(*b, t, 1'000, "initial", 1'000).ok());
  }
  ASSERT_TRUE(store.SetBalanceMode(*b, MessageType::kFull, true, /*unlimited=*/true).ok());

  int next = 0;
  auto message = [&](AccountId account, MessageType type, MessageStatus status) {
    char id[16];
    std::snprintf(id, sizeof id, "%010x", static_cast<unsigned>(++next));
    Message m;
    m.id = id;
    m.account_id = account;
    m.phone = "+48500000001";
    m.type = type;
    m.text = "ledger " + std::to_string(next);
    m.parts = 1;
    m.cost_units = 1 + next % 2;
    m.status = status;
    m.source = "http";
    m.queued_ms = 2'000 + next;
    m.due_ms = m.queued_ms;
    return m;
  };

  constexpr int kRequests = 60;
  std::vector<Message> of_a;
  std::vector<std::vector<Message>> of_b;
  for (int i = 0; i < kRequests; ++i) {
    of_a.push_back(message(*a, MessageType::kEco,
                           i % 3 == 0 ? MessageStatus::kSaved : MessageStatus::kQueued));
    of_b.push_back({message(*b, MessageType::kEco, MessageStatus::kSaved),
                    message(*b, MessageType::kEco, MessageStatus::kQueued),
                    message(*b, MessageType::kFull, MessageStatus::kQueued)});
  }
  std::vector<bool> ok_a(kRequests, false);
  std::atomic<int> left{2 * kRequests};
  std::promise<void> all_done;
  auto done_one = [&] {
    if (--left == 0) all_done.set_value();
  };
  std::atomic<int> topups{0};
  std::thread topper([&] {
    for (int i = 0; i < 10; ++i) {
      if (store.AdjustBalance(*a, MessageType::kEco, 1, "top-up", 3'000).ok()) ++topups;
    }
  });
  for (int i = 0; i < kRequests; ++i) {
    store.AcceptAsync(AcceptRequest{*a, {of_a[i]}}, [&, i](Result<AcceptResult> r) {
      ok_a[i] = r.ok();
      done_one();
    });
    store.AcceptAsync(AcceptRequest{*b, of_b[i]}, [&, i](Result<AcceptResult> r) {
      EXPECT_TRUE(r.ok()) << r.error().ToString();
      done_one();
    });
  }
  ASSERT_EQ(all_done.get_future().wait_for(std::chrono::seconds(60)), std::future_status::ready);
  topper.join();

  // Refunds: every scheduled message cancelled (a per-message ledger row each).
  int refused = 0;
  for (int i = 0; i < kRequests; ++i) {
    if (!ok_a[i]) {
      ++refused;
      EXPECT_EQ(*store.LedgerSumForMessage(of_a[i].id), 0);
      continue;
    }
    const bool saved = of_a[i].status == MessageStatus::kSaved;
    EXPECT_EQ(*store.LedgerSumForMessage(of_a[i].id), -of_a[i].cost_units);
    if (saved) {
      ASSERT_TRUE(*store.CancelScheduled(*a, of_a[i].id, 4'000));
      EXPECT_EQ(*store.LedgerSumForMessage(of_a[i].id), 0);
    }
  }
  EXPECT_GT(refused, 0) << "30 units and 10 top-ups cannot pay for ~90";
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(*store.LedgerSumForMessage(of_b[i][0].id), -of_b[i][0].cost_units);
    ASSERT_TRUE(*store.CancelScheduled(*b, of_b[i][0].id, 4'000));
    EXPECT_EQ(*store.LedgerSumForMessage(of_b[i][0].id), 0);
    EXPECT_EQ(*store.LedgerSumForMessage(of_b[i][1].id), -of_b[i][1].cost_units);
    EXPECT_EQ(*store.LedgerSumForMessage(of_b[i][2].id), 0);  // unlimited
  }

  // The audit, from the file.
  EXPECT_EQ(Rows(path, sql::kAcceptLedgerMismatches), std::vector<std::string>{});
  std::vector<std::string> balances;
  for (AccountId account : {*a, *b}) {
    auto got = store.GetBalances(account);
    ASSERT_TRUE(got.ok());
    for (const Balance& balance : *got) {
      balances.push_back(std::to_string(account) + "," +
                         std::to_string(static_cast<int>(balance.type)) + "," +
                         std::to_string(balance.units));
    }
  }
  std::sort(balances.begin(), balances.end());
  auto sums = Rows(path,
                   "SELECT b.account_id, b.type, COALESCE(SUM(l.delta), 0) FROM balances b "
                   "LEFT JOIN ledger l ON l.account_id = b.account_id AND l.type = b.type "
                   "GROUP BY b.account_id, b.type");
  std::sort(sums.begin(), sums.end());
  EXPECT_EQ(sums, balances);
  // b's requests each charge two eco messages to one ledger row at most.
  const auto accept_rows = Rows(
      path,
      ("SELECT COUNT(*) FROM ledger WHERE note = 'accept' AND account_id = " + std::to_string(*b))
          .c_str());
  const auto charged = Rows(path, ("SELECT COUNT(*) FROM messages WHERE accept_units > 0 AND "
                                   "accept_ledger <> 0 AND account_id = " +
                                   std::to_string(*b))
                                      .c_str());
  ASSERT_EQ(charged, std::vector<std::string>{std::to_string(2 * kRequests)});
  ASSERT_EQ(accept_rows.size(), 1u);
  EXPECT_LE(std::stoi(accept_rows[0]), kRequests);
  EXPECT_EQ(Rows(path,
                 "SELECT COUNT(*) FROM ledger WHERE note = 'accept' AND message_seq "
                 "IS NOT NULL"),
            std::vector<std::string>{"0"});

  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

}  // namespace
}  // namespace bramka::store::sqlite
