#include "loadgen/options.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>

#include "loadgen/bench_command.h"
#include "loadgen/http_bench.h"

namespace bramka::loadgen {
namespace {

// Parses `bramka bench ...` words as main() does.
void Parse(BenchCommand& bench, std::vector<std::string> words) {
  CLI::App app;
  AddBenchCommand(app, bench);
  std::vector<std::string> args{"bench"};
  args.insert(args.end(), words.begin(), words.end());
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector reversed
  app.parse(args);
}

TEST(BenchOptionsTest, SmppFlags) {
  BenchCommand b;
  Parse(b, {"smpp",       "--port",  "2775",    "--system-id", "bench",
            "--password", "pw",      "--binds", "1000",        "--window",
            "64",         "--count", "5000",    "--duration",  "10",
            "--receipts", "--tls",   "--json",  "--threads",   "2"});
  ASSERT_TRUE(b.smpp_cmd->parsed());
  EXPECT_FALSE(b.http_cmd->parsed());
  EXPECT_EQ(b.smpp.port, 2775);
  EXPECT_EQ(b.smpp.system_id, "bench");
  EXPECT_EQ(b.smpp.password, "pw");
  EXPECT_EQ(b.smpp.binds, 1000u);
  EXPECT_EQ(b.smpp.window, 64u);
  EXPECT_EQ(b.smpp.bounds.count, 5000u);
  EXPECT_DOUBLE_EQ(b.smpp.bounds.duration_s, 10);
  EXPECT_TRUE(b.smpp.receipts);
  EXPECT_TRUE(b.smpp.tls);
  EXPECT_TRUE(b.smpp.json);
  EXPECT_EQ(b.smpp.threads, 2u);
  EXPECT_TRUE(Finish(b.smpp).ok());
}

TEST(BenchOptionsTest, SmppDefaultsAndErrors) {
  BenchCommand b;
  Parse(b, {"smpp", "--port", "2775"});
  EXPECT_EQ(b.smpp.host, "127.0.0.1");
  EXPECT_EQ(b.smpp.binds, 1u);
  EXPECT_EQ(b.smpp.window, 1u);
  EXPECT_FALSE(b.smpp.receipts);
  auto unbounded = Finish(b.smpp);
  ASSERT_FALSE(unbounded.ok());
  EXPECT_NE(unbounded.error().message.find("--count"), std::string::npos);

  b.smpp.bounds.count = 10;
  b.smpp.window = 0;
  EXPECT_NE(Finish(b.smpp).error().message.find("--window"), std::string::npos);
  b.smpp.window = 1;
  b.smpp.password = "ninechars";
  EXPECT_NE(Finish(b.smpp).error().message.find("--password"), std::string::npos);
  b.smpp.password = "demo";
  b.smpp.port = 0;
  EXPECT_NE(Finish(b.smpp).error().message.find("no port"), std::string::npos);
}

TEST(BenchOptionsTest, UnknownFlagIsRefused) {
  BenchCommand b;
  EXPECT_THROW(Parse(b, {"smpp", "--windw", "3"}), CLI::ParseError);
  BenchCommand c;
  EXPECT_THROW(Parse(c, {"smpp", "--binds", "many"}), CLI::ParseError);
}

TEST(BenchOptionsTest, HttpFlagsAndToken) {
  BenchCommand b;
  Parse(b, {"http", "--port", "8080", "--token", "abc", "--connections", "64", "--recipients",
            "100", "--count", "10"});
  ASSERT_TRUE(b.http_cmd->parsed());
  EXPECT_EQ(b.http.connections, 64u);
  EXPECT_EQ(b.http.recipients, 100u);
  EXPECT_TRUE(Finish(b.http).ok());

  BenchCommand c;
  Parse(c, {"http", "--port", "8080", "--duration", "1"});
  EXPECT_NE(Finish(c.http).error().message.find("token"), std::string::npos);
}

TEST(BenchOptionsTest, ConfigGivesPortsFromListenersAndDemoToken) {
  auto dir = std::filesystem::temp_directory_path() /
             ("loadgen_options_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "data");
  {
    std::ofstream(dir / "bramka.toml") << "[http]\nport = 0\n[smpp]\nport = 0\ntls_port = 0\n";
    std::ofstream(dir / "data" / "listeners.json")
        << R"({"http":18080,"https":18443,"smpp":12775,"smpp_tls":13550,"pid":1})";
    std::ofstream(dir / "demo-token.txt") << "tok123\n";
  }
  SmppBenchOptions s;
  s.config_path = (dir / "bramka.toml").string();
  s.bounds.count = 1;
  ASSERT_TRUE(Finish(s).ok());
  EXPECT_EQ(s.port, 12775);
  s.port = 0;
  s.tls = true;
  ASSERT_TRUE(Finish(s).ok());
  EXPECT_EQ(s.port, 13550);

  HttpBenchOptions h;
  h.config_path = s.config_path;
  h.bounds.count = 1;
  ASSERT_TRUE(Finish(h).ok());
  EXPECT_EQ(h.port, 18080);
  EXPECT_EQ(h.token, "tok123");

  // Without a running serve the config's own ports are used.
  std::filesystem::remove(dir / "data" / "listeners.json");
  { std::ofstream(dir / "bramka.toml") << "[smpp]\nport = 2776\n"; }
  SmppBenchOptions t;
  t.config_path = s.config_path;
  t.bounds.count = 1;
  ASSERT_TRUE(Finish(t).ok());
  EXPECT_EQ(t.port, 2776);
  std::filesystem::remove_all(dir);
}

TEST(BenchOptionsTest, ParseListeners) {
  auto p = ParseListeners(R"({"http":1,"https":2,"smpp":3})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->http, 1);
  EXPECT_EQ(p->smpp, 3);
  EXPECT_EQ(p->smpp_tls, 0);
  EXPECT_FALSE(ParseListeners("not json").ok());
  EXPECT_EQ(ParseListeners(R"({"http":70000})")->http, 0);
}

TEST(BenchOptionsTest, DestinationNumbersAndBodies) {
  EXPECT_EQ(DestinationNumber("48500", 42), "48500000042");
  EXPECT_EQ(DestinationNumber("48500", 1'000'000), "48500000000");  // wraps
  EXPECT_EQ(DestinationNumber("4860", 7), "48600000007");
  HttpBenchOptions o;
  EXPECT_EQ(SendSmsBody(o, 3), R"({"phone":"48500000003","text":"bramka bench"})");
  // The built-once body is the one nlohmann::json writes (ADR 0030).
  o.sender = "Bramka";
  o.text = "zażółć \"gęślą\"\n";
  for (uint64_t n : {0, 7, 123456}) EXPECT_EQ(SendSmsBody(o, n), SendSmsBodyList(o, n));
  o.sender.clear();
  o.text = "bramka bench";
  o.recipients = 2;
  o.sender = "Bramka";
  EXPECT_EQ(SendSmsBody(o, 3),
            R"({"phone":["48500000006","48500000007"],"sender":"Bramka","text":"bramka bench"})");
}

}  // namespace
}  // namespace bramka::loadgen

// --rate (open loop, ADR 0020).
namespace bramka::loadgen {
namespace {

TEST(BenchOptionsTest, RateFlag) {
  BenchCommand b;
  Parse(b, {"smpp", "--port", "2775", "--duration", "5", "--rate", "20000"});
  EXPECT_DOUBLE_EQ(b.smpp.rate, 20'000);
  EXPECT_TRUE(Finish(b.smpp).ok());
  b.smpp.rate = -1;
  EXPECT_NE(Finish(b.smpp).error().message.find("--rate"), std::string::npos);

  BenchCommand c;
  Parse(c, {"http", "--port", "8080", "--token", "t", "--count", "10", "--rate", "500.5"});
  EXPECT_DOUBLE_EQ(c.http.rate, 500.5);
  EXPECT_TRUE(Finish(c.http).ok());
  c.http.rate = 1e9;
  EXPECT_NE(Finish(c.http).error().message.find("--rate"), std::string::npos);

  BenchCommand d;
  Parse(d, {"http", "--port", "8080", "--token", "t", "--count", "10"});
  EXPECT_DOUBLE_EQ(d.http.rate, 0);  // closed loop by default
}

}  // namespace
// ---- http (session 6): the request the generator writes by hand ----
TEST(HttpBenchRequestTest, HeadPrefixAndRequestAreValidHttp) {
  HttpBenchOptions o;
  o.host = "127.0.0.1";
  o.port = 8080;
  o.path = "/messages/send_sms";
  o.token = "abc";
  std::string wire = "left over";
  AppendRequest(wire, RequestHeadPrefix(o), R"({"phone":"1"})");
  EXPECT_EQ(wire,
            "POST /messages/send_sms HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            "Content-Type: application/json\r\nAuthorization: Bearer abc\r\n"
            "Content-Length: 13\r\n\r\n{\"phone\":\"1\"}");
}

}  // namespace bramka::loadgen
