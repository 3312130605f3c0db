// A real HttpServer on 127.0.0.1, port 0, over a real core::GatewayService on
// an InMemoryStore, driven by a small Beast client. Every wait is bounded by
// the client's per-operation deadline.
#include "api/http/server.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "common/metrics.h"
#include "common/testing/test_certificate.h"
#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::api::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using Json = nlohmann::json;

constexpr std::chrono::seconds kDeadline{10};

using bramka::testing::TestCertificate;

struct Reply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  bool keep_alive = false;
  Json json() const { return Json::parse(body, nullptr, false); }
};

// One client connection with its own io_context; every operation has a deadline.
template <bool kTls>
class Client {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  explicit Client(uint16_t port, int max_tls = 0) : tls_(ssl::context::tls_client) {
    if (max_tls != 0) SSL_CTX_set_max_proto_version(tls_.native_handle(), max_tls);
    if constexpr (kTls) {
      stream_.emplace(io_, tls_);
    } else {
      stream_.emplace(io_);
    }
    Lowest().expires_after(kDeadline);
    beast::error_code ec;
    Lowest().async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                           [&](beast::error_code e) { ec = e; });
    Run();
    connect_error = ec;
    if constexpr (kTls) {
      if (!ec) {
        Lowest().expires_after(kDeadline);
        stream_->async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
        Run();
        connect_error = ec;
      }
    }
  }

  beast::error_code Write(const std::string& raw) {
    beast::error_code ec;
    Lowest().expires_after(kDeadline);
    net::async_write(*stream_, net::buffer(raw), [&](beast::error_code e, size_t) { ec = e; });
    Run();
    return ec;
  }

  Reply Read(beast::error_code* error = nullptr) {
    bhttp::response<bhttp::string_body> res;
    beast::error_code ec;
    Lowest().expires_after(kDeadline);
    bhttp::async_read(*stream_, buffer_, res, [&](beast::error_code e, size_t) { ec = e; });
    Run();
    if (error != nullptr) *error = ec;
    EXPECT_TRUE(error != nullptr || !ec) << ec.message();
    return Reply{res.result_int(), std::string(res[bhttp::field::content_type]), res.body(),
                 res.keep_alive()};
  }

  // Reads a 1xx interim response.
  unsigned ReadInterim() {
    bhttp::response_parser<bhttp::empty_body> p;
    beast::error_code ec;
    Lowest().expires_after(kDeadline);
    bhttp::async_read_header(*stream_, buffer_, p, [&](beast::error_code e, size_t) { ec = e; });
    Run();
    EXPECT_FALSE(ec) << ec.message();
    return p.get().result_int();
  }

  Reply Exchange(const std::string& raw) {
    EXPECT_FALSE(Write(raw));
    return Read();
  }

  // Waits for the server to close the connection; returns how it ended.
  beast::error_code ReadUntilClosed() {
    beast::error_code ec;
    char byte;
    Lowest().expires_after(kDeadline);
    Lowest().async_read_some(net::buffer(&byte, 1), [&](beast::error_code e, size_t) { ec = e; });
    Run();
    return ec;
  }

  // Ends the client's sending side (TCP FIN); reading goes on.
  void ShutdownSend() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  SSL* native() {
    if constexpr (kTls) return stream_->native_handle();
    return nullptr;
  }

  beast::error_code connect_error;

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(*stream_); }
  void Run() {
    io_.restart();
    io_.run();
  }

  net::io_context io_;
  ssl::context tls_;
  std::optional<Stream> stream_;
  beast::flat_buffer buffer_;
};

// An InMemoryStore whose AcceptAsync can be held back and then completed on
// another thread, as SqliteStore's commit thread does.
class GatedStore final : public store::InMemoryStore {
 public:
  ~GatedStore() override {
    Release();
    for (auto& t : threads_) t.join();
  }

  void Gate() { gated_ = true; }
  // Waits (bounded) until `n` accepts are held back.
  bool WaitHeld(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kDeadline, [&] { return held_.size() >= n; });
  }
  // Completes every held accept on a new thread.
  void Release() {
    std::vector<std::pair<store::AcceptRequest, AcceptCallback>> held;
    {
      std::lock_guard lock(mu_);
      gated_ = false;
      held.swap(held_);
    }
    if (held.empty()) return;
    threads_.emplace_back([this, held = std::move(held)]() mutable {
      for (auto& [request, done] : held) {
        InMemoryStore::AcceptAsync(std::move(request), std::move(done));
      }
    });
  }

  // Everything else is the in-memory store's.
  void AcceptAsync(store::AcceptRequest request, AcceptCallback done) override {
    {
      std::lock_guard lock(mu_);
      if (gated_) {
        held_.emplace_back(std::move(request), std::move(done));
        cv_.notify_all();
        return;
      }
    }
    InMemoryStore::AcceptAsync(std::move(request), std::move(done));
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool gated_ = false;
  std::vector<std::pair<store::AcceptRequest, AcceptCallback>> held_;
  std::vector<std::thread> threads_;
};

std::string Request(std::string_view method, std::string_view target, std::string_view body,
                    std::string_view content_type = "application/json",
                    std::string_view extra_headers = "") {
  std::string r =
      std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n";
  if (!content_type.empty()) r += "Content-Type: " + std::string(content_type) + "\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  r += extra_headers;
  r += "\r\n";
  r += body;
  return r;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    gw_ = std::make_unique<core::GatewayService>(store_, clock_, core::CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", store::MessageType::kEco, 1000, "").ok());
    token_ = *gw_->CreateToken("acme", "test");

    HttpOptions options;
    options.http_port = 0;
    options.https_port = 0;
    options.cert_file = cert_.cert;
    options.key_file = cert_.key;
    options.max_body_bytes = 64 * 1024;
    options.idle_timeout_s = 2;
    server_ = std::make_unique<HttpServer>(io_, options, *gw_, metrics_);
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    ASSERT_NE(server_->http_port(), 0);
    ASSERT_NE(server_->https_port(), 0);
    server_->SetReady(true);
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }

  std::string Bearer() const { return "Authorization: Bearer " + token_ + "\r\n"; }

  Reply Post(std::string_view path, std::string_view json) {
    Client<false> c(server_->http_port());
    return c.Exchange(Request("POST", path, json, "application/json", Bearer()));
  }

  TestCertificate cert_;
  GatedStore store_;
  FakeClock clock_;
  MetricsRegistry metrics_;
  std::unique_ptr<core::GatewayService> gw_;
  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::vector<std::thread> threads_;
  std::string token_;
};

TEST_F(HttpServerTest, HealthzFollowsReadiness) {
  server_->SetReady(false);
  Client<false> c(server_->http_port());
  Reply starting = c.Exchange(Request("GET", "/healthz", "", ""));
  EXPECT_EQ(starting.status, 503u);
  server_->SetReady(true);
  Reply ok = c.Exchange(Request("GET", "/healthz", "", ""));  // same keep-alive connection
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.body, R"({"status":"ok"})");
  EXPECT_EQ(ok.content_type, "application/json; charset=UTF-8");
}

TEST_F(HttpServerTest, SendSmsJsonWithBearer) {
  Reply r = Post("/messages/send_sms.json",
                 R"({"phone":["500600700","+48600700800"],"text":"Test","details":true,)"
                 R"("system":"client_php"})");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/json; charset=UTF-8");
  Json j = r.json();
  EXPECT_EQ(j["success"], true);
  EXPECT_EQ(j["queued"], 2);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][1]["phone"], "+48600700800");

  // view and reports find it.
  const std::string id = j["items"][0]["id"];
  Json v = Post("/messages/view", R"({"id":")" + id + R"("})").json();
  EXPECT_EQ(v["id"], id);
  EXPECT_EQ(v["status"], "in_progress");
  Json rep = Post("/messages/reports", R"({"id":[")" + id + R"("]})").json();
  ASSERT_EQ(rep["items"].size(), 1u);
  EXPECT_EQ(rep["paging"]["count"], 1);
}

TEST_F(HttpServerTest, SendSmsFormWithUsernamePassword) {
  Client<false> c(server_->http_port());
  Reply r = c.Exchange(Request("POST", "/messages/send_sms",
                               "username=acme&password=secret&phone%5B0%5D=500600700&"
                               "phone%5B1%5D=600700800&text=Hello+world&details=true&"
                               "system=client_nodejs",
                               "application/x-www-form-urlencoded"));
  EXPECT_EQ(r.status, 200u);
  Json j = r.json();
  EXPECT_EQ(j["queued"], 2) << r.body;
  EXPECT_EQ(j["items"][0]["text"], "Hello world");
}

TEST_F(HttpServerTest, BashClientBody) {
  Client<false> c(server_->http_port());
  Reply r = c.Exchange(Request("POST", "/messages/send_sms",
                               "phone=+48500600700&text=Za%17C%F3%142%107&details=true&"
                               "username=acme&password=secret&system=client_bash&",
                               "application/x-www-form-urlencoded"));
  Json j = r.json();
  EXPECT_EQ(j["queued"], 1) << r.body;
  EXPECT_EQ(j["items"][0]["phone"], "+48500600700");
  EXPECT_EQ(j["items"][0]["text"], "Zazolc");  // decoded as "Zażółć", then ECO transliteration
}

TEST_F(HttpServerTest, GetWithQueryString) {
  Client<false> c(server_->http_port());
  Reply r =
      c.Exchange(Request("GET", "/account/limits.json?username=acme&password=secret", "", ""));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["items"][0]["value"], "1000");
}

TEST_F(HttpServerTest, XmlOutput) {
  Client<false> c(server_->http_port());
  Reply r = c.Exchange(Request("POST", "/account/limits.xml", "{}", "application/json", Bearer()));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/xml; charset=UTF-8");
  EXPECT_EQ(r.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<response><items><item>"
                         "<type>eco</type><chars_limit>918/6</chars_limit><value>1000</value>",
                         0),
            0u)
      << r.body;
  Reply err = c.Exchange(Request("POST", "/account/limits.xml", "{}", "application/json",
                                 "Authorization: Bearer wrong\r\n"));
  EXPECT_EQ(err.status, 200u);
  EXPECT_NE(err.body.find("<error><code>1001</code><type>InvalidUser</type>"), std::string::npos);
}

TEST_F(HttpServerTest, ApiErrorsComeWithHttp200) {
  Client<false> c(server_->http_port());
  Reply wrong = c.Exchange(Request("POST", "/account/limits", "{}", "application/json",
                                   "Authorization: Bearer 0123456789abcdef0123456789abcdef\r\n"));
  EXPECT_EQ(wrong.status, 200u);
  EXPECT_EQ(wrong.json()["error"]["code"], 1001);
  EXPECT_EQ(wrong.json()["error"]["message"], "Nieprawidłowy login lub hasło");
  Reply unknown = c.Exchange(Request("POST", "/messages/teleport", "{}"));
  EXPECT_EQ(unknown.status, 200u);
  EXPECT_EQ(unknown.json()["error"]["code"], 1000);
  Reply malformed =
      c.Exchange(Request("POST", "/account/limits", R"({"a":)", "application/json", Bearer()));
  EXPECT_EQ(malformed.status, 200u);
  EXPECT_EQ(malformed.json()["error"]["code"], 1006);
  Reply preview = c.Exchange(Request("POST", "/error/3102.json", "{}"));
  EXPECT_EQ(preview.json()["error"]["code"], 3102);
  EXPECT_TRUE(preview.keep_alive);
}

TEST_F(HttpServerTest, OversizedBodiesGet413) {
  {  // Declared too large: refused before any body byte is read.
    Client<false> c(server_->http_port());
    ASSERT_FALSE(
        c.Write("POST /messages/send_sms HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n"));
    Reply r = c.Read();
    EXPECT_EQ(r.status, 413u);
    EXPECT_EQ(r.json()["error"]["code"], 1011);
    EXPECT_FALSE(r.keep_alive);
  }
  {  // Sent in full: the answer still arrives (the server drains before closing).
    Client<false> c(server_->http_port());
    const std::string big = R"({"text":")" + std::string(200 * 1024, 'a') + "\"}";
    ASSERT_FALSE(c.Write(Request("POST", "/messages/send_sms", big)));
    EXPECT_EQ(c.Read().status, 413u);
  }
  {  // Chunked past the limit.
    Client<false> c(server_->http_port());
    std::string chunked =
        "POST /messages/send_sms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 80; ++i) chunked += "400\r\n" + std::string(1024, 'a') + "\r\n";
    chunked += "0\r\n\r\n";
    ASSERT_FALSE(c.Write(chunked));
    EXPECT_EQ(c.Read().status, 413u);
  }
}

TEST_F(HttpServerTest, ExpectContinue) {
  Client<false> c(server_->http_port());
  const std::string body = R"({"show_type":true})";
  ASSERT_FALSE(
      c.Write("POST /account/limits HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Expect: 100-continue\r\n" +
              Bearer() + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  EXPECT_EQ(c.ReadInterim(), 100u);
  ASSERT_FALSE(c.Write(body));
  Reply r = c.Read();
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["account"]["type"], "prepaid");
}

TEST_F(HttpServerTest, PipelinedRequestsAnswerInOrder) {
  Client<false> c(server_->http_port());
  std::string batch;
  batch += Request("POST", "/messages/send_sms", R"({"phone":"500600700","text":"1"})",
                   "application/json", Bearer());
  batch +=
      Request("POST", "/messages/view", R"({"id":"ffffffffff"})", "application/json", Bearer());
  batch += Request("GET", "/healthz", "", "");
  batch += Request("POST", "/account/limits", "{}", "application/json", Bearer());
  ASSERT_FALSE(c.Write(batch));
  EXPECT_EQ(c.Read().json()["queued"], 1);
  EXPECT_EQ(c.Read().json()["error"]["code"], 1004);
  EXPECT_EQ(c.Read().body, R"({"status":"ok"})");
  EXPECT_EQ(c.Read().json()["items"][0]["value"], "999");
}

// httpio (session 13): plain TCP reads the header with its own loop around Beast's parser.
TEST_F(HttpServerTest, RequestsArrivingInPiecesAreAnswered) {
  Client<false> c(server_->http_port());
  const std::string request =
      Request("POST", "/messages/send_sms", R"({"phone":"500600700","text":"1"})",
              "application/json", Bearer());
  for (int round = 0; round < 2; ++round) {
    // One write per byte of the header, then the body.
    const size_t head = request.find("\r\n\r\n") + 4;
    for (size_t i = 0; i < head; ++i) ASSERT_FALSE(c.Write(request.substr(i, 1)));
    ASSERT_FALSE(c.Write(request.substr(head)));
    EXPECT_EQ(c.Read().json()["queued"], 1);
  }
}

TEST_F(HttpServerTest, ACloseInsideTheHeaderIsABadRequestAndACloseBetweenRequestsIsNot) {
  {
    Client<false> c(server_->http_port());
    ASSERT_FALSE(c.Write("POST /messages/send_sms HTTP/1.1\r\nHost: x\r\n"));
    c.ShutdownSend();
    beast::error_code ec;
    Reply r = c.Read(&ec);
    EXPECT_EQ(r.status, 400u);
  }
  {
    Client<false> c(server_->http_port());
    EXPECT_EQ(c.Exchange(Request("GET", "/healthz", "", "")).status, 200u);
    c.ShutdownSend();
    EXPECT_EQ(c.ReadUntilClosed(), net::error::eof);
  }
}

TEST_F(HttpServerTest, TransportErrors) {
  {
    Client<false> c(server_->http_port());
    Reply r = c.Exchange(Request("PUT", "/messages/send_sms", "{}"));
    EXPECT_EQ(r.status, 405u);
  }
  {
    Client<false> c(server_->http_port());
    ASSERT_FALSE(c.Write("GARBAGE\r\n\r\n"));
    beast::error_code ec;
    Reply r = c.Read(&ec);
    EXPECT_EQ(r.status, 400u);
  }
}

TEST_F(HttpServerTest, IdleConnectionsAreClosed) {
  Client<false> c(server_->http_port());
  const auto start = std::chrono::steady_clock::now();
  beast::error_code ec = c.ReadUntilClosed();
  EXPECT_EQ(ec, net::error::eof) << ec.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
}

TEST_F(HttpServerTest, Https) {
  Client<true> c(server_->https_port());
  ASSERT_FALSE(c.connect_error) << c.connect_error.message();
  EXPECT_GE(SSL_version(c.native()), TLS1_2_VERSION);
  Reply r = c.Exchange(Request("POST", "/account/limits", "{}", "application/json", Bearer()));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["items"].size(), 6u);
}

// http (ADR 0034): an answer larger than a TLS record (the OpenAPI document, > 16 KiB)
// arrives whole on both listeners, twice on one keep-alive connection.
TEST_F(HttpServerTest, LargeAnswersArriveWholeOverHttpAndHttps) {
  Client<true> tls(server_->https_port());
  ASSERT_FALSE(tls.connect_error) << tls.connect_error.message();
  Client<false> plain(server_->http_port());
  for (int i = 0; i < 2; ++i) {
    Reply a = tls.Exchange(Request("GET", "/openapi.json", "", ""));
    Reply b = plain.Exchange(Request("GET", "/openapi.json", "", ""));
    EXPECT_EQ(a.status, 200u);
    EXPECT_GT(a.body.size(), 16u * 1024);
    EXPECT_EQ(a.body, b.body);
    EXPECT_TRUE(a.json().is_object());
  }
}

TEST_F(HttpServerTest, HttpsRefusesTls11) {
  Client<true> c(server_->https_port(), TLS1_1_VERSION);
  EXPECT_TRUE(c.connect_error);
}

TEST_F(HttpServerTest, MetricsCountRequests) {
  Post("/messages/send_sms", R"({"phone":"500600700","text":"m"})");
  Post("/messages/nope", "{}");
  Post("/account/limits", R"({"show_type":"bogus"})");
  Client<false> c(server_->http_port());
  Reply r = c.Exchange(Request("GET", "/metrics", "", ""));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find(R"(bramka_http_requests_total{action="messages/send_sms",result="ok"} 1)"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"(bramka_http_requests_total{action="unknown",result="error"} 1)"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"(bramka_http_requests_total{action="account/limits",result="error"} 1)"),
            std::string::npos);
  EXPECT_NE(r.body.find("bramka_http_request_duration_seconds_count"), std::string::npos);
}

TEST_F(HttpServerTest, ConcurrentClients) {
  constexpr int kClients = 6;
  constexpr int kRequests = 15;
  std::vector<std::thread> clients;
  std::atomic<int> queued{0};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      Client<false> c(server_->http_port());
      for (int k = 0; k < kRequests; ++k) {
        Reply r =
            c.Exchange(Request("POST", "/messages/send_sms", R"({"phone":"500600700","text":"c"})",
                               "application/json", Bearer()));
        queued += r.json().value("queued", 0);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(queued.load(), kClients * kRequests);
  Json rep = Post("/messages/reports", R"({"limit":500})").json();
  EXPECT_EQ(rep["items"].size(), static_cast<size_t>(kClients * kRequests));
}

TEST_F(HttpServerTest, StopClosesOpenConnections) {
  Client<false> c(server_->http_port());
  EXPECT_EQ(c.Exchange(Request("GET", "/healthz", "", "")).status, 200u);
  server_->Stop();
  beast::error_code ec = c.ReadUntilClosed();
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
  Client<false> late(server_->http_port());
  EXPECT_TRUE(late.connect_error || late.ReadUntilClosed());
}

TEST_F(HttpServerTest, SendAnsweredFromTheStoreThread) {
  store_.Gate();
  Client<false> c(server_->http_port());
  ASSERT_FALSE(c.Write(Request("POST", "/messages/send_sms", R"({"phone":"500600700","text":"x"})",
                               "application/json", Bearer())));
  ASSERT_TRUE(store_.WaitHeld(1));
  // The connection is busy, not idle: held past the 2 s idle timeout, it
  // still gets its answer once the commit completes.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  store_.Release();
  Reply r = c.Read();
  EXPECT_EQ(r.json()["queued"], 1) << r.body;
  // And the connection is usable afterwards.
  EXPECT_EQ(c.Exchange(Request("GET", "/healthz", "", "")).status, 200u);
}

// io_context::run() must not return while a send waits for its commit, so
// that `bramka serve` can stop the server and let run() drain.
TEST(HttpServerShutdownTest, RunReturnsOnlyAfterInFlightSendsComplete) {
  SetProcessTimeZone("Europe/Warsaw");
  GatedStore store;
  FakeClock clock;
  core::GatewayService gw(store, clock, core::CoreOptions{});
  ASSERT_TRUE(gw.CreateAccount("acme", "secret").ok());
  ASSERT_TRUE(gw.TopUp("acme", store::MessageType::kEco, 10, "").ok());
  const std::string token = *gw.CreateToken("acme", "t");
  MetricsRegistry metrics;
  net::io_context io;
  HttpOptions options;
  options.http_port = 0;
  options.https_enabled = false;
  HttpServer server(io, options, gw, metrics);
  ASSERT_TRUE(server.Start().ok());
  auto ran = std::async(std::launch::async, [&io] { io.run(); });

  store.Gate();
  Client<false> c(server.http_port());
  ASSERT_FALSE(c.Write(Request("POST", "/messages/send_sms", R"({"phone":"500600700","text":"x"})",
                               "application/json", "Authorization: Bearer " + token + "\r\n")));
  ASSERT_TRUE(store.WaitHeld(1));
  server.Stop();
  EXPECT_EQ(ran.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  store.Release();
  const bool drained = ran.wait_for(kDeadline) == std::future_status::ready;
  EXPECT_TRUE(drained);
  if (!drained) io.stop();
  EXPECT_EQ(gw.Reports(*gw.AuthenticateToken(token), {})->total, 1);
}

TEST(HttpServerStartTest, ReportsBadConfiguration) {
  store::InMemoryStore store;
  FakeClock clock;
  core::GatewayService gw(store, clock, core::CoreOptions{});
  MetricsRegistry metrics;
  net::io_context io;
  HttpOptions no_cert;
  no_cert.http_port = 0;
  no_cert.https_port = 0;
  EXPECT_EQ(HttpServer(io, no_cert, gw, metrics).Start().error().code, ErrorCode::kInvalidArgument);
  HttpOptions missing = no_cert;
  missing.cert_file = "/nonexistent/cert.pem";
  missing.key_file = "/nonexistent/key.pem";
  EXPECT_EQ(HttpServer(io, missing, gw, metrics).Start().error().code, ErrorCode::kInvalidArgument);
  HttpOptions bad_address = no_cert;
  bad_address.https_enabled = false;
  bad_address.bind_address = "not-an-address";
  EXPECT_EQ(HttpServer(io, bad_address, gw, metrics).Start().error().code,
            ErrorCode::kInvalidArgument);

  HttpOptions plain = no_cert;
  plain.https_enabled = false;
  HttpServer first(io, plain, gw, metrics);
  ASSERT_TRUE(first.Start().ok());
  EXPECT_EQ(first.https_port(), 0);
  HttpOptions taken = plain;
  taken.http_port = first.http_port();
  EXPECT_EQ(HttpServer(io, taken, gw, metrics).Start().error().code, ErrorCode::kUnavailable);
}

// ---- http (session 8, docs/adr/0042): an answer that does not fit the socket's send buffer
// at once goes out whole (the rest asynchronously), and the connection goes on after it.
class BigAnswer final : public MountedHandler {
 public:
  void Handle(MountedRequest request, std::function<void(MountedResponse)> done) override {
    MountedResponse r;
    r.content_type = "text/plain";
    r.body.resize(request.query == "big" ? 4 << 20 : 3, 'x');
    for (size_t i = 0; i < r.body.size(); i += 4096) r.body[i] = static_cast<char>('a' + i % 26);
    done(std::move(r));
  }
  MountedResponse TooLarge() const override {
    return {413, "text/plain", {}, "too large", "", true};
  }
};

TEST_F(HttpServerTest, AnswersLargerThanTheSendBufferArriveWholeOnOneConnection) {
  HttpOptions options;
  options.http_port = 0;
  options.https_enabled = false;
  HttpServer server(io_, options, *gw_, metrics_);
  server.Mount("/big", std::make_shared<BigAnswer>());
  ASSERT_TRUE(server.Start().ok());
  server.SetReady(true);
  MountedResponse expected;
  MountedRequest big_request;
  big_request.query = "big";
  BigAnswer().Handle(big_request, [&](MountedResponse r) { expected = std::move(r); });
  Client<false> c(server.http_port());
  for (int i = 0; i < 3; ++i) {
    Reply big = c.Exchange(Request("GET", "/big?big", "", ""));
    EXPECT_EQ(big.status, 200u);
    EXPECT_TRUE(big.keep_alive);
    EXPECT_TRUE(big.body == expected.body) << big.body.size();
    Reply small = c.Exchange(Request("GET", "/big", "", ""));
    EXPECT_EQ(small.body, "axx");
  }
  server.Stop();
}

}  // namespace
}  // namespace bramka::api::http
