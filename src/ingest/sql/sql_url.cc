#include "ingest/sql/sql_url.h"

#include <cctype>

namespace bramka::ingest::sql {
namespace {

Result<std::string> PercentDecode(std::string_view s, const char* what) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) {
      return Fail(ErrorCode::kInvalidArgument, std::string("bad percent escape in the ") + what);
    }
    out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
    i += 2;
  }
  return out;
}

}  // namespace

Result<SqlUrl> ParseSqlUrl(const std::string& url) {
  SqlUrl out;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "--url must look like mysql://USER:PASSWORD@HOST:PORT/DB or postgres://...");
  }
  std::string scheme = url.substr(0, scheme_end);
  if (scheme == "mysql" || scheme == "mariadb") {
    out.engine = Engine::kMysql;
    out.port = 3306;
  } else if (scheme == "postgres" || scheme == "postgresql") {
    out.engine = Engine::kPostgres;
    out.port = 5432;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "--url scheme '" + scheme + "' is not mysql, mariadb, postgres or postgresql");
  }
  std::string rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  if (slash == std::string::npos || slash + 1 >= rest.size()) {
    return Fail(ErrorCode::kInvalidArgument, "--url has no database name (…/DB)");
  }
  std::string authority = rest.substr(0, slash);
  std::string db = rest.substr(slash + 1);
  if (db.find_first_of("/?#") != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "--url database name must not contain / ? or #");
  }
  BRAMKA_ASSIGN_OR_RETURN(out.database, PercentDecode(db, "database name"));
  size_t at = authority.rfind('@');
  if (at == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "--url has no USER@ (a login is required)");
  }
  std::string userinfo = authority.substr(0, at);
  std::string hostport = authority.substr(at + 1);
  size_t colon = userinfo.find(':');
  BRAMKA_ASSIGN_OR_RETURN(out.user, PercentDecode(userinfo.substr(0, colon), "user"));
  if (colon != std::string::npos) {
    BRAMKA_ASSIGN_OR_RETURN(out.password, PercentDecode(userinfo.substr(colon + 1), "password"));
  }
  if (out.user.empty()) return Fail(ErrorCode::kInvalidArgument, "--url has an empty user");
  if (!hostport.empty() && hostport[0] == '[') {
    size_t close = hostport.find(']');
    if (close == std::string::npos)
      return Fail(ErrorCode::kInvalidArgument, "--url has a bad IPv6 host");
    out.host = hostport.substr(1, close - 1);
    hostport = hostport.substr(close + 1);
    if (!hostport.empty() && hostport[0] != ':') {
      return Fail(ErrorCode::kInvalidArgument, "--url has a bad host:port");
    }
    hostport = hostport.empty() ? "" : hostport.substr(1);
  } else {
    size_t pc = hostport.rfind(':');
    out.host = hostport.substr(0, pc);
    hostport = pc == std::string::npos ? "" : hostport.substr(pc + 1);
  }
  if (out.host.empty()) return Fail(ErrorCode::kInvalidArgument, "--url has no host");
  if (!hostport.empty()) {
    int port = 0;
    for (char c : hostport) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535) {
        return Fail(ErrorCode::kInvalidArgument, "--url port '" + hostport + "' is not a number");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) {
      return Fail(ErrorCode::kInvalidArgument, "--url port must be 1 to 65535");
    }
    out.port = port;
  }
  return out;
}

}  // namespace bramka::ingest::sql
