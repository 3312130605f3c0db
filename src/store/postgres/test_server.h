#pragma once
// A throwaway PostgreSQL server for tests: initdb into a temp dir, then the
// server as a child process (killed with the test binary, even on a crash)
// listening on a Unix socket in that dir only (no TCP port to collide with),
// stopped and removed at exit. One per test binary; each test gets a
// fresh schema (FreshConninfo). As root the server runs as user `postgres`
// (runuser), and the temp dir is made traversable for it (PEERS.md).
//
// BRAMKA_TEST_PG_DSN: use that server instead of starting one (each test
// still gets its own schema in it). A key=value connection string
// ("host=... port=... user=... dbname=..."): the schema is appended as options.

#include <optional>
#include <string>

namespace bramka::store::postgres {

class TestServer {
 public:
  // The process-wide server, started on first use; nullptr when PostgreSQL
  // cannot be started here (binaries missing): `why` says why.
  static TestServer* Get(std::string* why);
  // A connection string whose search_path is a new, empty schema (cheaper
  // than a new database: no file copy, no checkpoint).
  std::string FreshConninfo();
  const std::string& base_conninfo() const { return base_; }
  ~TestServer();

 private:
  TestServer() = default;
  std::string dir_;
  std::string base_;
  bool owned_ = false;
  int pid_ = 0;
  int next_schema_ = 0;
};

// Runs a shell command, returning its exit status; output goes to `out` when given.
int RunCommand(const std::string& command, std::string* out = nullptr);

}  // namespace bramka::store::postgres
