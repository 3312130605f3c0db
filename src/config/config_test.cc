#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace bramka::config {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bramka-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& text) {
    auto p = (dir_ / "bramka.toml").string();
    std::ofstream(p) << text;
    return p;
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigTest, DefaultConfigRoundTrips) {
  Config c;
  c.http.port = 18080;
  c.core.id_key = 0xabcdef0123456789ULL;
  auto loaded = LoadConfig(Write(RenderDefaultConfig(c)));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->http.port, 18080);
  EXPECT_EQ(loaded->core.id_key, 0xabcdef0123456789ULL);
  EXPECT_TRUE(loaded->simnet.failures.empty());
  EXPECT_EQ(loaded->Resolve("data/x.db"), (dir_ / "data/x.db").string());
  EXPECT_EQ(loaded->Resolve("/abs/x.db"), "/abs/x.db");
}

TEST_F(ConfigTest, SimnetFailureRules) {
  auto r = LoadConfig(Write(
      "[simnet]\n[[simnet.failure]]\nprefix = \"+48799\"\nrate = 0.5\neffect = \"reject\"\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->simnet.failures.size(), 1u);
  EXPECT_EQ(r->simnet.failures[0].effect, "reject");
  auto bad = LoadConfig(Write("[[simnet.failure]]\nprefix = \"48\"\neffect = \"boom\"\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("prefix must start with '+'"), std::string::npos);
  EXPECT_NE(bad.error().message.find("effect must be"), std::string::npos);
}

TEST_F(ConfigTest, UnknownKeyIsAnErrorNamingIt) {
  auto r = LoadConfig(Write("[http]\nprot = 80\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown key 'prot'"), std::string::npos) << r.error().message;
}

TEST_F(ConfigTest, WrongTypesAndRangesAreErrors) {
  auto r = LoadConfig(Write("[http]\nport = \"eighty\"\n[server]\nthreads = 0\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("[http] port: wrong type"), std::string::npos);
  EXPECT_NE(r.error().message.find("threads must be 1..64"), std::string::npos);
}

TEST_F(ConfigTest, SyntaxErrorHasALine) {
  auto r = LoadConfig(Write("[http\nport=1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(":1:"), std::string::npos) << r.error().message;
}

TEST_F(ConfigTest, MissingFileIsNotFound) {
  auto r = LoadConfig((dir_ / "nope.toml").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_F(ConfigTest, ConnectorsAndRoutes) {
  auto r = LoadConfig(Write(R"([[connector]]
name = "smsc-a"
host = "127.0.0.1"
port = 2776
system_id = "bramka"
password = "pw"
tps = 25.5
window = 20
long_messages = "sar"
receipt_id_format = "decimal"

[[connector]]
name = "smsc-b"
port = 2777
system_id = "b"

[[route]]
types = ["full"]
prefixes = ["+4850", "+4851"]
accounts = [1, 2]
connectors = ["smsc-a", "smsc-b"]
round_robin = true
)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->connectors.size(), 2u);
  EXPECT_EQ(r->connectors[0].name, "smsc-a");
  EXPECT_DOUBLE_EQ(r->connectors[0].tps, 25.5);
  EXPECT_EQ(r->connectors[0].window, 20);
  EXPECT_EQ(r->connectors[0].long_messages, "sar");
  EXPECT_EQ(r->connectors[0].receipt_id_format, "decimal");
  EXPECT_EQ(r->connectors[1].long_messages, "udh");
  ASSERT_EQ(r->routes.size(), 1u);
  EXPECT_EQ(r->routes[0].prefixes, (std::vector<std::string>{"+4850", "+4851"}));
  EXPECT_EQ(r->routes[0].accounts, (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(r->routes[0].round_robin);
}

TEST_F(ConfigTest, ConnectorErrors) {
  auto unknown =
      LoadConfig(Write("[[connector]]\nname = \"a\"\nport = 1\nsystem_id = \"x\"\nwindoww = 3\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown key 'windoww'"), std::string::npos);
  auto bad =
      LoadConfig(Write("[[connector]]\nname = \"simnet\"\nport = 0\nlong_messages = \"x\"\n"
                       "[[connector]]\nname = \"b\"\nsystem_id = \"b\"\n[[connector]]\nname = "
                       "\"b\"\nsystem_id = \"b\"\n"
                       "[[route]]\nprefixes = \"+48\"\n"));
  ASSERT_FALSE(bad.ok());
  const std::string& m = bad.error().message;
  for (const char* want : {"simnet is the built-in", "port must be 1..65535",
                           "system_id is required", "long_messages must be", "name used twice",
                           "prefixes: wrong type", "connectors must not be empty"}) {
    EXPECT_NE(m.find(want), std::string::npos) << want << " in " << m;
  }
}

TEST_F(ConfigTest, NotifySectionDefaultsKeysAndErrors) {
  auto defaults = LoadConfig(Write(RenderDefaultConfig(Config{})));
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_TRUE(defaults->notify.enabled);
  EXPECT_EQ(defaults->notify.max_concurrency, 16);
  EXPECT_EQ(defaults->notify.max_age_s, 259'200);
  auto set =
      LoadConfig(Write("[notify]\nenabled = false\nmax_concurrency = 4\nconnect_timeout_ms = 100\n"
                       "timeout_ms = 200\npoll_interval_ms = 50\ninitial_backoff_ms = 10\n"
                       "max_backoff_ms = 1000\nmax_age_s = 60\nverify_tls = false\n"));
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_FALSE(set->notify.enabled);
  EXPECT_EQ(set->notify.max_concurrency, 4);
  EXPECT_EQ(set->notify.connect_timeout_ms, 100);
  EXPECT_EQ(set->notify.timeout_ms, 200);
  EXPECT_EQ(set->notify.poll_interval_ms, 50);
  EXPECT_EQ(set->notify.initial_backoff_ms, 10);
  EXPECT_EQ(set->notify.max_backoff_ms, 1000);
  EXPECT_EQ(set->notify.max_age_s, 60);
  EXPECT_FALSE(set->notify.verify_tls);
  auto bad = LoadConfig(
      Write("[notify]\nmax_concurrency = 0\ninitial_backoff_ms = 100\nmax_backoff_ms = 10\n"
            "retries = 3\n"));
  ASSERT_FALSE(bad.ok());
  for (const char* want : {"unknown key 'retries'", "max_concurrency must be 1..1024",
                           "max_backoff_ms must be at least initial_backoff_ms"}) {
    EXPECT_NE(bad.error().message.find(want), std::string::npos)
        << want << " in " << bad.error().message;
  }
}

// ---- SMS via FTP (ADR 0012) ----
TEST_F(ConfigTest, FtpSection) {
  auto defaults = LoadConfig(Write(RenderDefaultConfig(Config{})));
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_TRUE(defaults->ftp.enabled);
  EXPECT_EQ(defaults->ftp.max_file_bytes, 5 * 1024 * 1024);
  EXPECT_EQ(defaults->ftp.max_files, 500);
  auto set = LoadConfig(Write("[ftp]\nenabled = false\nbatch_size = 50\ntick_ms = 100\n"));
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_FALSE(set->ftp.enabled);
  EXPECT_EQ(set->ftp.batch_size, 50);
  auto bad = LoadConfig(Write("[ftp]\nbatch_size = 0\npoll = 3\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("[ftp] unknown key 'poll'"), std::string::npos)
      << bad.error().message;
  EXPECT_NE(bad.error().message.find("[ftp] tick_ms, batch_size"), std::string::npos);
}

// ---- PostgreSQL store (docs/adr/0022) ----
TEST_F(ConfigTest, PostgresStoreRoundTripsAndNeedsAUrl) {
  Config c;
  c.store.engine = "postgres";
  c.store.url = "postgres://bramka@db:5432/bramka";
  c.store.connections = 12;
  auto loaded = LoadConfig(Write(RenderDefaultConfig(c)));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->store.engine, "postgres");
  EXPECT_EQ(loaded->store.url, "postgres://bramka@db:5432/bramka");
  EXPECT_EQ(loaded->store.connections, 12);

  auto no_url = LoadConfig(Write("[store]\nengine = \"postgres\"\n"));
  ASSERT_FALSE(no_url.ok());
  EXPECT_NE(no_url.error().message.find("needs url"), std::string::npos) << no_url.error().message;
  auto bad = LoadConfig(Write("[store]\nengine = \"oracle\"\nconnections = 1\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("engine must be sqlite or postgres"), std::string::npos);
  EXPECT_NE(bad.error().message.find("connections must be 2..200"), std::string::npos);
}

// ---- s6-latency (docs/adr/0035) ----
TEST_F(ConfigTest, SyncWakeIsOffByDefaultAndCanBeTurnedOn) {
  auto defaults = LoadConfig(Write("[store]\n"));
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_EQ(defaults->store.sync_wake_us, 0);
  auto on = LoadConfig(Write("[store]\nsync_wake_us = 20\n"));
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_EQ(on->store.sync_wake_us, 20);
  auto bad = LoadConfig(Write("[store]\nsync_wake_us = -1\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("sync_wake_us must be 0..10000"), std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace bramka::config
