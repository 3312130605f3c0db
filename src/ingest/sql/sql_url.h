#pragma once
// `--url` of `bramka admin sql add`: mysql://USER:PASSWORD@HOST:PORT/DB (also
// mariadb://) or postgres://USER:PASSWORD@HOST:PORT/DB (also postgresql://).
// User and password may be percent-encoded; the port defaults to 3306 / 5432.

#include <string>

#include "common/result.h"
#include "ingest/sql/layout.h"

namespace bramka::ingest::sql {

struct SqlUrl {
  Engine engine = Engine::kMysql;
  std::string host;
  int port = 0;
  std::string database;
  std::string user;
  std::string password;
};

// kInvalidArgument naming what is wrong (never echoing the password).
Result<SqlUrl> ParseSqlUrl(const std::string& url);

}  // namespace bramka::ingest::sql
