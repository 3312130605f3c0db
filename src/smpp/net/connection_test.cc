// Loopback tests of the Asio transport: a Listener and Connect() talking SMPP over
// 127.0.0.1, plain and TLS. Bounded condition waits, no sleeps.

#include "smpp/net/connection.h"

#include <unistd.h>

#include <array>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "common/testing/test_certificate.h"
#include "smpp/net/listener.h"
#include "smpp/pdu/codec.h"
#include "smpp/net/tls.h"

namespace bramka::smpp::net {
namespace {

constexpr auto kWait = std::chrono::seconds(10);

using bramka::testing::TestCertificate;

// Everything both ends saw, guarded by one mutex.
struct Log {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> events;

  void Add(std::string e) {
    std::lock_guard lock(mu);
    events.push_back(std::move(e));
    cv.notify_all();
  }
  bool WaitFor(const std::string& e) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kWait,
                       [&] { return std::find(events.begin(), events.end(), e) != events.end(); });
  }
};

class NetTest : public ::testing::Test {
 protected:
  NetTest() : work_(io_.get_executor()) {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~NetTest() override {
    if (listener_) listener_->Stop();
    std::shared_ptr<Connection> server, client;
    {
      std::lock_guard lock(log_.mu);  // the accept and connect handlers set them
      server = server_conn_;
      client = client_;
    }
    if (server) server->Close("test end");
    if (client) client->Close("test end");
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }

  // A server that binds anyone and answers submit_sm with message_id "abc".
  void StartServer(std::shared_ptr<TlsContext> tls = nullptr) {
    ListenerOptions lo;
    lo.tls = std::move(tls);
    auto l = Listener::Start(io_, lo, [this](std::shared_ptr<Connection> conn) {
      {
        std::lock_guard lock(log_.mu);
        server_conn_ = conn;
      }
      std::weak_ptr<Connection> weak = conn;
      Connection::Handlers h;
      h.on_request = [this, weak](Pdu pdu) {
        auto c = weak.lock();
        log_.Add("server got " + std::string(pdu.name()));
        if (pdu.is<SubmitSm>()) {
          if (pdu.get<SubmitSm>()->short_message == "no answer") return;
          if (pdu.get<SubmitSm>()->short_message == "held") {  // answered when drained
            held_.push_back(std::move(pdu));
            return;
          }
          Pdu resp = MakeResponse(pdu);
          resp.get<SubmitSmResp>()->message_id = "abc";
          c->Respond(std::move(resp));
        } else {
          c->Respond(MakeResponse(pdu));
        }
      };
      h.on_closed = [this](const std::string&) { log_.Add("server closed"); };
      // accept (ADR 0032): the held submits of one read, answered together.
      h.on_requests_drained = [this, weak] {
        auto c = weak.lock();
        if (held_.empty() || !c) return;
        log_.Add("server drained " + std::to_string(held_.size()));
        for (Pdu& pdu : held_) {
          Pdu resp = MakeResponse(pdu);
          resp.get<SubmitSmResp>()->message_id = "held";
          c->Respond(std::move(resp));
        }
        held_.clear();
      };
      conn->Start(std::move(h));
    });
    ASSERT_TRUE(l.ok()) << l.error().ToString();
    listener_ = std::move(*l);
    ASSERT_NE(listener_->port(), 0);
  }

  void ConnectClient(std::shared_ptr<TlsContext> tls = nullptr) {
    ConnectOptions co;
    co.host = "127.0.0.1";
    co.port = listener_->port();
    co.tls = std::move(tls);
    Connect(io_, co, [this](Result<std::shared_ptr<Connection>> r) {
      if (!r.ok()) {
        log_.Add("connect failed");
        return;
      }
      Connection::Handlers h;
      h.on_response = [this](Pdu pdu, uint64_t context) {
        std::string id;
        if (auto* s = pdu.get<SubmitSmResp>()) id = " " + s->message_id;
        log_.Add("client got " + std::string(pdu.name()) + id + " ctx=" + std::to_string(context));
      };
      h.on_request_failed = [this](const action::RequestFailed& f) {
        log_.Add("client failed " + std::string(FailReasonName(f.reason)));
      };
      h.on_closed = [this](const std::string&) { log_.Add("client closed"); };
      (*r)->Start(std::move(h));
      {
        std::lock_guard lock(log_.mu);
        client_ = *r;
      }
      log_.Add("connected");
    });
    ASSERT_TRUE(log_.WaitFor("connected"));
  }

  void BindAndSubmit() {
    client_->SendRequest(Pdu{.body = BindTransceiver{.system_id = "u", .password = "p"}}, 1);
    ASSERT_TRUE(log_.WaitFor("client got bind_transceiver_resp ctx=1"));
    client_->SendRequest(
        Pdu{.body = SubmitSm{.destination_addr = "48500600700", .short_message = "hi"}}, 2);
    ASSERT_TRUE(log_.WaitFor("client got submit_sm_resp abc ctx=2"));
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  Log log_;
  std::unique_ptr<Listener> listener_;
  std::shared_ptr<Connection> server_conn_;
  std::shared_ptr<Connection> client_;
  std::vector<Pdu> held_;  // the server connection's strand only
};

// accept (docs/adr/0032): on_requests_drained runs after the requests of a read, on the
// strand, and what it answers is written like any other answer.
TEST_F(NetTest, RequestsDrainedRunsAfterTheRequestsAndItsAnswersGoOut) {
  StartServer();
  ConnectClient();
  BindAndSubmit();
  for (uint64_t ctx = 10; ctx < 15; ++ctx) {
    client_->SendRequest(
        Pdu{.body = SubmitSm{.destination_addr = "48500600700", .short_message = "held"}}, ctx);
  }
  for (uint64_t ctx = 10; ctx < 15; ++ctx) {
    EXPECT_TRUE(log_.WaitFor("client got submit_sm_resp held ctx=" + std::to_string(ctx)));
  }
  std::lock_guard lock(log_.mu);
  size_t drained = 0;
  for (const std::string& e : log_.events) {
    if (e.rfind("server drained ", 0) == 0) drained += std::stoul(e.substr(15));
  }
  EXPECT_EQ(drained, 5u);
}

TEST_F(NetTest, PlainBindSubmitUnbind) {
  StartServer();
  ConnectClient();
  EXPECT_EQ(client_->info().remote_port, listener_->port());
  EXPECT_EQ(client_->info().remote_address, "127.0.0.1");
  EXPECT_FALSE(client_->info().tls);
  BindAndSubmit();
  client_->Unbind();
  EXPECT_TRUE(log_.WaitFor("client closed"));
  EXPECT_TRUE(log_.WaitFor("server closed"));
  EXPECT_TRUE(log_.WaitFor("server got bind_transceiver"));
  EXPECT_TRUE(log_.WaitFor("server got submit_sm"));
}

TEST_F(NetTest, TlsBindSubmitUnbind) {
  TestCertificate cert;
  auto server_tls = TlsContext::Server(cert.cert, cert.key);
  ASSERT_TRUE(server_tls.ok()) << server_tls.error().ToString();
  auto client_tls = TlsContext::Client(/*verify_peer=*/false);
  ASSERT_TRUE(client_tls.ok());
  StartServer(*server_tls);
  ConnectClient(*client_tls);
  EXPECT_TRUE(client_->info().tls);
  BindAndSubmit();
  client_->Unbind();
  EXPECT_TRUE(log_.WaitFor("client closed"));
  EXPECT_TRUE(log_.WaitFor("server closed"));
}

TEST_F(NetTest, TlsClientAgainstPlainServerFails) {
  StartServer();
  auto client_tls = TlsContext::Client(false);
  ASSERT_TRUE(client_tls.ok());
  ConnectOptions co;
  co.host = "127.0.0.1";
  co.port = listener_->port();
  co.tls = *client_tls;
  co.connect_timeout = std::chrono::seconds(2);
  Connect(io_, co, [this](Result<std::shared_ptr<Connection>> r) {
    log_.Add(r.ok() ? "connected" : "connect failed");
  });
  EXPECT_TRUE(log_.WaitFor("connect failed"));
}

TEST_F(NetTest, ServerCloseFailsOutstandingRequests) {
  StartServer();
  ConnectClient();
  BindAndSubmit();
  Result<uint32_t> seq = Fail(ErrorCode::kInternal, "not yet");
  client_->SendRequest(Pdu{.body = SubmitSm{.destination_addr = "1", .short_message = "no answer"}},
                       3, [this, &seq](Result<uint32_t> r) {
                         {
                           std::lock_guard lock(log_.mu);
                           seq = r;
                         }
                         log_.Add("sent");
                       });
  ASSERT_TRUE(log_.WaitFor("sent"));
  ASSERT_TRUE(log_.WaitFor("server got submit_sm"));
  {
    std::lock_guard lock(log_.mu);
    EXPECT_TRUE(seq.ok());
  }
  server_conn_->Close("bye");
  EXPECT_TRUE(log_.WaitFor("client failed session closed"));
  EXPECT_TRUE(log_.WaitFor("client closed"));
}

TEST_F(NetTest, SendBeforeBindIsRejectedLocally) {
  StartServer();
  ConnectClient();
  client_->SendRequest(Pdu{.body = SubmitSm{.destination_addr = "1"}}, 0,
                       [this](Result<uint32_t> r) {
                         log_.Add(r.ok() ? "sent" : std::string(ErrorCodeName(r.error().code)));
                       });
  EXPECT_TRUE(log_.WaitFor("Rejected"));
}

// smppcli (docs/adr/0068): a raw SMPP peer on a blocking socket, to see the client's
// writes as they are: Read() is one read_some.
class RawPeerTest : public NetTest {
 protected:
  using tcp = boost::asio::ip::tcp;

  // Connects a client with `session` options to the raw peer and binds it.
  void ConnectAndBind(SessionOptions session = {}) {
    tcp::acceptor acceptor(peer_io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    ConnectOptions co;
    co.host = "127.0.0.1";
    co.port = acceptor.local_endpoint().port();
    co.session = session;
    Connect(io_, co, [this](Result<std::shared_ptr<Connection>> r) {
      ASSERT_TRUE(r.ok());
      Connection::Handlers h;
      h.on_response = [this](Pdu pdu, uint64_t context) {
        log_.Add("client got " + std::string(pdu.name()) + " ctx=" + std::to_string(context));
      };
      h.on_request_failed = [this](const action::RequestFailed& f) {
        log_.Add("client failed " + std::string(FailReasonName(f.reason)) +
                 " ctx=" + std::to_string(f.context));
      };
      h.on_request = [this](Pdu pdu) {
        std::lock_guard lock(log_.mu);
        stashed_.push_back(std::move(pdu));
        log_.events.push_back("stashed " + std::to_string(stashed_.size()));
        log_.cv.notify_all();
      };
      (*r)->Start(std::move(h));
      {
        std::lock_guard lock(log_.mu);
        client_ = *r;
      }
      log_.Add("connected");
    });
    peer_ = acceptor.accept();
    ASSERT_TRUE(log_.WaitFor("connected"));
    client_->Post([this] {
      client_->SendRequest(Pdu{.body = BindTransceiver{.system_id = "u", .password = "p"}}, 1);
    });
    auto bind = Read();
    ASSERT_EQ(bind.size(), 1u);
    Write({MakeResponse(bind[0])});
    ASSERT_TRUE(log_.WaitFor("client got bind_transceiver_resp ctx=1"));
  }

  // One read_some; the PDUs in it (whole frames expected).
  std::vector<Pdu> Read() {
    std::array<char, 65536> buf{};
    size_t n = peer_.read_some(boost::asio::buffer(buf));
    std::vector<Pdu> pdus;
    std::string_view bytes(buf.data(), n);
    while (auto header = PeekHeader(bytes)) {
      if (header->command_length > bytes.size()) break;
      auto pdu = Decode(bytes.substr(0, header->command_length));
      EXPECT_TRUE(pdu.ok());
      if (pdu.ok()) pdus.push_back(std::move(*pdu));
      bytes.remove_prefix(header->command_length);
    }
    EXPECT_TRUE(bytes.empty()) << "a partial frame in one read";
    return pdus;
  }
  void Write(const std::vector<Pdu>& pdus) {
    std::string out;
    for (const Pdu& p : pdus) ASSERT_TRUE(EncodeTo(p, out).ok());
    boost::asio::write(peer_, boost::asio::buffer(out));
  }
  static Pdu Submit(const std::string& text) {
    return Pdu{.body = SubmitSm{.destination_addr = "48500600700", .short_message = text}};
  }

  boost::asio::io_context peer_io_;
  tcp::socket peer_{peer_io_};
  std::vector<Pdu> stashed_;  // requests the client got (log_.mu)
};

// The commands one Post runs go out in one write: on loopback one write of a few hundred
// bytes arrives whole, while the first PDU written alone (as before) usually arrives alone.
TEST_F(RawPeerTest, CommandsOfOnePostGoOutInOneWriteAllAnsweredInOrder) {
  ConnectAndBind();

  // Five submit_sm from one Post: one write, in the order sent, sequence numbers rising.
  client_->Post([this] {
    for (uint64_t ctx = 10; ctx < 15; ++ctx) {
      client_->SendRequest(Submit("m" + std::to_string(ctx)), ctx);
    }
  });
  auto submits = Read();
  ASSERT_EQ(submits.size(), 5u);
  std::vector<Pdu> answers;
  for (size_t i = 0; i < submits.size(); ++i) {
    ASSERT_TRUE(submits[i].is<SubmitSm>());
    EXPECT_EQ(submits[i].get<SubmitSm>()->short_message, "m" + std::to_string(10 + i));
    if (i > 0) {
      EXPECT_EQ(submits[i].sequence_number, submits[i - 1].sequence_number + 1);
    }
    answers.push_back(MakeResponse(submits[i]));
  }
  Write(answers);
  for (uint64_t ctx = 10; ctx < 15; ++ctx) {
    EXPECT_TRUE(log_.WaitFor("client got submit_sm_resp ctx=" + std::to_string(ctx)));
  }

  // Four deliver_sm answered later from one Post: their responses in one write, in order.
  std::vector<Pdu> delivers;
  for (uint32_t seq = 100; seq < 104; ++seq) {
    Pdu d{.body = DeliverSm{.source_addr = "48500600700", .short_message = "x"}};
    d.sequence_number = seq;
    delivers.push_back(std::move(d));
  }
  Write(delivers);
  ASSERT_TRUE(log_.WaitFor("stashed 4"));
  client_->Post([this] {
    std::vector<Pdu> requests;
    {
      std::lock_guard lock(log_.mu);
      requests.swap(stashed_);
    }
    for (const Pdu& r : requests) client_->Respond(MakeResponse(r));
  });
  auto responses = Read();
  ASSERT_EQ(responses.size(), 4u);
  for (size_t i = 0; i < responses.size(); ++i) {
    EXPECT_TRUE(responses[i].is<DeliverSmResp>());
    EXPECT_EQ(responses[i].sequence_number, 100 + i);
    EXPECT_EQ(responses[i].command_status, kEsmeRok);
  }
}

// The session timer is not re-armed when the next deadline moves later: the one armed
// for the first request fires early, finds nothing due, and the second request still
// times out on its own deadline, not before.
TEST_F(RawPeerTest, ARequestTimesOutOnItsOwnDeadlineAfterAnEarlierOneWasAnswered) {
  SessionOptions so;
  so.response_timeout = std::chrono::milliseconds(400);
  ConnectAndBind(so);
  client_->SendRequest(Submit("first"), 20);
  auto first = Read();
  ASSERT_EQ(first.size(), 1u);
  const auto second_sent = std::chrono::steady_clock::now();
  client_->SendRequest(Submit("second"), 21);
  auto second = Read();
  ASSERT_EQ(second.size(), 1u);
  Write({MakeResponse(first[0])});
  ASSERT_TRUE(log_.WaitFor("client got submit_sm_resp ctx=20"));
  ASSERT_TRUE(log_.WaitFor("client failed response timeout ctx=21"));
  EXPECT_GE(std::chrono::steady_clock::now() - second_sent, so.response_timeout);
  std::lock_guard lock(log_.mu);
  EXPECT_EQ(std::count(log_.events.begin(), log_.events.end(), "client failed response timeout ctx=20"),
            0);
}

}  // namespace
}  // namespace bramka::smpp::net
