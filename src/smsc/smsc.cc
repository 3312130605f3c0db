#include <utility>

#include "smsc/smsc.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connectors/smpp/receipt_status.h"
#include "smpp/net/connection.h"
#include "smpp/net/listener.h"
#include "smpp/net/tls.h"
#include "smpp/pdu/short_message.h"
#include "sms/receipt.h"

namespace bramka::smsc {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

Result<void> ParseMisbehaviour(const std::string& mode, Misbehaviour& m) {
  auto eq = mode.find('=');
  std::string key = mode.substr(0, eq);
  int value = 0;
  if (eq != std::string::npos) {
    try {
      value = std::stoi(mode.substr(eq + 1));
    } catch (...) {
      return Fail(ErrorCode::kInvalidArgument, "misbehave " + mode + ": not a number");
    }
    if (value <= 0) return Fail(ErrorCode::kInvalidArgument, "misbehave " + mode + ": must be > 0");
  }
  if (key == "refuse_bind")
    m.refuse_bind = true;
  else if (key == "no_response")
    m.no_response = true;
  else if (key == "generic_nack")
    m.generic_nack = true;
  else if (key == "throttle" && value > 0)
    m.throttle_tps = value;
  else if (key == "unbind_after" && value > 0)
    m.unbind_after = value;
  else if (key == "slow" && value > 0)
    m.slow_ms = value;
  else if (key == "duplicate_receipts")
    m.duplicate_receipts = true;
  else if (key == "out_of_order_receipts")
    m.out_of_order_receipts = true;
  else if (key == "decimal_receipt_ids")
    m.receipt_ids_decimal = true;
  else if (key == "no_receipt_tlvs")
    m.no_receipt_tlvs = true;
  else if (key == "hold_last_part")
    m.hold_last_part = true;
  else if (key == "last_part_fails")
    m.last_part_fails = true;
  else
    return Fail(ErrorCode::kInvalidArgument, "unknown misbehaviour: " + mode);
  return {};
}

namespace {

struct Client {
  std::shared_ptr<smpp::net::Connection> conn;
  std::string system_id;
  bool receives = false;  // bound as trx or rx
  int submits = 0;
  bool unbound_once = false;
  std::deque<SteadyClock::time_point> recent;  // submit times in the last second
  int in_window = 0;  // deliver_sm sent on this bind and not yet answered (under State::mu)
};

}  // namespace

struct SmscSimulator::State : std::enable_shared_from_this<SmscSimulator::State> {
  State(asio::io_context& i, SmscOptions o) : io(i), options(std::move(o)) {}

  void Event(const std::string& json) {
    if (!options.on_event) return;
    std::lock_guard lock(event_mu);
    options.on_event(json);
  }
  // Whether Event lines are wanted: the hot paths format them only then (a quiet
  // simulator under bulk load formatted two JSON strings per message for nobody).
  bool Events() const { return static_cast<bool>(options.on_event); }

  void Accept(std::shared_ptr<smpp::net::Connection> conn) {
    auto client = std::make_shared<Client>();
    client->conn = conn;
    std::weak_ptr<State> weak = shared_from_this();
    smpp::net::Connection::Handlers h;
    h.on_request = [weak, client](smpp::Pdu pdu) {
      if (auto self = weak.lock()) self->OnRequest(client, std::move(pdu));
    };
    // A receipt the ESME did not acknowledge (an error status, a timeout, the link gone)
    // is sent again, as a real SMSC does.
    h.on_response = [weak](smpp::Pdu resp, uint64_t context) {
      if (auto self = weak.lock()) self->Answered(context, resp.command_status);
    };
    h.on_request_failed = [weak](const smpp::action::RequestFailed& failed) {
      if (auto self = weak.lock()) self->Answered(failed.context, smpp::kEsmeRsyserr);
    };
    h.on_closed = [weak, client](const std::string&) {
      if (auto self = weak.lock()) {
        std::lock_guard lock(self->mu);
        self->clients.erase(client);
      }
    };
    {
      std::lock_guard lock(mu);
      if (stopped) {
        conn->Close("stopping");
        return;
      }
      clients.insert(client);
    }
    conn->Start(std::move(h));
  }

  void OnRequest(const std::shared_ptr<Client>& client, smpp::Pdu pdu) {
    auto& conn = *client->conn;
    auto bind = [&](const auto& b, bool receives, const char* mode) {
      bool ok = !options.misbehave.refuse_bind &&
                (options.system_id.empty() ||
                 (b.system_id == options.system_id && b.password == options.password));
      Event(fmt::format(R"({{"event":"bind","system_id":"{}","mode":"{}","ok":{}}})", b.system_id,
                        mode, ok));
      smpp::Pdu resp = smpp::MakeResponse(pdu, ok ? smpp::kEsmeRok : smpp::kEsmeRbindfail);
      std::visit(
          [](auto& body) {
            if constexpr (requires { body.system_id; }) body.system_id = "bramka-smsc";
          },
          resp.body);
      conn.Respond(std::move(resp));
      if (!ok) return;
      client->system_id = b.system_id;
      client->receives = receives;
      if (receives) {
        {
          // hold_last_part: the receipts held for a new bind go with the held ones.
          std::lock_guard lock(mu);
          auto it = held_until_rebind.find(client->system_id);
          if (it != held_until_rebind.end()) {
            auto& to = held[client->system_id];
            to.insert(to.end(), it->second.begin(), it->second.end());
            held_until_rebind.erase(it);
          }
        }
        FlushHeld(client);
      }
    };
    if (const auto* b = pdu.get<smpp::BindTransceiver>()) return bind(*b, true, "transceiver");
    // A receiver + transmitter pair of one system_id (docs/adr/0015): receipts of what the
    // transmitter submitted go to the receiver (DeliverReceipt picks any receiving bind).
    if (const auto* b = pdu.get<smpp::BindReceiver>()) return bind(*b, true, "receiver");
    if (const auto* b = pdu.get<smpp::BindTransmitter>()) return bind(*b, false, "transmitter");
    if (pdu.is<smpp::SubmitSm>()) return OnSubmit(client, std::move(pdu));
    if (smpp::ResponseIdFor(pdu.command_id())) conn.Respond(smpp::MakeResponse(pdu));
  }

  void OnSubmit(const std::shared_ptr<Client>& client, smpp::Pdu pdu) {
    const Misbehaviour& mb = options.misbehave;
    ++submits;
    ++client->submits;
    auto now = SteadyClock::now();
    if (mb.no_response) return;
    if (mb.generic_nack) {
      client->conn->Respond(smpp::MakeGenericNack(pdu.sequence_number, smpp::kEsmeRsyserr));
      return;
    }
    smpp::Pdu resp;
    if (mb.throttle_tps > 0) {
      while (!client->recent.empty() && now - client->recent.front() >= std::chrono::seconds(1)) {
        client->recent.pop_front();
      }
      if (client->recent.size() >= static_cast<size_t>(mb.throttle_tps)) {
        Event(R"({"event":"throttled"})");
        Answer(client, smpp::MakeResponse(pdu, smpp::kEsmeRthrottled));
        return;
      }
      client->recent.push_back(now);
    }
    const auto& sm = *pdu.get<smpp::SubmitSm>();
    uint64_t id = next_id++;
    std::string resp_id = mb.receipt_ids_decimal ? fmt::format("{:X}", id) : fmt::format("{}", id);
    std::string phone = "+" + sm.destination_addr;
    simnet::Fate fate = simnet::DecideFate(options.network, phone, resp_id, 1);
    // parts (docs/adr/0028): which part of a concatenated message this is.
    const auto concat = smpp::ConcatInfoOf(pdu);
    const bool long_message = concat && concat->total >= 2;
    const bool last_part = long_message && concat->sequence == concat->total;
    if (mb.last_part_fails && long_message && !last_part &&
        fate.kind == simnet::Fate::Kind::kUndelivered) {
      fate = simnet::Fate{};  // delivered: only the last part fails
    }
    if (fate.kind == simnet::Fate::Kind::kRejectPermanent) {
      Event(fmt::format(R"({{"event":"reject","dest":"{}"}})", sm.destination_addr));
      Answer(client, smpp::MakeResponse(pdu, smpp::kEsmeRinvdstadr));
    } else if (fate.kind == simnet::Fate::Kind::kRejectTemporary) {
      Answer(client, smpp::MakeResponse(pdu, smpp::kEsmeRmsgqful));
    } else {
      resp = smpp::MakeResponse(pdu);
      resp.get<smpp::SubmitSmResp>()->message_id = resp_id;
      if (Events()) {
        Event(fmt::format(R"({{"event":"submit","id":"{}","dest":"{}","src":"{}"}})", resp_id,
                          sm.destination_addr, sm.source_addr));
      }
      Answer(client, std::move(resp));
      ScheduleReceipt(client->system_id, id, resp_id, sm, fate, mb.hold_last_part && last_part);
    }
    if (mb.unbind_after > 0 && client->submits % mb.unbind_after == 0) {
      Event(R"({"event":"unbind"})");
      client->conn->Unbind();
    }
  }

  void Answer(const std::shared_ptr<Client>& client, smpp::Pdu resp) {
    if (options.misbehave.slow_ms <= 0) {
      client->conn->Respond(std::move(resp));
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(
        io, std::chrono::milliseconds(options.misbehave.slow_ms));
    timer->async_wait(
        [timer, client, resp = std::move(resp)](const boost::system::error_code& ec) mutable {
          if (!ec) client->conn->Respond(std::move(resp));
        });
  }

  void ScheduleReceipt(const std::string& system_id, uint64_t id, const std::string& resp_id,
                       const smpp::SubmitSm& sm, const simnet::Fate& fate, bool hold_until_rebind) {
    const Misbehaviour& mb = options.misbehave;
    bool delivered = fate.kind == simnet::Fate::Kind::kDelivered;
    sms::DeliveryReceipt r;
    r.id = mb.receipt_ids_decimal ? fmt::format("{}", id) : resp_id;
    r.submitted = 1;
    r.delivered = delivered ? 1 : 0;
    r.submit_date = r.done_date = "2601010000";
    bool expired = fate.reason == "message_expired";
    r.stat = delivered ? "DELIVRD" : expired ? "EXPIRED" : "UNDELIV";
    r.err = std::string(smpp_client::ErrCodeForReason(delivered ? "" : fate.reason));
    smpp::Pdu pdu{.body = smpp::DeliverSm{.source_addr_ton = sm.dest_addr_ton,
                                          .source_addr_npi = sm.dest_addr_npi,
                                          .source_addr = sm.destination_addr,
                                          .dest_addr_ton = sm.source_addr_ton,
                                          .dest_addr_npi = sm.source_addr_npi,
                                          .destination_addr = sm.source_addr,
                                          .esm_class = smpp::kEsmClassDeliveryReceipt,
                                          .short_message = sms::FormatReceipt(r)}};
    if (!mb.no_receipt_tlvs) {
      pdu.tlvs.set_receipted_message_id(resp_id);
      pdu.tlvs.set_message_state(delivered ? 2 : expired ? 3 : 5);
    }
    int delay = options.receipt_delay_ms;
    if (mb.out_of_order_receipts) delay = delay * static_cast<int>(3 - id % 3);
    if (delay <= 0 && !hold_until_rebind) {
      // e2e (docs/adr/0043): receipts at once go out now, after the submit_sm_resp this
      // handler queued on the same connection, without an asio timer armed per message.
      int copies = mb.duplicate_receipts ? 2 : 1;
      for (int i = 0; i < copies; ++i) {
        DeliverReceipt(system_id, i + 1 < copies ? smpp::Pdu(pdu) : std::move(pdu), resp_id);
      }
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(delay));
    std::weak_ptr<State> weak = shared_from_this();
    timer->async_wait([weak, timer, system_id, pdu, resp_id,
                       hold_until_rebind](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      if (hold_until_rebind) {  // hold_last_part: sent at the next receiver bind
        std::lock_guard lock(self->mu);
        self->held_until_rebind[system_id].push_back({pdu, resp_id});
        return;
      }
      int copies = self->options.misbehave.duplicate_receipts ? 2 : 1;
      for (int i = 0; i < copies; ++i) self->DeliverReceipt(system_id, pdu, resp_id);
    });
  }

  // Sends to a bound receiver of `system_id`, or holds it until one binds (a real SMSC
  // keeps receipts while the ESME is away).
  void DeliverReceipt(const std::string& system_id, smpp::Pdu pdu, const std::string& id) {
    std::shared_ptr<Client> target;
    {
      std::lock_guard lock(mu);
      for (const auto& c : clients) {
        if (c->receives && c->system_id == system_id) {
          target = c;
          break;
        }
      }
      if (!target) {
        held[system_id].push_back({std::move(pdu), id});
        return;
      }
      // e2e (docs/adr/0043): a full window (as this simulator counts it) waits for an
      // answer (Answered) without a SendRequest that the session would refuse.
      if (target->in_window >= std::max(1, options.window)) {
        window_waiting[system_id].push_back({std::move(pdu), id});
        return;
      }
    }
    Send(target, std::move(pdu), id);
  }

  // The deliver_sm is kept in `outstanding` (sent again if not acknowledged); the session
  // gets a copy.
  void Send(const std::shared_ptr<Client>& client, smpp::Pdu pdu, const std::string& id) {
    std::weak_ptr<State> weak = shared_from_this();
    uint64_t context = 0;
    smpp::Pdu request = pdu;
    {
      std::lock_guard lock(mu);
      context = next_context++;
      ++client->in_window;
      outstanding.emplace(context, Outstanding{client->system_id, std::move(pdu), id, client});
    }
    client->conn->SendRequest(std::move(request), context, [weak, context](Result<uint32_t> r) {
      auto self = weak.lock();
      if (!self) return;
      if (r.ok()) {
        ++self->receipts;
        if (self->Events()) {
          std::string receipt_id;
          {
            std::lock_guard lock(self->mu);
            if (auto it = self->outstanding.find(context); it != self->outstanding.end()) {
              receipt_id = it->second.id;
            }
          }
          self->Event(fmt::format(R"({{"event":"receipt","id":"{}"}})", receipt_id));
        }
        return;
      }
      Outstanding o;
      {
        std::lock_guard lock(self->mu);
        auto it = self->outstanding.find(context);
        if (it == self->outstanding.end()) return;
        o = std::move(it->second);
        self->outstanding.erase(it);
        if (auto c = o.client.lock()) --c->in_window;
        if (r.error().code == ErrorCode::kThrottled) {
          // The window of unanswered deliver_sm is full: wait for an answer to free a
          // slot (Answered) instead of retrying on a timer, which at a few thousand
          // receipts behind the window spun the simulator's CPU (docs/adr/0024).
          self->window_waiting[o.system_id].push_back({std::move(o.pdu), o.id});
          return;
        }
      }
      // The bind went away (a full window waits above): try again shortly, on
      // whichever receiver is bound then, or hold it until one binds.
      self->RetryLater(o.system_id, o.pdu, o.id);
    });
  }

  // The end of a deliver_sm sent with `context`: kept as done on ESME_ROK, else sent again.
  void Answered(uint64_t context, uint32_t status) {
    Outstanding o;
    {
      std::lock_guard lock(mu);
      auto it = outstanding.find(context);
      if (it == outstanding.end()) return;
      o = std::move(it->second);
      outstanding.erase(it);
      if (auto c = o.client.lock()) --c->in_window;
    }
    if (Events()) {
      Event(fmt::format(R"({{"event":"receipt_ack","id":"{}","status":{}}})", o.id, status));
    }
    if (status != smpp::kEsmeRok) RetryLater(o.system_id, o.pdu, o.id);
    // A slot is free: the oldest receipt that found the window full goes next.
    std::optional<std::pair<smpp::Pdu, std::string>> next;
    {
      std::lock_guard lock(mu);
      auto it = window_waiting.find(o.system_id);
      if (it != window_waiting.end() && !it->second.empty()) {
        next = std::move(it->second.front());
        it->second.pop_front();
        if (it->second.empty()) window_waiting.erase(it);
      }
    }
    if (next) DeliverReceipt(o.system_id, std::move(next->first), next->second);
  }

  void RetryLater(const std::string& system_id, const smpp::Pdu& pdu, const std::string& id) {
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(20));
    std::weak_ptr<State> weak = shared_from_this();
    timer->async_wait([weak, timer, system_id, pdu, id](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      self->DeliverReceipt(system_id, pdu, id);
    });
  }

  void FlushHeld(const std::shared_ptr<Client>& client) {
    std::vector<std::pair<smpp::Pdu, std::string>> todo;
    {
      std::lock_guard lock(mu);
      auto it = held.find(client->system_id);
      if (it == held.end()) return;
      todo = std::move(it->second);
      held.erase(it);
    }
    for (auto& [pdu, id] : todo) Send(client, std::move(pdu), id);
  }

  asio::io_context& io;
  const SmscOptions options;
  std::unique_ptr<smpp::net::Listener> listener;
  std::unique_ptr<smpp::net::Listener> tls_listener;
  std::mutex mu;
  std::set<std::shared_ptr<Client>> clients;
  std::map<std::string, std::vector<std::pair<smpp::Pdu, std::string>>> held;
  // hold_last_part: receipts waiting for the next receiver bind of a system_id (under mu).
  std::map<std::string, std::vector<std::pair<smpp::Pdu, std::string>>> held_until_rebind;
  // Receipts refused by a full deliver_sm window, per system_id, sent as answers free
  // slots (under mu).
  std::map<std::string, std::deque<std::pair<smpp::Pdu, std::string>>> window_waiting;
  // deliver_sm sent and not yet answered, by SendRequest context (under mu).
  struct Outstanding {
    std::string system_id;
    smpp::Pdu pdu;
    std::string id;
    std::weak_ptr<Client> client;  // its in_window count
  };
  std::unordered_map<uint64_t, Outstanding> outstanding;
  uint64_t next_context = 1;
  bool stopped = false;
  std::mutex event_mu;
  std::atomic<uint64_t> next_id{1};
  std::atomic<uint64_t> submits{0};
  std::atomic<uint64_t> receipts{0};
};

SmscSimulator::SmscSimulator(asio::io_context& io, SmscOptions options)
    : state_(std::make_shared<State>(io, std::move(options))) {}

SmscSimulator::~SmscSimulator() { Stop(); }

Result<void> SmscSimulator::Start() {
  if (auto r = simnet::ValidateSimnetOptions(state_->options.network); !r.ok()) return r;
  // Ids unique across restarts of the simulator (receipts of a previous run may still be
  // matched by bramka): start from the time in ms.
  state_->next_id = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count()) %
                    1'000'000'000'000ULL * 100;
  smpp::net::ListenerOptions lo;
  lo.bind_address = state_->options.bind_address;
  lo.port = state_->options.port;
  lo.session.window = static_cast<uint32_t>(std::max(1, state_->options.window));
  lo.session.enquire_link_interval = std::chrono::seconds(0);
  std::weak_ptr<State> weak = state_;
  auto on_accept = [weak](std::shared_ptr<smpp::net::Connection> c) {
    if (auto self = weak.lock()) self->Accept(std::move(c));
  };
  auto l = smpp::net::Listener::Start(state_->io, lo, on_accept);
  if (!l.ok()) return l.error();
  state_->listener = std::move(*l);
  if (state_->options.tls_port >= 0) {
    auto tls = smpp::net::TlsContext::Server(state_->options.cert_file, state_->options.key_file);
    if (!tls.ok()) return tls.error();
    lo.port = static_cast<uint16_t>(state_->options.tls_port);
    lo.tls = *tls;
    auto tl = smpp::net::Listener::Start(state_->io, lo, on_accept);
    if (!tl.ok()) return tl.error();
    state_->tls_listener = std::move(*tl);
  }
  return {};
}

void SmscSimulator::Stop() {
  std::set<std::shared_ptr<Client>> clients;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopped) return;
    state_->stopped = true;
    clients = state_->clients;
  }
  if (state_->listener) state_->listener->Stop();
  if (state_->tls_listener) state_->tls_listener->Stop();
  for (const auto& c : clients) c->conn->Close("smsc stopping");
}

uint16_t SmscSimulator::port() const { return state_->listener ? state_->listener->port() : 0; }
int SmscSimulator::tls_port() const {
  return state_->tls_listener ? state_->tls_listener->port() : -1;
}
uint64_t SmscSimulator::submits_received() const { return state_->submits; }
uint64_t SmscSimulator::receipts_sent() const { return state_->receipts; }

}  // namespace bramka::smsc
