// s8-smpp (docs/adr/0041): the accepts of one writer batch INSERTed together keep
// their answers per job. The writer is held at BEGIN (another connection holds the
// write lock) while accepts queue, so that they run as one batch: a reused message id,
// a unique_id seen earlier in the same batch, an account without units and plain
// one-message accepts (SMPP's and one-recipient send_sms' shape) side by side. Each
// gets the answer it gets alone; the refused ones write nothing; the rest are stored
// as given, charged, and counted.

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

struct Answer {
  bool done = false;
  Result<AcceptResult> result = MakeError(ErrorCode::kInternal, "no answer");
};

TEST(AcceptRowsTest, OneBatchOfAcceptsKeepsEveryJobsOwnAnswer) {
  const std::string path =
      (fs::temp_directory_path() / ("bramka-accept-rows-" + std::to_string(::getpid()) + ".db"))
          .string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  SqliteOptions options;
  options.path = path;
  options.busy_timeout_ms = 60'000;
  auto opened = SqliteStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  SqliteStore& store = **opened;
  auto rich = store.CreateAccount("rows-rich", "h", 0, 1'000);
  auto poor = store.CreateAccount("rows-poor", "h", 0, 1'000);
  ASSERT_TRUE(rich.ok() && poor.ok());
  ASSERT_TRUE(store.AdjustBalance(*rich, MessageType::kEco, 1'000, "initial", 1'000).ok());
  ASSERT_TRUE(store.AdjustBalance(*poor, MessageType::kEco, 1, "initial", 1'000).ok());

  int next = 0;
  auto message = [&](AccountId account) {
    char id[16];
    std::snprintf(id, sizeof id, "%010x", static_cast<unsigned>(++next));
    Message m;
    m.id = id;
    m.account_id = account;
    m.phone = "+48500" + std::to_string(100000 + next);
    m.sender = "Rows";
    m.type = MessageType::kEco;
    m.text = "rows " + std::to_string(next);
    m.parts = 1;
    m.cost_units = 1;
    m.status = next % 4 == 0 ? MessageStatus::kSaved : MessageStatus::kQueued;
    m.source = "smpp";
    m.queued_ms = 2'000 + next;
    m.due_ms = m.queued_ms + (m.status == MessageStatus::kSaved ? 60'000 : 0);
    m.attachments =
        next % 5 == 0 ? std::vector<std::string>{"a1", "a2"} : std::vector<std::string>{};
    return m;
  };

  enum class Want { kOk, kDuplicateOfFirst, kReusedId, kNoUnits };
  // Requests in queue order and what each must get.
  struct Batch {
    std::vector<AcceptRequest> requests;
    std::vector<Want> want;
    void Add(AccountId account, const Message& m, Want w) {
      requests.push_back({account, {m}});
      want.push_back(w);
    }
  };
  int64_t charged_rich = 0;
  // Queues `requests` while the writer waits for the write lock, then checks each answer.
  auto run_batch = [&](const Batch& batch, const Message& first, const Message& plain) {
    const std::vector<AcceptRequest>& requests = batch.requests;
    const std::vector<Want>& want = batch.want;
    sqlite3* blocker = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &blocker), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const uint64_t commits_before = store.commit_count();
    std::vector<Answer> answers(requests.size());
    std::atomic<size_t> left{requests.size()};
    std::promise<void> all_done;
    for (size_t i = 0; i < requests.size(); ++i) {
      store.AcceptAsync(requests[i], [&, i](Result<AcceptResult> r) {
        answers[i].result = std::move(r);
        answers[i].done = true;
        if (--left == 0) all_done.set_value();
      });
    }
    ASSERT_EQ(sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(blocker);
    ASSERT_EQ(all_done.get_future().wait_for(std::chrono::seconds(60)), std::future_status::ready);
    // The first accept may run alone (taken before the lock stopped it), the rest together.
    EXPECT_LE(store.commit_count() - commits_before, 2u) << "the accepts were not batched";
    for (size_t i = 0; i < requests.size(); ++i) {
      ASSERT_TRUE(answers[i].done) << i;
      const Result<AcceptResult>& r = answers[i].result;
      const Message& m = requests[i].messages[0];
      switch (want[i]) {
        case Want::kOk: {
          ASSERT_TRUE(r.ok()) << i << ": " << r.error().ToString();
          ASSERT_EQ(r->items.size(), 1u);
          EXPECT_EQ(r->items[0].id, m.id);
          EXPECT_FALSE(r->items[0].duplicate);
          auto got = store.GetMessage(requests[i].account_id, m.id);
          ASSERT_TRUE(got.ok()) << i << ": " << got.error().ToString();
          EXPECT_EQ(got->phone, m.phone);
          EXPECT_EQ(got->text, m.text);
          EXPECT_EQ(got->status, m.status);
          EXPECT_EQ(got->unique_id, m.unique_id);
          EXPECT_EQ(got->attachments, m.attachments);
          EXPECT_EQ(got->queued_ms, m.queued_ms);
          EXPECT_EQ(got->due_ms, m.due_ms);
          if (requests[i].account_id == *rich) ++charged_rich;
          EXPECT_EQ(*store.LedgerSumForMessage(m.id), -1) << i;
          break;
        }
        case Want::kDuplicateOfFirst:
          ASSERT_TRUE(r.ok()) << r.error().ToString();
          ASSERT_EQ(r->items.size(), 1u);
          EXPECT_EQ(r->items[0].id, first.id);
          EXPECT_TRUE(r->items[0].duplicate);
          EXPECT_EQ(store.GetMessage(*rich, m.id).error().code, ErrorCode::kNotFound);
          break;
        case Want::kReusedId:
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
          EXPECT_EQ(r.error().message, "message id already used: " + m.id);
          EXPECT_EQ(store.GetMessage(*rich, m.id)->text, plain.text);  // the first one's
          break;
        case Want::kNoUnits:
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.error().code, ErrorCode::kRejected);
          EXPECT_EQ(store.GetMessage(*poor, m.id).error().code, ErrorCode::kNotFound);
          break;
      }
    }
  };

  // Batch 1: no job fails, so the rows go in together (a unique_id's lookup first
  // inserts the rows before it, and sees the earlier request of the batch).
  {
    Batch batch;
    for (int i = 0; i < 5; ++i) batch.Add(*rich, message(*rich), Want::kOk);
    Message first = message(*rich);
    first.unique_id = "order-1";
    batch.Add(*rich, first, Want::kOk);
    for (int i = 0; i < 20; ++i) batch.Add(*rich, message(*rich), Want::kOk);
    Message retry = message(*rich);
    retry.unique_id = "order-1";  // the client's retry of `first`, in the same batch
    batch.Add(*rich, retry, Want::kDuplicateOfFirst);
    for (int i = 0; i < 70; ++i)
      batch.Add(*rich, message(*rich), Want::kOk);  // > one 64-row INSERT
    run_batch(batch, first, first);
  }
  // Batch 2: a reused id and an account without units: the batch runs again job by job,
  // and only those two fail, each with its own error.
  {
    Batch batch;
    for (int i = 0; i < 5; ++i) batch.Add(*rich, message(*rich), Want::kOk);
    Message plain = message(*rich);
    batch.Add(*rich, plain, Want::kOk);
    for (int i = 0; i < 10; ++i) batch.Add(*rich, message(*rich), Want::kOk);
    Message reused = message(*rich);
    reused.id = plain.id;  // accepted earlier in the same batch
    batch.Add(*rich, reused, Want::kReusedId);
    batch.Add(*poor, message(*poor), Want::kOk);
    batch.Add(*poor, message(*poor), Want::kNoUnits);  // its one unit is gone
    for (int i = 0; i < 10; ++i) batch.Add(*rich, message(*rich), Want::kOk);
    run_batch(batch, plain, plain);
  }

  EXPECT_EQ(store.GetBalances(*rich)->at(0).units, 1'000 - charged_rich);
  EXPECT_EQ(store.GetBalances(*poor)->at(0).units, 0);
  int64_t stored = 0;
  auto counts = store.CountByStatus();
  ASSERT_TRUE(counts.ok());
  for (const auto& [status, n] : *counts) stored += n;
  EXPECT_EQ(stored, charged_rich + 1);
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

}  // namespace
}  // namespace bramka::store::sqlite
