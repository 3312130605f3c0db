#include "store/postgres/test_server.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

namespace bramka::store::postgres {
namespace {

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Data dirs left by test binaries that were killed (their server died with
// them): older than ten minutes and no live postmaster. Best effort.
void RemoveStaleDirs() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("bramka-pgtest-", 0) != 0) continue;
    auto modified = fs::last_write_time(entry.path(), ec);
    if (ec || now - modified < std::chrono::minutes(10)) continue;
    std::ifstream pidfile(entry.path() / "data" / "postmaster.pid");
    long pid = 0;
    if (pidfile >> pid && pid > 0 && kill(static_cast<pid_t>(pid), 0) == 0) continue;
    fs::remove_all(entry.path(), ec);
  }
}

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
    RemoveStaleDirs();
    char tmpl[] = "/tmp/bramka-pgtest-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      reason = "mkdtemp failed";
      return;
    }
    s->dir_ = tmpl;
    chmod(s->dir_.c_str(), 0755);
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
    // The server is our child (not pg_ctl's daemon), with a parent-death
    // signal: a test binary that crashes or is killed takes it along.
    // Unix socket only (listen_addresses=''): the port only names the socket.
    const std::string data = s->dir_ + "/data";
    const std::string logfile = s->dir_ + "/log";
    const pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
      int fd = open(logfile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      if (root) {
        struct passwd* pw = getpwnam("postgres");
        if (pw == nullptr || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) _exit(126);
      }
      prctl(PR_SET_PDEATHSIG, SIGQUIT);  // after setuid, which clears it
      if (getppid() != parent) _exit(1);
      const std::string postgres = std::string(kPgBin) + "/postgres";
      execl(postgres.c_str(), "postgres", "-D", data.c_str(), "-p", "5432", "-k", s->dir_.c_str(),
            "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
            "full_page_writes=off", "-c", "max_connections=200", static_cast<char*>(nullptr));
      _exit(127);
    }
    if (pid < 0) {
      reason = "fork failed";
      return;
    }
    s->pid_ = pid;
    s->base_ = "host=" + s->dir_ + " port=5432 user=postgres dbname=postgres";
    // Readiness: poll the server, bounded.
    bool ready = false;
    for (int i = 0; i < 3000 && !ready; ++i) {
      ready = PQping(s->base_.c_str()) == PQPING_OK;
      if (!ready) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) break;
        usleep(10'000);
      }
    }
    if (!ready) {
      std::string log_text;
      RunCommand("cat " + Quote(logfile), &log_text);
      reason = "postgres did not start: " + log_text;
      return;
    }
    s->owned_ = true;
    server = std::move(s);
    std::atexit([] { server.reset(); });
  });
  if (server == nullptr && why != nullptr) *why = reason;
  return server.get();
}

std::string TestServer::FreshConninfo() {
  const std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(++next_schema_);
  PGconn* c = PQconnectdb(base_.c_str());
  PGresult* r = PQexec(c, ("CREATE SCHEMA " + schema).c_str());
  PQclear(r);
  PQfinish(c);
  return base_ + " options='-c search_path=" + schema + "'";
}

TestServer::~TestServer() {
  if (!owned_) return;
  kill(pid_, SIGQUIT);  // immediate shutdown: nothing here needs to survive
  int status = 0;
  waitpid(pid_, &status, 0);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace bramka::store::postgres
