#pragma once
// Test helpers shared by SqliteStore's tests (sqlite_store_test.cc, claim_leases_test.cc):
// messages with ids of the default codec, and SQL run on the file behind the store's back.

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "common/ids.h"
#include "store/model.h"

namespace bramka::store::sqlite::testing_util {

inline MessageIdCodec& Codec() {
  static MessageIdCodec codec;
  return codec;
}

// A queued eco message numbered `sequence` (its id and due time follow the number).
inline Message MakeMessage(uint64_t sequence, int64_t cost = 1) {
  Message m;
  m.id = Codec().Encode(sequence);
  m.phone = "+48500" + std::to_string(100000 + sequence % 900000);
  m.type = MessageType::kEco;
  m.text = "message " + std::to_string(sequence);
  m.cost_units = cost;
  m.status = MessageStatus::kQueued;
  m.source = "http";
  m.queued_ms = 1'000'000 + static_cast<int64_t>(sequence);
  m.due_ms = m.queued_ms;
  return m;
}

// Runs SQL on the file directly, behind the store's back.
inline void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

}  // namespace bramka::store::sqlite::testing_util
