#include "ingest/sql/poller.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

#include <spdlog/spdlog.h>

#include "common/time_format.h"
#include "ingest/sql/client.h"
#include "ingest/sql/layout.h"
#include "store/unavailable.h"

namespace bramka::ingest::sql {
namespace {

using Ms = std::chrono::milliseconds;

int64_t NowMs() {
  return std::chrono::duration_cast<Ms>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// At most `max` bytes, not cutting a UTF-8 sequence (varchar(100) columns).
std::string Clip(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

std::string Str(const SqlValue& v) { return v ? *v : std::string(); }

// Ids a collation might count as equal share this key: ASCII case and trailing spaces
// ignored, every non-ASCII byte alike (bramka's ids are ASCII). Too coarse only delays an
// entry by a cycle.
std::string LooseKey(const std::string& id) {
  std::string key;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    key += u >= 0x80 ? '\x80' : static_cast<char>(std::tolower(u));
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

}  // namespace

// A batch's write-backs: on PostgreSQL one statement for the whole batch (docs/adr/0070),
// on MariaDB/MySQL the per-row statement in bulk (docs/adr/0056). `keys` name the layout
// columns of each row's values, in the per-row statement's parameter order (id last).
Result<void> SourcePoller::WriteRows(const std::string& per_row, const std::string& set,
                                     const std::vector<std::string>& keys,
                                     const std::vector<std::vector<SqlValue>>& rows) {
  if (rows.empty()) return Ok();
  if (set.empty()) return conn_->ExecBatch(per_row, rows);
  std::vector<std::string> names;
  for (const std::string& k : keys) names.push_back(layout_[k]);
  BRAMKA_RETURN_IF_ERROR(conn_->Exec(set, {SetRowsJson(names, rows)}));
  return Ok();
}

SourcePoller::SourcePoller(core::GatewayService& gateway, store::Store& store, const SecretBox& box,
                           const SqlIngestOptions& options, store::SqlSource source)
    : gateway_(gateway), store_(store), box_(box), options_(options), source_(std::move(source)) {
  status_.id = source_.id;
  status_.account_id = source_.account_id;
  status_.engine = source_.engine;
}

SourcePoller::~SourcePoller() = default;

SqlSourceStatus SourcePoller::Counters() {
  std::lock_guard lock(mu_);
  return status_;
}

Result<bool> SourcePoller::Cycle() {
  auto r = [&]() -> Result<bool> {
    BRAMKA_RETURN_IF_ERROR(EnsureConnected());
    BRAMKA_ASSIGN_OR_RETURN(bool more_rows, PollRows());
    BRAMKA_ASSIGN_OR_RETURN(bool more_reports, WriteReports());
    BRAMKA_ASSIGN_OR_RETURN(bool more_mo, InsertMo());
    return more_rows || more_reports || more_mo;
  }();
  if (!r.ok()) conn_.reset();  // reconnect next time: the session may be broken
  return r;
}

Result<void> SourcePoller::EnsureConnected() {
  if (conn_) return Ok();
  BRAMKA_ASSIGN_OR_RETURN(engine_, ParseEngine(source_.engine));
  BRAMKA_ASSIGN_OR_RETURN(layout_, MakeLayout(source_.structure, source_.columns));
  statements_ = MakeStatements(engine_, layout_, options_.batch_size);
  ConnectParams p;
  p.engine = engine_;
  p.host = source_.host;
  p.port = source_.port;
  p.database = source_.database;
  p.user = source_.user;
  auto password = box_.Open(source_.password_enc);
  if (!password.ok()) {
    return Fail(ErrorCode::kUnavailable,
                "stored password cannot be decrypted: " + password.error().message);
  }
  p.password = std::move(*password);
  p.tls = source_.tls;
  p.timeout_s = options_.timeout_s;
  BRAMKA_ASSIGN_OR_RETURN(conn_, options_.connect ? options_.connect(p) : Connect(p));
  if (engine_ == Engine::kPostgres) {
    // The batch write-backs declare the columns' types (docs/adr/0070): read per connection
    // (a reconnect, after any error, reads them again: an altered column is picked up).
    BRAMKA_ASSIGN_OR_RETURN(std::vector<SqlRow> types, conn_->Query(ColumnTypesQuery(layout_)));
    std::map<std::string, std::string> by_name;
    for (const SqlRow& row : types) {
      if (row.size() == 2 && row[0] && row[1]) by_name[*row[0]] = *row[1];
    }
    SetWriteBacks(statements_, layout_, by_name);
  }
  return Ok();
}

Result<bool> SourcePoller::PollRows() {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<SqlRow> rows, conn_->Query(statements_.select_due));
  if (rows.empty()) return false;
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, store_.GetAccount(source_.account_id));
  core::Caller caller{account.id, account.name};
  struct Slot {
    int64_t row_id = 0;
    bool done = false;
    std::optional<store::SqlRowClaim> claim;  // nullopt: try again next cycle
  };
  std::vector<Slot> slots(rows.size());
  std::mutex mu;
  std::condition_variable cv;
  size_t remaining = 0;
  std::optional<Error> store_trouble;  // a row bramka could not store now (disk full...)
  const int64_t now = NowMs();
  auto invalid = [&](Slot& slot, const DlrValues& dlr, const std::string& detail) {
    store::SqlRowClaim c;
    c.source_id = source_.id;
    c.row_id = slot.row_id;
    c.invalid_code = dlr.code.value_or(2203);
    c.invalid_description = Clip(detail.empty() ? dlr.description : detail, 100);
    c.claimed_ms = now;
    slot.claim = c;
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const SqlRow& row = rows[i];
    Slot& slot = slots[i];
    slot.done = true;
    try {
      slot.row_id = std::stoll(Str(row[0]));
    } catch (...) {
      continue;  // not a row id we could ever write back to
    }
    auto flags = ParseFlags(Str(row[4]));
    if (!flags.ok()) {
      invalid(slot, InvalidRowDlr(core::Failure::kInvalidParameter), flags.error().message);
      continue;
    }
    core::SubmitRequest req;
    req.phones = {Str(row[1])};
    req.text = Str(row[3]);
    std::string sender = Str(row[2]);
    std::string upper = sender;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (upper == "VOICE") {
      req.kind = core::SubmitKind::kVoice;
    } else if (!sender.empty()) {
      req.sender = sender;
    }
    req.flash = flags->flash;
    req.speed = flags->speed;
    req.utf = flags->utf;
    req.unique_ids = {"sql" + std::to_string(source_.id) + "r" + std::to_string(slot.row_id)};
    req.source = "sql";
    slot.done = false;
    {
      std::lock_guard lock(mu);
      ++remaining;
    }
    gateway_.SubmitAsync(caller, std::move(req), [&, i](Result<core::SubmitResult> r) {
      Slot& s = slots[i];
      if (r.ok() && !r->items.empty()) {
        const core::SubmitItem& item = r->items[0];
        if (item.queued && !item.id.empty()) {
          store::SqlRowClaim c;
          c.source_id = source_.id;
          c.row_id = s.row_id;
          c.message_id = item.id;
          c.parts = item.parts;
          c.claimed_ms = now;
          s.claim = c;
        } else {
          invalid(s, InvalidRowDlr(item.failure), item.error_message);
        }
      } else if (!r.ok()) {
        const Error& e = r.error();
        auto failure = static_cast<core::Failure>(e.detail);
        if (e.code != ErrorCode::kUnavailable && e.code != ErrorCode::kInternal &&
            failure != core::Failure::kUnavailable) {
          invalid(s, InvalidRowDlr(failure), e.message);
        } else {
          std::lock_guard lock(mu);
          if (!store_trouble) store_trouble = e;
        }
      }
      std::lock_guard lock(mu);
      s.done = true;
      if (--remaining == 0) cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return remaining == 0; });
  }
  std::vector<store::SqlRowClaim> claims;
  for (const Slot& s : slots) {
    if (s.claim) claims.push_back(*s.claim);
  }
  // Claimed in bramka's store before anything is written to the customer's row.
  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::SqlRowClaim> stored, store_.ClaimSqlRows(claims));
  int64_t submitted = 0;
  int64_t refused = 0;
  std::vector<std::vector<SqlValue>> writes;
  for (const store::SqlRowClaim& c : stored) {
    if (c.message_id.empty()) {
      ++refused;  // written with the reports below
      continue;
    }
    ++submitted;
    writes.push_back({c.message_id, std::to_string(c.parts), std::to_string(c.row_id)});
  }
  // The batch's write-backs together (bulk executions on MariaDB, one statement on
  // PostgreSQL): each row its own values, all or nothing with the transaction. A row the
  // customer deleted meanwhile is updated nowhere, silently, on both.
  BRAMKA_RETURN_IF_ERROR(conn_->Begin());
  BRAMKA_RETURN_IF_ERROR(WriteRows(statements_.write_smsid, statements_.write_smsid_set,
                                   {"smsid", "parts", "id"}, writes));
  BRAMKA_RETURN_IF_ERROR(conn_->Commit());
  {
    std::lock_guard lock(mu_);
    status_.rows_submitted += submitted;
    status_.rows_invalid += refused;
  }
  if (store_trouble) {
    // reliability (issue 12): the rows not stored stay in the customer's table for the
    // next poll; the source says why (status "retrying" with this text, with backoff).
    const std::string_view trouble = store::StorageTroubleText(*store_trouble);
    return Fail(ErrorCode::kUnavailable,
                "bramka cannot store messages now (" +
                    std::string(trouble.empty() ? "storage unavailable" : trouble) +
                    "), rows left for the next poll: " + store_trouble->message);
  }
  return static_cast<int>(rows.size()) >= options_.batch_size;
}

Result<bool> SourcePoller::WriteReports() {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::SqlPendingReport> pending,
                          store_.PendingSqlReports(source_.id, options_.batch_size));
  if (pending.empty()) return false;
  std::vector<int64_t> rows;
  std::vector<std::vector<SqlValue>> writes;
  for (const store::SqlPendingReport& r : pending) {
    DlrValues dlr = DlrFor(r);
    SqlValue code;
    if (dlr.code) code = std::to_string(*dlr.code);
    writes.push_back({dlr.dlr, FormatApiTimeMs(r.done_ms), code, Clip(dlr.description, 100),
                      std::to_string(r.row_id)});
    rows.push_back(r.row_id);
  }
  BRAMKA_RETURN_IF_ERROR(conn_->Begin());
  BRAMKA_RETURN_IF_ERROR(WriteRows(statements_.write_report, statements_.write_report_set,
                                   {"dlr", "dlr_date", "dlr_code", "dlr_description", "id"},
                                   writes));
  BRAMKA_RETURN_IF_ERROR(conn_->Commit());
  BRAMKA_RETURN_IF_ERROR(store_.MarkSqlReported(source_.id, rows));
  {
    std::lock_guard lock(mu_);
    status_.reports_written += static_cast<int64_t>(rows.size());
  }
  return static_cast<int>(pending.size()) >= options_.batch_size;
}

Result<bool> SourcePoller::InsertMo() {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::SqlMoEntry> entries,
                          store_.PendingSqlMo(source_.id, options_.batch_size));
  if (entries.empty()) return false;
  // Each entry is inserted once, however often this runs: the cycle may fail or crash after
  // the customer's COMMIT and before AckSqlMo, or lose COMMIT's answer, and then inserts
  // the same entries again. On PostgreSQL the statement checks it (WHERE NOT EXISTS); on
  // MariaDB/MySQL the ids already there are found first, in the same transaction, with
  // locking reads, and only the others are inserted, as plain INSERT ... VALUES that the
  // server runs in bulk (docs/adr/0062).
  BRAMKA_RETURN_IF_ERROR(conn_->Begin());
  std::vector<bool> there(entries.size(), false);
  if (!statements_.find_mo.empty()) {
    for (size_t start = 0; start < entries.size(); start += kMoCheckIds) {
      std::vector<SqlValue> ids(kMoCheckIds);  // NULL: an unused slot (never equal)
      const size_t n = std::min<size_t>(kMoCheckIds, entries.size() - start);
      for (size_t i = 0; i < n; ++i) ids[i] = entries[start + i].message_id;
      BRAMKA_ASSIGN_OR_RETURN(std::vector<SqlRow> found,
                              conn_->QueryParams(statements_.find_mo, ids));
      if (found.size() != 1 || found[0].size() != ids.size()) {
        return Fail(ErrorCode::kUnavailable, "the MO check answered an unexpected shape");
      }
      for (size_t i = 0; i < n; ++i) {
        const std::string v = Str(found[0][i]);
        if (v != "0" && v != "1") {
          return Fail(ErrorCode::kUnavailable, "the MO check answered '" + Clip(v, 20) + "'");
        }
        there[start + i] = v == "1";
      }
    }
  }
  // The check cannot see the batch's own rows, and the server may count two ids as one
  // (a case-insensitive collation: the standard table's utf8mb4_polish_ci). An entry whose
  // id might equal an earlier one of this batch is left queued for the next cycle, whose
  // check then sees the earlier one as the NOT EXISTS did (it is never skipped here).
  std::vector<std::vector<SqlValue>> inserts;
  std::vector<int64_t> done;
  std::set<std::string> keys;
  for (size_t i = 0; i < entries.size(); ++i) {
    const store::SqlMoEntry& e = entries[i];
    if (!keys.insert(LooseKey(e.message_id)).second) continue;  // not acknowledged: next time
    done.push_back(e.id);
    if (there[i]) continue;
    inserts.push_back({e.from, e.to, e.text, FormatApiTimeMs(e.received_ms), e.message_id});
    if (statements_.find_mo.empty()) inserts.back().push_back(e.message_id);  // NOT EXISTS
  }
  BRAMKA_RETURN_IF_ERROR(conn_->ExecBatch(statements_.insert_mo, inserts));
  BRAMKA_RETURN_IF_ERROR(conn_->Commit());
  // One store transaction for the batch (it was one per entry: a commit each, which bound
  // the MO rate once the customer's side went in bulk, docs/adr/0062).
  BRAMKA_RETURN_IF_ERROR(store_.AckSqlMo(done));
  {
    std::lock_guard lock(mu_);
    status_.mo_inserted += static_cast<int64_t>(done.size());
  }
  return static_cast<int>(entries.size()) >= options_.batch_size || done.size() < entries.size();
}

class SqlIngest::Worker {
 public:
  Worker(SqlIngest& owner, store::SqlSource source)
      : owner_(owner),
        source_(std::move(source)),
        poller_(owner.gateway_, owner.store_, owner.box_, owner.options_, source_) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Worker() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Wake() {
    {
      std::lock_guard lock(mu_);
      woken_ = true;
    }
    cv_.notify_all();
  }
  SqlSourceStatus Status() {
    SqlSourceStatus out = poller_.Counters();
    std::lock_guard lock(mu_);
    out.up = status_.up;
    out.failures = status_.failures;
    return out;
  }

 private:
  void Run() {
    {
      std::lock_guard lock(mu_);
      status_.id = source_.id;
      status_.account_id = source_.account_id;
      status_.engine = source_.engine;
    }
    int failures = 0;
    int64_t last_ok_ms = source_.last_ok_ms;
    int64_t last_status_write_ms = 0;
    bool stored_ok = false;
    while (true) {
      if (owner_.options_.active && !owner_.options_.active()) {
        std::unique_lock lock(mu_);
        if (cv_.wait_for(lock, Ms(owner_.options_.reload_interval_ms), [this] { return stop_; })) {
          return;
        }
        continue;
      }
      Result<bool> more = poller_.Cycle();
      int64_t wait_ms = 0;
      const int64_t now = NowMs();
      if (more.ok()) {
        last_ok_ms = now;
        // The stored state changes on transitions; last_ok is refreshed every 30 s.
        if (!stored_ok || failures > 0 || now - last_status_write_ms > 30'000) {
          (void)owner_.store_.SetSqlSourceStatus(source_.id, "ok", "", last_ok_ms, 0);
          last_status_write_ms = now;
          stored_ok = true;
        }
        if (failures > 0) spdlog::info("sql source {}: database reachable again", source_.id);
        failures = 0;
        wait_ms = *more ? 0 : static_cast<int64_t>(source_.interval_s) * 1000;
      } else {
        ++failures;
        stored_ok = false;
        const std::string error = Clip(more.error().message, 500);
        spdlog::warn("sql source {} (account {}): {} (failure {}, retrying)", source_.id,
                     source_.account_id, error, failures);
        (void)owner_.store_.SetSqlSourceStatus(source_.id, "retrying", error, last_ok_ms, failures);
        wait_ms = std::min<int64_t>(int64_t{1000} << std::min(failures - 1, 16),
                                    int64_t{owner_.options_.max_backoff_s} * 1000);
      }
      {
        std::lock_guard lock(mu_);
        status_.up = more.ok();
        status_.failures = failures;
      }
      // A wake (a report or an incoming message) shortens the wait, but cycles stay
      // at least kMinGapMs apart so that a stream of receipts batches its write-backs.
      constexpr int64_t kMinGapMs = 200;
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, Ms(std::min(wait_ms, kMinGapMs)), [this] { return stop_; })) return;
      if (wait_ms > kMinGapMs) {
        cv_.wait_for(lock, Ms(wait_ms - kMinGapMs), [this] { return stop_ || woken_; });
      }
      woken_ = false;
      if (stop_) return;
    }
  }

  SqlIngest& owner_;
  const store::SqlSource source_;
  SourcePoller poller_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  SqlSourceStatus status_;
  std::thread thread_;  // last: started after every member above exists
};

SqlIngest::SqlIngest(core::GatewayService& gateway, store::Store& store, SecretBox box,
                     SqlIngestOptions options)
    : gateway_(gateway), store_(store), box_(std::move(box)), options_(options) {}

SqlIngest::~SqlIngest() { Stop(); }

void SqlIngest::Start() {
  supervisor_ = std::thread([this] { Supervise(); });
}

void SqlIngest::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !supervisor_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  std::map<int64_t, std::unique_ptr<Worker>> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  workers.clear();  // joins each
}

void SqlIngest::Wake() {
  std::lock_guard lock(mu_);
  for (auto& [id, w] : workers_) w->Wake();
}

std::vector<SqlSourceStatus> SqlIngest::Status() {
  std::lock_guard lock(mu_);
  std::vector<SqlSourceStatus> out;
  for (auto& [id, w] : workers_) out.push_back(w->Status());
  return out;
}

void SqlIngest::Supervise() {
  while (true) {
    auto sources = store_.ListSqlSources(0);
    if (sources.ok()) {
      std::map<int64_t, store::SqlSource> wanted;
      for (auto& s : *sources) wanted[s.id] = std::move(s);
      std::vector<std::unique_ptr<Worker>> gone;
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        for (auto it = workers_.begin(); it != workers_.end();) {
          if (!wanted.count(it->first)) {
            gone.push_back(std::move(it->second));
            it = workers_.erase(it);
          } else {
            ++it;
          }
        }
        for (auto& [id, s] : wanted) {
          if (!workers_.count(id)) workers_[id] = std::make_unique<Worker>(*this, s);
        }
      }
      gone.clear();  // joined outside the lock
    } else {
      spdlog::warn("sql sources not listed: {}", sources.error().ToString());
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, Ms(options_.reload_interval_ms), [this] { return stopping_; })) return;
  }
}

}  // namespace bramka::ingest::sql
