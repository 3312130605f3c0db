#include "store/postgres/connection.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bramka::store::postgres {
namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

Error PgError(const PGresult* result, PGconn* conn, std::string_view what) {
  std::string state;
  std::string text;
  if (result != nullptr) {
    const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (s != nullptr) state = s;
    text = PQresultErrorMessage(result);
  }
  if (text.empty() && conn != nullptr) text = PQerrorMessage(conn);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::string message = std::string(what) + ": " + text;
  ErrorCode code = ErrorCode::kInternal;
  if (state == "23505") {
    code = ErrorCode::kAlreadyExists;
  } else if (state == "23503") {
    code = ErrorCode::kNotFound;
  } else if (state == "40001" || state == "40P01" || StartsWith(state, "08") ||
             StartsWith(state, "53") || StartsWith(state, "57P") || state == "55P03") {
    code = ErrorCode::kUnavailable;
  } else if (state == "XX001" || state == "XX002") {
    code = ErrorCode::kCorrupt;
  } else if (state.empty() && conn != nullptr && PQstatus(conn) != CONNECTION_OK) {
    code = ErrorCode::kUnavailable;
  }
  return MakeError(code, message);
}

std::string TranslateSql(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a quoted literal or identifier as it is
      size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end + 1;
      continue;
    }
    if (c == '?') {
      size_t j = i + 1;
      int n = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
        n = n * 10 + (sql[j] - '0');
        ++j;
      }
      if (j == i + 1) n = highest + 1;  // bare '?': SQLite numbers it after the highest
      if (n > highest) highest = n;
      std::string param = "$" + std::to_string(n);
      // SQLite's LIMIT -1 means no limit; PostgreSQL's is LIMIT NULL.
      size_t k = out.size();
      while (k > 0 && out[k - 1] == ' ') --k;
      if (k >= 5 && out.compare(k - 5, 5, "LIMIT") == 0) {
        out += "(CASE WHEN " + param + " < 0 THEN NULL ELSE " + param + " END)";
      } else {
        out += param;
      }
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

// ---- Stmt ------------------------------------------------------------------------

void Stmt::Slot(int index) {
  size_t need = static_cast<size_t>(index);
  if (values_.size() < need) {
    values_.resize(need);
    types_.resize(need, kInt8Oid);  // unbound: NULL (PostgreSQL needs a type)
    formats_.resize(need, 0);
    set_.resize(need, false);
  }
  result_.reset();
  row_ = -1;
}

Stmt& Stmt::BindInt(int index, int64_t value) {
  Slot(index);
  values_[index - 1] = std::to_string(value);
  types_[index - 1] = kInt8Oid;
  formats_[index - 1] = 0;
  set_[index - 1] = true;
  return *this;
}

Stmt& Stmt::BindText(int index, std::string_view value) {
  Slot(index);
  // PostgreSQL text cannot hold NUL; SQLite's could. Cut at the first one.
  values_[index - 1] = std::string(value.substr(0, value.find('\0')));
  types_[index - 1] = kTextOid;
  formats_[index - 1] = 0;
  set_[index - 1] = true;
  return *this;
}

Stmt& Stmt::BindBlob(int index, std::string_view bytes) {
  Slot(index);
  values_[index - 1] = std::string(bytes);
  types_[index - 1] = kByteaOid;
  formats_[index - 1] = 1;
  set_[index - 1] = true;
  return *this;
}

Result<void> Stmt::Execute() {
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    values[i] = set_[i] ? values_[i].data() : nullptr;
    lengths[i] = static_cast<int>(values_[i].size());
  }
  PGresult* r = nullptr;
  if (owned_) {
    // Dynamic SQL (IN lists, multi-row INSERTs) is mostly run once: an unnamed
    // statement, parsed and run in one round trip.
    r = PQexecParams(conn_->conn_, sql_->c_str(), static_cast<int>(values.size()), types_.data(),
                     values.data(), lengths.data(), formats_.data(), 0);
  } else {
    BRAMKA_ASSIGN_OR_RETURN(const std::string* name, conn_->Prepared(*sql_, types_));
    r = PQexecPrepared(conn_->conn_, name->c_str(), static_cast<int>(values.size()), values.data(),
                       lengths.data(), formats_.data(), 0);
  }
  ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return conn_->Failed(r, "query failed");
  conn_->last_sqlstate_.clear();
  const char* tuples = PQcmdTuples(r);
  conn_->changes_ = (tuples != nullptr && *tuples != '\0') ? std::strtoll(tuples, nullptr, 10) : 0;
  result_.reset(r);
  row_ = -1;
  return Ok();
}

Result<bool> Stmt::Step() {
  if (!result_) BRAMKA_RETURN_IF_ERROR(Execute());
  ++row_;
  if (row_ < PQntuples(result_.get())) return true;
  result_.reset();  // as SQLite: a step after the end runs the statement again
  row_ = -1;
  return false;
}

Result<void> Stmt::Run() {
  BRAMKA_RETURN_IF_ERROR(Execute());
  result_.reset();
  row_ = -1;
  return Ok();
}

void Stmt::Reset() {
  result_.reset();
  row_ = -1;
}

int64_t Stmt::Int(int column) const {
  if (!result_ || row_ < 0 || PQgetisnull(result_.get(), row_, column)) return 0;
  const char* v = PQgetvalue(result_.get(), row_, column);
  if (v[0] == 't' && v[1] == '\0') return 1;
  if (v[0] == 'f' && v[1] == '\0') return 0;
  return std::strtoll(v, nullptr, 10);
}

std::string Stmt::Text(int column) const {
  std::string out;
  TextInto(column, out);
  return out;
}

void Stmt::TextInto(int column, std::string& out) const {
  out.clear();
  if (!result_ || row_ < 0 || PQgetisnull(result_.get(), row_, column)) return;
  out.assign(PQgetvalue(result_.get(), row_, column),
             static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
}

void Stmt::BlobInto(int column, std::string& out) const {
  out.clear();
  if (!result_ || row_ < 0 || PQgetisnull(result_.get(), row_, column)) return;
  const char* v = PQgetvalue(result_.get(), row_, column);
  size_t n = static_cast<size_t>(PQgetlength(result_.get(), row_, column));
  // bytea in text form: "\x" then two hex digits a byte (bytea_output = hex).
  if (n >= 2 && v[0] == '\\' && v[1] == 'x') {
    out.reserve((n - 2) / 2);
    for (size_t i = 2; i + 1 < n; i += 2) {
      out.push_back(static_cast<char>(HexValue(v[i]) * 16 + HexValue(v[i + 1])));
    }
    return;
  }
  out.assign(v, n);
}

// ---- Connection --------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Fail(ErrorCode::kUnavailable, "postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn);
    return Fail(ErrorCode::kUnavailable, "postgres: cannot connect: " + message);
  }
  std::unique_ptr<Connection> c(new Connection(conn));
  BRAMKA_RETURN_IF_ERROR(
      c->Exec("SET client_min_messages = warning; SET bytea_output = 'hex'; "
              "SET standard_conforming_strings = on; SET TIME ZONE 'UTC'"));
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

Error Connection::Failed(PGresult* result, std::string_view what) {
  const char* s = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = s != nullptr ? s : "";
  Error e = PgError(result, conn_, what);
  PQclear(result);
  static const bool debug = std::getenv("BRAMKA_PG_DEBUG") != nullptr;
  if (debug) std::fprintf(stderr, "postgres: %s\n", e.message.c_str());
  return e;
}

Result<void> Connection::Exec(const char* sql) {
  PGresult* r = PQexec(conn_, sql);
  ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failed(r, sql);
  last_sqlstate_.clear();
  PQclear(r);
  return Ok();
}

Result<Stmt> Connection::Prepare(const char* static_sql) {
  auto it = translated_.find(static_sql);
  if (it == translated_.end()) it = translated_.emplace(static_sql, TranslateSql(static_sql)).first;
  return Stmt(this, &it->second);
}

Result<Stmt> Connection::PrepareDynamic(const std::string& sql) {
  return Stmt(this, std::make_shared<const std::string>(TranslateSql(sql)));
}

Result<const std::string*> Connection::Prepared(const std::string& sql,
                                                const std::vector<Oid>& types) {
  std::string key = sql;
  key += '\0';
  for (Oid t : types) key += std::to_string(t) + ",";
  auto it = prepared_.find(key);
  if (it != prepared_.end()) return &it->second;
  // Bounded: dynamic SQL (IN lists of any length) would otherwise grow it.
  if (prepared_.size() > 2000) {
    BRAMKA_RETURN_IF_ERROR(Exec("DEALLOCATE ALL"));
    prepared_.clear();
  }
  std::string name = "s" + std::to_string(++statement_counter_);
  PGresult* r =
      PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()), types.data());
  if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) {
    return Failed(r, "prepare failed (" + sql + ")");
  }
  PQclear(r);
  return &prepared_.emplace(std::move(key), std::move(name)).first->second;
}

Result<int64_t> Connection::LastInsertId() {
  PGresult* r = PQexec(conn_, "SELECT lastval()");
  if (r == nullptr || PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
    return Failed(r, "lastval");
  }
  int64_t id = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
  PQclear(r);
  return id;
}

bool Connection::InTransaction() const {
  PGTransactionStatusType st = PQtransactionStatus(conn_);
  return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

}  // namespace bramka::store::postgres
