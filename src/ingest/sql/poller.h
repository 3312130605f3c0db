#pragma once
// SqlIngest: polls every SQL source (store.h "SQL API sources") of every
// account, one thread per source, and for each source in every cycle:
//  1. MT: selects due rows with an empty smsid (layout.h), submits each as one
//     message through core (unique_id "sql<source>r<row>", so a resubmit is a
//     duplicate, ADR 0002), claims the rows in bramka's store
//     (Store::ClaimSqlRows; a refused row is claimed as invalid with its code)
//     and only then writes smsid and parts back;
//  2. reports: writes dlr, dlr_date, dlr_code, dlr_description of every
//     claimed row that is invalid or whose message is final
//     (Store::PendingSqlReports), then marks them reported;
//  3. MO: inserts the source's queued incoming messages (sql_mo_outbox,
//     queued by Store::RecordIncoming with the inbox row) into the MO table, once per
//     message id, then acknowledges them.
// Every write-back is idempotent, so a crash or a lost connection between a
// step and its acknowledgement repeats the step harmlessly: each row becomes
// exactly one message and ends with its report (docs/adr/0013).
//
// A database that is down, refuses the login or keeps rows locked fails the
// cycle: the connection is dropped and the source retried with doubling
// backoff (1 s up to max_backoff_s); its state ("ok"/"retrying", the last
// error, consecutive failures) is stored for `bramka admin sql list` and
// shown in /metrics. New and removed sources are picked up within
// reload_interval_ms.
//
// Thread-safety: Wake() and Status() from any thread; Start/Stop from one.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/gateway_service.h"
#include "ingest/sql/client.h"
#include "ingest/sql/layout.h"
#include "ingest/sql/secret_box.h"
#include "store/store.h"

namespace bramka::ingest::sql {

struct SqlIngestOptions {
  int batch_size = 500;
  int max_backoff_s = 60;
  int reload_interval_ms = 1000;
  int timeout_s = 10;  // connect, read, lock waits on the customer's database
  // Opens a connection (tests pass a fake); empty = client.h Connect.
  std::function<Result<std::unique_ptr<SqlConnection>>(const ConnectParams&)> connect;
  // When set and false, no cycle runs (a cluster node without the "ingest" role,
  // docs/adr/0023); asked before every cycle.
  std::function<bool()> active;
};

struct SqlSourceStatus {
  int64_t id = 0;
  store::AccountId account_id = 0;
  std::string engine;
  bool up = false;
  int failures = 0;
  int64_t rows_submitted = 0;
  int64_t rows_invalid = 0;
  int64_t reports_written = 0;
  int64_t mo_inserted = 0;
};

// One source's cycle without a thread: SqlIngest's worker runs it in a loop with
// backoff; tests call it directly. Not thread-safe (Counters() excepted).
class SourcePoller {
 public:
  SourcePoller(core::GatewayService& gateway, store::Store& store, const SecretBox& box,
               const SqlIngestOptions& options, store::SqlSource source);
  ~SourcePoller();
  // Connects when needed, then MT rows, reports and MO rows (steps 1-3 above).
  // Returns true when a batch was full (run again at once). Any error drops the
  // connection (the next cycle reconnects) and is kUnavailable for the database
  // or the store's error.
  Result<bool> Cycle();
  // Rows submitted / invalid, reports written, MO rows inserted since construction.
  SqlSourceStatus Counters();

 private:
  Result<void> EnsureConnected();
  Result<bool> PollRows();
  Result<bool> WriteReports();
  Result<void> WriteRows(const std::string& per_row, const std::string& set,
                         const std::vector<std::string>& keys,
                         const std::vector<std::vector<SqlValue>>& rows);
  Result<bool> InsertMo();

  core::GatewayService& gateway_;
  store::Store& store_;
  const SecretBox& box_;
  const SqlIngestOptions& options_;
  const store::SqlSource source_;
  Engine engine_ = Engine::kMysql;
  Layout layout_;
  Statements statements_;
  std::unique_ptr<SqlConnection> conn_;
  std::mutex mu_;
  SqlSourceStatus status_;  // counters only
};

class SqlIngest {
 public:
  SqlIngest(core::GatewayService& gateway, store::Store& store, SecretBox box,
            SqlIngestOptions options);
  ~SqlIngest();
  SqlIngest(const SqlIngest&) = delete;
  SqlIngest& operator=(const SqlIngest&) = delete;

  void Start();
  // Finishes the cycles in progress and joins every thread.
  void Stop();
  // Report and MO write-back now rather than at the next interval.
  void Wake();
  std::vector<SqlSourceStatus> Status();

  class Worker;

 private:
  void Supervise();

  core::GatewayService& gateway_;
  store::Store& store_;
  SecretBox box_;
  SqlIngestOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<int64_t, std::unique_ptr<Worker>> workers_;
  std::thread supervisor_;
};

}  // namespace bramka::ingest::sql
