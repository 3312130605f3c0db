// SqlConnection over libpq (customers' PostgreSQL).
#include <postgresql/libpq-fe.h>
#include <sodium.h>

#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "ingest/sql/client.h"

namespace bramka::ingest::sql {
namespace {

// '?' placeholders become $1, $2... (our statements hold no '?' in literals).
std::string Numbered(const std::string& sql) {
  std::string out;
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

// The statement name for a text: the same text has the same name on every server
// session, so a name that exists there (another bramka connection prepared it on the
// same pooled server connection) is the same statement. BLAKE2b, 128 bits, 39 chars
// (PostgreSQL names are cut at 63).
std::string NameFor(const std::string& numbered) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(numbered.data()),
                     numbered.size(), nullptr, 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = "bramka_";
  for (unsigned char b : h) {
    name += kHex[b >> 4];
    name += kHex[b & 15];
  }
  return name;
}

std::string SqlState(const PGresult* res) {
  const char* s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}
constexpr std::string_view kMissing = "26000";  // invalid_sql_statement_name
constexpr std::string_view kExists = "42P05";   // duplicate_prepared_statement

// Servers (user@host:port/db) where named statements failed in a way a pooler causes:
// every later connection of this process to them uses unnamed statements (the poller
// drops a connection after any failure, so "for good" has to outlive the connection).
std::mutex unnamed_mu;
std::set<std::string>& UnnamedTargets() {
  static std::set<std::string> targets;
  return targets;
}
bool UnnamedFor(const std::string& target) {
  std::lock_guard lock(unnamed_mu);
  return UnnamedTargets().count(target) > 0;
}

std::string Trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PgConnection : public SqlConnection {
 public:
  PgConnection(PGconn* c, std::string target)
      : c_(c), target_(std::move(target)), named_(!UnnamedFor(target_)) {}
  ~PgConnection() override { PQfinish(c_); }

  Result<std::vector<SqlRow>> Query(const std::string& sql) override {
    return Rows(PQexec(c_, sql.c_str()));
  }

  // Unnamed (PQexecParams): the poller does not use it on PostgreSQL (the MO check is in
  // the insert there, docs/adr/0062).
  Result<std::vector<SqlRow>> QueryParams(const std::string& sql,
                                          const std::vector<SqlValue>& params) override {
    BRAMKA_RETURN_IF_ERROR(EndPipeline());
    std::vector<const char*> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) values[i] = params[i] ? params[i]->c_str() : nullptr;
    return Rows(PQexecParams(c_, Numbered(sql).c_str(), static_cast<int>(params.size()), nullptr,
                             values.data(), nullptr, nullptr, 0));
  }

  Result<std::vector<SqlRow>> Rows(PGresult* res) {
    if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
      return Error(res, "query");
    }
    std::vector<SqlRow> rows;
    const int n = PQntuples(res);
    const int f = PQnfields(res);
    for (int i = 0; i < n; ++i) {
      SqlRow row(f);
      for (int j = 0; j < f; ++j) {
        if (!PQgetisnull(res, i, j))
          row[j] = std::string(PQgetvalue(res, i, j), PQgetlength(res, i, j));
      }
      rows.push_back(std::move(row));
    }
    PQclear(res);
    return rows;
  }

  // Each statement text is prepared once per server session under a name derived from
  // the text (PQprepare) and then executed by name: the server parses and plans it once
  // instead of for every row (docs/adr/0055). Behind a transaction-pooling pgbouncer
  // consecutive transactions may run on different server sessions, so Begin() lists the
  // names the transaction's session already has (pinned to it until COMMIT) and Exec
  // prepares what is missing there. Outside a transaction nothing is pinned: a missing
  // statement (26000) is prepared again and retried once, an existing one (42P05) is
  // executed. Should that keep failing, or fail inside a transaction (aborting it: the
  // caller rolls back and retries the batch), this server gets unnamed statements
  // (PQexecParams) for the rest of the process, logged once.
  Result<int64_t> Exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    std::vector<const char*> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) values[i] = params[i] ? params[i]->c_str() : nullptr;
    const int n = static_cast<int>(params.size());
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      std::string numbered = Numbered(sql);
      std::string name = NameFor(numbered);
      it = statements_.emplace(sql, Statement{std::move(numbered), std::move(name)}).first;
    }
    const Statement& st = it->second;
    if (in_transaction_ && named_) return Pipelined(st, n, values);
    for (int attempt = 0; named_; ++attempt) {
      const bool in_transaction = PQtransactionStatus(c_) != PQTRANS_IDLE;
      if (!session_has_.count(st.name)) {
        PGresult* res = PQprepare(c_, st.name.c_str(), st.numbered.c_str(), n, nullptr);
        const std::string state = SqlState(res);
        if (PQresultStatus(res) == PGRES_COMMAND_OK || (state == kExists && !in_transaction)) {
          PQclear(res);
          session_has_.insert(st.name);
        } else if (state == kExists) {
          GiveUpNamed("prepare found the statement already there inside a transaction");
          return Error(res, "prepare");
        } else {
          return Error(res, "prepare");
        }
      }
      PGresult* res = PQexecPrepared(c_, st.name.c_str(), n, values.data(), nullptr, nullptr, 0);
      if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK) {
        return Affected(res);
      }
      if (SqlState(res) != kMissing) return Error(res, "execute");
      session_has_.erase(st.name);
      if (in_transaction) {
        GiveUpNamed("a statement prepared in this transaction's session was missing");
        return Error(res, "execute");
      }
      PQclear(res);
      // Nothing ran: a missing statement is an error before execution.
      if (attempt >= 1) GiveUpNamed("a statement was still missing after preparing it again");
    }
    PGresult* res =
        PQexecParams(c_, st.numbered.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
      return Error(res, "execute");
    }
    return Affected(res);
  }

  // A transaction, and the prepared statements of the server session it runs on, in one
  // round trip (a multi-statement simple query answers with its last result).
  Result<void> Begin() override {
    in_transaction_ = true;
    if (!named_) return Simple("BEGIN");
    PGresult* res =
        PQexec(c_, "BEGIN; SELECT name FROM pg_prepared_statements WHERE name LIKE 'bramka\\_%'");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) return Error(res, "BEGIN");
    session_has_.clear();
    for (int i = 0; i < PQntuples(res); ++i) session_has_.insert(PQgetvalue(res, i, 0));
    PQclear(res);
    return Ok();
  }
  Result<void> Commit() override {
    in_transaction_ = false;
    BRAMKA_RETURN_IF_ERROR(EndPipeline());
    return Simple("COMMIT");
  }
  Result<void> Rollback() override {
    in_transaction_ = false;
    (void)EndPipeline();
    return Simple("ROLLBACK");
  }

  Result<void> Simple(const char* sql) {
    PGresult* res = PQexec(c_, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) return Error(res, sql);
    PQclear(res);
    return Ok();
  }

 private:
  struct Statement {
    std::string numbered;  // $1, $2... placeholders
    std::string name;
  };

  // Inside a transaction the write-backs are pipelined (libpq pipeline mode): sent without
  // waiting, their results read at the next drain (every kDrainEvery commands, and before
  // COMMIT), so a batch costs a few round trips instead of one per row. An error surfaces
  // at the drain and fails the transaction as it would have at the statement. The
  // affected-row count is not known when Exec returns (1 is returned).
  static constexpr int kDrainEvery = 128;
  Result<int64_t> Pipelined(const Statement& st, int n, const std::vector<const char*>& values) {
    if (PQpipelineStatus(c_) == PQ_PIPELINE_OFF && PQenterPipelineMode(c_) != 1) {
      return Fail(ErrorCode::kUnavailable, "postgres pipeline: " + Trimmed(PQerrorMessage(c_)));
    }
    if (!session_has_.count(st.name)) {
      if (PQsendPrepare(c_, st.name.c_str(), st.numbered.c_str(), n, nullptr) != 1) {
        return Fail(ErrorCode::kUnavailable, "postgres prepare: " + Trimmed(PQerrorMessage(c_)));
      }
      ++pending_;
      session_has_.insert(st.name);
    }
    if (PQsendQueryPrepared(c_, st.name.c_str(), n, values.data(), nullptr, nullptr, 0) != 1) {
      return Fail(ErrorCode::kUnavailable, "postgres execute: " + Trimmed(PQerrorMessage(c_)));
    }
    if (++pending_ >= kDrainEvery) BRAMKA_RETURN_IF_ERROR(Drain());
    return 1;
  }

  // Sync, then every pending command's results; the first error fails the drain.
  Result<void> Drain() {
    if (pending_ == 0) return Ok();
    if (PQpipelineSync(c_) != 1) {
      return Fail(ErrorCode::kUnavailable, "postgres pipeline: " + Trimmed(PQerrorMessage(c_)));
    }
    std::string error;
    std::string state;
    for (; pending_ > 0; --pending_) {
      while (PGresult* r = PQgetResult(c_)) {
        if (PQresultStatus(r) == PGRES_FATAL_ERROR && error.empty()) {
          error = Trimmed(PQresultErrorMessage(r));
          state = SqlState(r);
        }
        PQclear(r);
      }
    }
    PGresult* r = PQgetResult(c_);
    const bool synced = r != nullptr && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (!error.empty()) {
      if (state == kMissing || state == kExists) {
        GiveUpNamed("a pipelined statement was missing or already there inside a transaction");
      }
      return Fail(ErrorCode::kUnavailable, "postgres execute: " + error);
    }
    if (!synced) {
      return Fail(ErrorCode::kUnavailable, "postgres pipeline: " + Trimmed(PQerrorMessage(c_)));
    }
    return Ok();
  }

  Result<void> EndPipeline() {
    if (PQpipelineStatus(c_) == PQ_PIPELINE_OFF) return Ok();
    Result<void> drained = Drain();
    pending_ = 0;
    if (PQexitPipelineMode(c_) != 1 && drained.ok()) {
      return Fail(ErrorCode::kUnavailable, "postgres pipeline: " + Trimmed(PQerrorMessage(c_)));
    }
    return drained;
  }

  int64_t Affected(PGresult* res) {
    int64_t n = std::atoll(PQcmdTuples(res));
    PQclear(res);
    return n;
  }

  void GiveUpNamed(const char* why) {
    named_ = false;
    std::lock_guard lock(unnamed_mu);
    if (UnnamedTargets().insert(target_).second) {
      spdlog::warn(
          "sql: postgres {}: {} (a pooler such as pgbouncer in transaction mode?); "
          "unnamed statements from now on",
          target_, why);
    }
  }

  Unexpected Error(PGresult* res, const std::string& what) {
    std::string msg =
        "postgres " + what + ": " + Trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(c_));
    if (msg.size() <= what.size() + 11) msg += Trimmed(PQerrorMessage(c_));
    PQclear(res);
    return Fail(ErrorCode::kUnavailable, msg);
  }
  PGconn* c_;
  const std::string target_;  // user@host:port/db, for UnnamedTargets()
  bool named_;
  // Statement text -> its numbered text and name (a layout has a handful).
  std::unordered_map<std::string, Statement> statements_;
  // Names the server session is known to hold: listed at Begin() (exact while the
  // transaction runs), a guess between transactions.
  std::unordered_set<std::string> session_has_;
  bool in_transaction_ = false;
  int pending_ = 0;  // pipelined commands whose results are not read yet
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> ConnectPostgres(const ConnectParams& p) {
  const std::string port = std::to_string(p.port);
  const std::string timeout = std::to_string(p.timeout_s);
  const std::string sslmode = p.tls == "verify" ? "verify-full" : p.tls;
  const char* keys[] = {"host",     "port",    "dbname",          "user",
                        "password", "sslmode", "connect_timeout", "application_name",
                        nullptr};
  const char* values[] = {p.host.c_str(),  port.c_str(),       p.database.c_str(),
                          p.user.c_str(),  p.password.c_str(), sslmode.c_str(),
                          timeout.c_str(), "bramka",           nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 0);
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
    std::string msg = "postgres connect to " + p.host + ":" + port + ": " +
                      Trimmed(c ? PQerrorMessage(c) : "out of memory");
    PQfinish(c);
    return Fail(ErrorCode::kUnavailable, msg);
  }
  auto conn =
      std::make_unique<PgConnection>(c, p.user + "@" + p.host + ":" + port + "/" + p.database);
  // A locked row fails fast (and is retried with backoff) instead of blocking the poller.
  const std::string timeouts =
      "SET lock_timeout = '" + std::to_string(std::max(1, p.timeout_s / 2)) +
      "s'; SET statement_timeout = '" + std::to_string(p.timeout_s * 3) + "s'";
  BRAMKA_RETURN_IF_ERROR(conn->Simple(timeouts.c_str()));
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace bramka::ingest::sql
