// SqlConnection over libpq (customers' PostgreSQL).
#include <postgresql/libpq-fe.h>

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

std::string Trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PgConnection : public SqlConnection {
 public:
  explicit PgConnection(PGconn* c) : c_(c) {}
  ~PgConnection() override { PQfinish(c_); }

  Result<std::vector<SqlRow>> Query(const std::string& sql) override {
    PGresult* res = PQexec(c_, sql.c_str());
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

  Result<int64_t> Exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    std::vector<const char*> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) values[i] = params[i] ? params[i]->c_str() : nullptr;
    PGresult* res = PQexecParams(c_, Numbered(sql).c_str(), static_cast<int>(params.size()),
                                 nullptr, values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
      return Error(res, "execute");
    }
    int64_t n = std::atoll(PQcmdTuples(res));
    PQclear(res);
    return n;
  }

  Result<void> Begin() override { return Simple("BEGIN"); }
  Result<void> Commit() override { return Simple("COMMIT"); }
  Result<void> Rollback() override { return Simple("ROLLBACK"); }

  Result<void> Simple(const char* sql) {
    PGresult* res = PQexec(c_, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) return Error(res, sql);
    PQclear(res);
    return Ok();
  }

 private:
  Unexpected Error(PGresult* res, const std::string& what) {
    std::string msg =
        "postgres " + what + ": " + Trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(c_));
    if (msg.size() <= what.size() + 11) msg += Trimmed(PQerrorMessage(c_));
    PQclear(res);
    return Fail(ErrorCode::kUnavailable, msg);
  }
  PGconn* c_;
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
  auto conn = std::make_unique<PgConnection>(c);
  // A locked row fails fast (and is retried with backoff) instead of blocking the poller.
  const std::string timeouts =
      "SET lock_timeout = '" + std::to_string(std::max(1, p.timeout_s / 2)) +
      "s'; SET statement_timeout = '" + std::to_string(p.timeout_s * 3) + "s'";
  BRAMKA_RETURN_IF_ERROR(conn->Simple(timeouts.c_str()));
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace bramka::ingest::sql
