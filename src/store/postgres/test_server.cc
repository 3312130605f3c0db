#include "store/postgres/test_server.h"

#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>

namespace bramka::store::postgres {
namespace {

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

int RunCommand(const std::string& command, std::string* out) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) {
    if (out != nullptr) out->append(buf.data(), n);
  }
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TestServer* TestServer::Get(std::string* why) {
  static std::once_flag once;
  static std::unique_ptr<TestServer> server;
  static std::string reason;
  std::call_once(once, [] {
    auto s = std::unique_ptr<TestServer>(new TestServer);
    if (const char* dsn = std::getenv("BRAMKA_TEST_PG_DSN"); dsn != nullptr && *dsn != '\0') {
      s->base_ = dsn;
      server = std::move(s);
      return;
    }
    const std::string initdb = std::string(kPgBin) + "/initdb";
    if (access(initdb.c_str(), X_OK) != 0) {
      reason = "PostgreSQL binaries not found (" + initdb +
               "; install postgresql, see scripts/install-deps.sh) and BRAMKA_TEST_PG_DSN unset";
      return;
    }
    char tmpl[] = "/tmp/bramka-pgtest-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      reason = "mkdtemp failed";
      return;
    }
    s->dir_ = tmpl;
    chmod(s->dir_.c_str(), 0755);
    chmod("/tmp", 01777);
    const bool root = geteuid() == 0;
    const std::string as = root ? "runuser -u postgres -- " : "";
    if (root) RunCommand("chown postgres " + Quote(s->dir_));
    std::string log;
    if (RunCommand(as + initdb + " -D " + Quote(s->dir_ + "/data") +
                       " -U postgres --auth-local=trust --auth-host=trust --no-sync",
                   &log) != 0) {
      reason = "initdb failed: " + log;
      return;
    }
    // Unix socket only (listen_addresses=''): the port only names the socket.
    if (RunCommand(as + std::string(kPgBin) + "/pg_ctl -D " + Quote(s->dir_ + "/data") +
                       " -w -t 60 -l " + Quote(s->dir_ + "/log") + " -o " +
                       Quote("-p 5432 -k " + s->dir_ +
                             " -c listen_addresses= -c fsync=off -c synchronous_commit=off "
                             "-c full_page_writes=off -c max_connections=200") +
                       " start",
                   &log) != 0) {
      reason = "pg_ctl start failed: " + log;
      return;
    }
    s->owned_ = true;
    s->base_ = "host=" + s->dir_ + " port=5432 user=postgres dbname=postgres";
    server = std::move(s);
    std::atexit([] { server.reset(); });
  });
  if (server == nullptr && why != nullptr) *why = reason;
  return server.get();
}

std::string TestServer::FreshConninfo() {
  const std::string schema =
      "t" + std::to_string(getpid()) + "_" + std::to_string(++next_schema_);
  PGconn* c = PQconnectdb(base_.c_str());
  PGresult* r = PQexec(c, ("CREATE SCHEMA " + schema)
                              .c_str());
  PQclear(r);
  PQfinish(c);
  return base_ + " options='-c search_path=" + schema + "'";
}

TestServer::~TestServer() {
  if (!owned_) return;
  const std::string as = geteuid() == 0 ? "runuser -u postgres -- " : "";
  RunCommand(as + std::string(kPgBin) + "/pg_ctl -D " + Quote(dir_ + "/data") +
             " -m immediate -w stop");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace bramka::store::postgres
