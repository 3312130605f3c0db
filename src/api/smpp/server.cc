// SmppServer (server.h): binds, submits, queries and the receipt outbox over smpp/net.

#include "api/smpp/server.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/smpp/mo.h"
#include "api/smpp/status.h"
#include "api/smpp/submit_burst.h"
#include "api/smpp/translate.h"
#include "smpp/net/connection.h"
#include "smpp/net/listener.h"
#include "smpp/pdu/codec.h"
#include "smpp/pdu/command_status.h"
#include "smpp/pdu/short_message.h"

namespace bramka::api::smpp {

namespace asio = boost::asio;
namespace net = bramka::smpp::net;
namespace wire = bramka::smpp;
using SteadyClock = std::chrono::steady_clock;
using wire::CommandId;

namespace {

constexpr std::chrono::milliseconds kSweepInterval{1000};

// One accepted connection.
struct Bind {
  std::shared_ptr<net::Connection> conn;
  Reassembler reassembler;  // the connection's strand only
  // Guarded by SmppServer::Impl::mu_.
  std::shared_ptr<const core::SmppLogin> login;  // set once bound
  bool receiver = false;                         // bound as receiver or transceiver
  std::set<int64_t> outbox_in_flight;            // entry ids sent on this bind
  SubmitBurst submits;  // accept (docs/adr/0032): the connection's strand only
};

struct UserState {
  std::vector<std::shared_ptr<Bind>> binds;
  double tokens = 0;
  SteadyClock::time_point refilled{};
  bool tokens_started = false;
  std::set<int64_t> in_flight;         // outbox entries sent, not answered
  SteadyClock::time_point retry_at{};  // no delivery attempt before this
  bool dirty = true;                   // entries may be waiting
  bool loading = false;                // a Pump is reading the outbox
  size_t next_bind = 0;                // round robin over receivers
  bool pump_queued = false;            // a Pump is posted and not started (ADR 0019)
};

// The answer to one request of a submit (a part of a long message, or the whole).
struct Pending {
  uint32_t sequence_number = 0;
  CommandId command{};
};

std::string FinalDate(int64_t done_ms) {
  if (done_ms == 0) return {};
  const time_t t = static_cast<time_t>(done_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02d000+", tm.tm_year % 100, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace

class SmppServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, core::GatewayService& core, SmppServerOptions options)
      : io_(io), core_(core), options_(std::move(options)), sweep_(asio::make_strand(io)) {}

  Result<void> Start() {
    auto accept = [weak = weak_from_this()](std::shared_ptr<net::Connection> conn) {
      if (auto self = weak.lock()) self->OnAccept(std::move(conn));
    };
    net::ListenerOptions lo;
    lo.bind_address = options_.bind_address;
    lo.session = options_.session;
    lo.session.max_pending_inbound = options_.max_pending_requests;
    if (options_.plain_enabled) {
      lo.port = options_.port;
      BRAMKA_ASSIGN_OR_RETURN(plain_, net::Listener::Start(io_, lo, accept));
    }
    if (options_.tls) {
      lo.port = options_.tls_port;
      lo.tls = options_.tls;
      BRAMKA_ASSIGN_OR_RETURN(tls_, net::Listener::Start(io_, lo, accept));
    }
    ArmSweep();
    return Ok();
  }

  void Stop() {
    std::vector<std::shared_ptr<Bind>> binds;
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      stopped_ = true;
      for (auto& [b, _] : binds_) binds.push_back(b);
    }
    if (plain_) plain_->Stop();
    if (tls_) tls_->Stop();
    asio::post(sweep_.get_executor(), [self = shared_from_this()] { self->sweep_.cancel(); });
    for (auto& b : binds) b->conn->Unbind();
    // Outbox work not started yet is dropped: unacknowledged entries stay in the store
    // and go out after the next start (at least once).
    outbox_.stop();
    outbox_.join();
  }

  uint16_t port() const { return plain_ ? plain_->port() : 0; }
  uint16_t tls_port() const { return tls_ ? tls_->port() : 0; }

  size_t bound_sessions() const {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& [b, _] : binds_) n += b->login != nullptr;
    return n;
  }

  // Called from the dispatcher's receipt thread: mark and hand the outbox read to the
  // outbox thread, so the listener stays quick.
  void Notify(int64_t user_id) {
    {
      std::lock_guard lock(mu_);
      users_[user_id].dirty = true;
    }
    PumpLater(user_id);
  }

 private:
  // ---- connections ----------------------------------------------------------------

  void OnAccept(std::shared_ptr<net::Connection> conn) {
    auto bind = std::make_shared<Bind>();
    bind->conn = conn;
    {
      std::lock_guard lock(mu_);
      if (stopped_) {
        conn->Close("server stopping");
        return;
      }
      binds_[bind] = true;
    }
    std::weak_ptr<Impl> weak = weak_from_this();
    net::Connection::Handlers h;
    h.on_request = [weak, bind](wire::Pdu pdu) {
      if (auto self = weak.lock()) self->OnRequest(bind, std::move(pdu));
    };
    h.on_response = [weak, bind](wire::Pdu pdu, uint64_t entry) {
      if (auto self = weak.lock()) {
        const bool ok = pdu.command_status == wire::kEsmeRok;
        if (ok) self->Answered(bind, static_cast<int64_t>(entry));
        self->OnDeliverDone(bind, static_cast<int64_t>(entry), ok, pdu.command_status);
      }
    };
    h.on_request_failed = [weak, bind](const wire::action::RequestFailed& f) {
      if (auto self = weak.lock()) {
        self->OnDeliverDone(bind, static_cast<int64_t>(f.context), false, wire::kEsmeRsyserr);
      }
    };
    h.on_warning = [id = conn->info().id](const std::string& m) {
      spdlog::debug("smpp server conn {}: {}", id, m);
    };
    h.on_closed = [weak, bind](const std::string& reason) {
      if (auto self = weak.lock()) self->OnClosed(bind, reason);
    };
    h.on_requests_drained = [weak, bind] {
      if (auto self = weak.lock()) bind->submits.Flush(self->core_);
    };
    spdlog::debug("smpp server: connection {} from {}:{}", conn->info().id,
                  conn->info().remote_address, conn->info().remote_port);
    conn->Start(std::move(h));
  }

  // The client acknowledged an entry whose delete is still queued on the outbox thread: it
  // no longer belongs to the bind, so closing the bind does not release it for resending
  // (it stays in the user's in_flight until DeliverDone has deleted it).
  void Answered(const std::shared_ptr<Bind>& bind, int64_t entry_id) {
    std::lock_guard lock(mu_);
    bind->outbox_in_flight.erase(entry_id);
  }

  void OnClosed(const std::shared_ptr<Bind>& bind, const std::string& reason) {
    bind->submits.Flush(core_);  // accepted as if handed over one by one, answers dropped
    int64_t user_id = 0;
    {
      std::lock_guard lock(mu_);
      binds_.erase(bind);
      if (bind->login) {
        user_id = bind->login->user.id;
        UserState& u = users_[user_id];
        std::erase(u.binds, bind);
        for (int64_t e : bind->outbox_in_flight) u.in_flight.erase(e);
        if (!bind->outbox_in_flight.empty()) u.dirty = true;
        bind->outbox_in_flight.clear();
      }
    }
    bind->reassembler.TakeAll();  // the client gets no answer: it resends after its timeout
    spdlog::info("smpp server: connection {} closed ({}){}", bind->conn->info().id, reason,
                 user_id ? " user " + std::to_string(user_id) : "");
    if (user_id) PumpLater(user_id);  // entries it held may go out on another bind
  }

  void OnRequest(const std::shared_ptr<Bind>& bind, wire::Pdu pdu) {
    const CommandId command = pdu.command_id();
    if (command != CommandId::kSubmitSm && command != CommandId::kSubmitMulti &&
        command != CommandId::kDataSm) {
      bind->submits.Flush(core_);  // a query, cancel or replace follows the submits before it
    }
    switch (command) {
      case CommandId::kBindTransmitter:
      case CommandId::kBindReceiver:
      case CommandId::kBindTransceiver:
        return HandleBind(bind, std::move(pdu));
      case CommandId::kSubmitSm:
      case CommandId::kSubmitMulti:
      case CommandId::kDataSm:
        return HandleSubmit(bind, std::move(pdu));
      case CommandId::kQuerySm:
        return HandleQuery(bind, pdu);
      case CommandId::kCancelSm:
        return HandleCancel(bind, pdu);
      case CommandId::kReplaceSm:
        return HandleReplace(bind, pdu);
      default:
        return bind->conn->Respond(wire::MakeResponse(pdu, wire::kEsmeRinvcmdid));
    }
  }

  std::shared_ptr<const core::SmppLogin> LoginOf(const Bind& bind) {
    std::lock_guard lock(mu_);
    return bind.login;
  }

  // ---- bind ---------------------------------------------------------------------------

  void HandleBind(const std::shared_ptr<Bind>& bind, wire::Pdu pdu) {
    std::string system_id, password;
    std::visit(
        [&](const auto& b) {
          if constexpr (requires { b.password; }) {
            system_id = b.system_id;
            password = b.password;
          }
        },
        pdu.body);
    const bool transmitter_only = pdu.is<wire::BindTransmitter>();
    auto fail = [&](uint32_t status, const std::string& why) {
      spdlog::info("smpp server: bind of '{}' from {} refused: {}", system_id,
                   bind->conn->info().remote_address, why);
      bind->conn->Respond(wire::MakeResponse(pdu, status));
      bind->conn->Close("bind refused");
    };
    auto login = core_.AuthenticateSmpp(system_id, password, bind->conn->info().remote_address);
    if (!login.ok()) return fail(CommandStatusFor(login.error()), login.error().message);
    const int64_t user_id = login->user.id;
    {
      std::lock_guard lock(mu_);
      UserState& u = users_[user_id];
      // At the limit the bind stays without a login: refused below, outside the lock.
      if (login->user.max_binds <= 0 || static_cast<int>(u.binds.size()) < login->user.max_binds) {
        bind->login = std::make_shared<const core::SmppLogin>(*login);
        bind->receiver = !transmitter_only;
        u.binds.push_back(bind);
        u.dirty = true;
      }
    }
    if (!LoginOf(*bind)) {
      return fail(CommandStatusFor(core::Failure::kBindLimit),
                  "already " + std::to_string(login->user.max_binds) + " binds");
    }
    wire::Pdu resp = wire::MakeResponse(pdu, wire::kEsmeRok);
    std::visit(
        [&](auto& b) {
          if constexpr (requires { b.system_id; }) b.system_id = options_.system_id;
        },
        resp.body);
    bind->conn->Respond(std::move(resp));
    spdlog::info("smpp server: '{}' bound as {} from {}", system_id, pdu.name(),
                 bind->conn->info().remote_address);
    if (!transmitter_only) PumpLater(user_id);
  }

  // ---- submit -------------------------------------------------------------------------

  // Token bucket per SMPP user: `tps` per second, bursts up to `tps`.
  bool TakeToken(int64_t user_id, int tps) {
    if (tps <= 0) return true;
    std::lock_guard lock(mu_);
    UserState& u = users_[user_id];
    const auto now = SteadyClock::now();
    if (!u.tokens_started) {
      u.tokens_started = true;
      u.tokens = tps;
    } else {
      const double elapsed = std::chrono::duration<double>(now - u.refilled).count();
      u.tokens = std::min<double>(tps, u.tokens + elapsed * tps);
    }
    u.refilled = now;
    if (u.tokens < 1.0) return false;
    u.tokens -= 1.0;
    return true;
  }

  void HandleSubmit(const std::shared_ptr<Bind>& bind, wire::Pdu pdu) {
    const SteadyClock::time_point decoded = SteadyClock::now();  // s6-latency
    auto login = LoginOf(*bind);
    if (!login) return bind->conn->Respond(wire::MakeResponse(pdu, wire::kEsmeRinvbndsts));
    if (!TakeToken(login->user.id, login->user.tps)) {
      return bind->conn->Respond(wire::MakeResponse(pdu, wire::kEsmeRthrottled));
    }
    auto extracted = ExtractMessage(pdu);
    if (auto* r = std::get_if<Refusal>(&extracted)) {
      return bind->conn->Respond(wire::MakeResponse(pdu, r->status));
    }
    WireMessage msg = std::move(std::get<WireMessage>(extracted));
    std::vector<Pending> answer;
    std::string octets;
    if (msg.concat) {
      Reassembler::Part part;
      part.pdu_sequence_number = pdu.sequence_number;
      part.command = pdu.command_id();
      part.message = std::move(msg);
      std::optional<Reassembler::Part> replaced;
      auto group = bind->reassembler.Add(std::move(part), SteadyClock::now(), &replaced);
      if (replaced) {
        bind->conn->Respond(wire::MakeResponse(replaced->command, replaced->pdu_sequence_number,
                                               wire::kEsmeRsubmitfail));
      }
      if (!group) return;  // answered with the last part
      for (auto& p : group->parts) {
        answer.push_back({p.pdu_sequence_number, p.command});
        octets += p.message.user_data;
      }
      msg = std::move(group->parts.front().message);
    } else {
      answer.push_back({pdu.sequence_number, pdu.command_id()});
      octets = msg.user_data;
    }
    Submit(bind, login, std::move(msg), octets, std::move(answer), decoded);
  }

  void Submit(const std::shared_ptr<Bind>& bind,
              const std::shared_ptr<const core::SmppLogin>& login_ptr, WireMessage msg,
              const std::string& octets, std::vector<Pending> answer,
              SteadyClock::time_point decoded) {
    const core::SmppLogin& login = *login_ptr;
    auto refuse = [&](uint32_t status) {
      for (const auto& a : answer) {
        bind->conn->Respond(wire::MakeResponse(a.command, a.sequence_number, status));
      }
    };
    auto text = DecodeText(msg.data_coding, octets);
    if (auto* r = std::get_if<Refusal>(&text)) return refuse(r->status);
    auto request = ToSubmitRequest(msg, std::get<DecodedText>(text), login.user,
                                   std::chrono::system_clock::now());
    if (auto* r = std::get_if<Refusal>(&request)) return refuse(r->status);
    auto conn = bind->conn;
    auto destinations = msg.destinations;
    core::GatewayService::SubmitCallback done =
        [conn, destinations, answer = std::move(answer), decoded,
         answered = stage_answered_](Result<core::SubmitResult> r) {
          for (const auto& a : answer) {
            conn->Respond(SubmitResponse(a.command, a.sequence_number, r, destinations));
          }
          if (answered) answered->Observe(SecondsSince(decoded));
        };
    // accept (docs/adr/0032): queued until the connection has handed over the rest of
    // this read's PDUs (on_requests_drained), then submitted with them in one core call.
    bind->submits.Add(core_, login_ptr, std::move(std::get<core::SubmitRequest>(request)),
                      std::move(done));
    if (stage_to_store_) stage_to_store_->Observe(SecondsSince(decoded));
  }

  // ---- s6-latency (docs/adr/0035) ----
  static double SecondsSince(SteadyClock::time_point t) {
    return std::chrono::duration<double>(SteadyClock::now() - t).count();
  }
  static Histogram* StageHistogram(MetricsRegistry* metrics, const char* stage) {
    if (metrics == nullptr) return nullptr;
    return &metrics->GetHistogram(
        "bramka_smpp_submit_stage_seconds",
        "submit_sm in the SMPP server: to_store (decoded -> queued for the store, in the "
        "bind's burst of ADR 0032), answered (decoded -> answer queued for the connection)",
        std::string("stage=\"") + stage + "\"", FineLatencyBuckets());
  }

  // ---- query / cancel ----------------------------------------------------------------

  void HandleQuery(const std::shared_ptr<Bind>& bind, const wire::Pdu& pdu) {
    auto login = LoginOf(*bind);
    if (!login) return bind->conn->Respond(wire::MakeResponse(pdu, wire::kEsmeRinvbndsts));
    const auto& q = *pdu.get<wire::QuerySm>();
    auto m = core_.ViewMessage(login->caller, q.message_id);
    if (!m.ok()) return bind->conn->Respond(wire::MakeResponse(pdu, CommandStatusFor(m.error())));
    wire::Pdu resp = wire::MakeResponse(pdu, wire::kEsmeRok);
    auto& body = *resp.get<wire::QuerySmResp>();
    body.message_id = m->id;
    body.final_date = FinalDate(m->done_ms);
    body.message_state = MessageStateOf(m->status);
    body.error_code = 0;
    bind->conn->Respond(std::move(resp));
  }

  void HandleCancel(const std::shared_ptr<Bind>& bind, const wire::Pdu& pdu) {
    auto login = LoginOf(*bind);
    if (!login) return bind->conn->Respond(wire::MakeResponse(pdu, wire::kEsmeRinvbndsts));
    const auto& c = *pdu.get<wire::CancelSm>();
    if (c.message_id.empty()) {
      // Cancel by source/destination (§4.9.1) is not offered: name the message.
      return bind->conn->Respond(wire::MakeResponse(pdu, wire::kEsmeRcancelfail));
    }
    auto r = core_.DeleteScheduled(login->caller, {c.message_id}, {});
    uint32_t status = wire::kEsmeRok;
    if (!r.ok()) {
      status = CommandStatusFor(r.error());
    } else if (r->correct == 0) {
      status = wire::kEsmeRcancelfail;  // known, but no longer scheduled
    }
    bind->conn->Respond(wire::MakeResponse(pdu, status));
  }

  // Scheduled messages only (core decides). replace_sm has no data_coding: the new text
  // is read in the stored message's coding (UCS-2, or data_coding 0 with ADR 0004's
  // UTF-8 rule); its registered_delivery and validity_period are ignored.
  void HandleReplace(const std::shared_ptr<Bind>& bind, const wire::Pdu& pdu) {
    auto login = LoginOf(*bind);
    if (!login) return bind->conn->Respond(wire::MakeResponse(pdu, wire::kEsmeRinvbndsts));
    const auto& r = *pdu.get<wire::ReplaceSm>();
    auto answer = [&](uint32_t status) { bind->conn->Respond(wire::MakeResponse(pdu, status)); };
    auto m = core_.ViewMessage(login->caller, r.message_id);
    if (!m.ok()) return answer(CommandStatusFor(m.error()));
    auto text =
        DecodeText(m->unicode ? wire::kDataCodingUcs2 : wire::kDataCodingDefault, r.short_message);
    if (auto* refusal = std::get_if<Refusal>(&text)) return answer(refusal->status);
    std::optional<SystemTime> at;
    if (!r.schedule_delivery_time.empty()) {
      at = ParseSmppTime(r.schedule_delivery_time, std::chrono::system_clock::now());
      if (!at) return answer(wire::kEsmeRinvsched);
    }
    const auto& decoded = std::get<DecodedText>(text);
    auto done =
        core_.ReplaceScheduled(login->caller, r.message_id, decoded.utf8, decoded.unicode, at);
    if (!done.ok()) return answer(CommandStatusFor(done.error()));
    answer(*done ? wire::kEsmeRok : wire::kEsmeRreplacefail);
  }

  // ---- receipt outbox ------------------------------------------------------------------

  // Sends the user's waiting deliver_sm on its receiver binds, as far as their windows
  // allow. Any thread; the outbox read happens outside the lock.
  void Pump(int64_t user_id) {
    for (int round = 0; round < 4; ++round) {
      store::AccountId account = 0;
      int limit = options_.outbox_batch;
      {
        std::lock_guard lock(mu_);
        if (stopped_) return;
        UserState& u = users_[user_id];
        if (u.loading || !u.dirty || SteadyClock::now() < u.retry_at) return;
        auto receiver = std::find_if(u.binds.begin(), u.binds.end(),
                                     [](const auto& b) { return b->receiver && b->login; });
        if (receiver == u.binds.end()) return;  // kept until a receiver binds
        account = (*receiver)->login->user.account_id;
        u.loading = true;
        u.dirty = false;
        // The oldest entries are the ones in flight: list past them.
        limit = options_.outbox_batch + static_cast<int>(u.in_flight.size());
      }
      auto entries = core_.PendingSmppDelivers(user_id, limit);
      std::vector<std::pair<std::shared_ptr<Bind>, store::SmppOutboxEntry>> sends;
      {
        std::lock_guard lock(mu_);
        UserState& u = users_[user_id];
        u.loading = false;
        if (!entries.ok()) {
          spdlog::warn("smpp server: outbox of user {}: {}", user_id, entries.error().ToString());
          u.dirty = true;
          u.retry_at = SteadyClock::now() + options_.redelivery_delay;
          return;
        }
        if (entries->size() >= static_cast<size_t>(limit)) u.dirty = true;
        std::vector<std::shared_ptr<Bind>> receivers;
        for (const auto& b : u.binds) {
          if (b->receiver) receivers.push_back(b);
        }
        const size_t window = std::max<uint32_t>(1, options_.session.window);
        for (auto& e : *entries) {
          if (u.in_flight.count(e.id)) continue;
          std::shared_ptr<Bind> target;
          for (size_t k = 0; k < receivers.size() && !target; ++k) {
            auto& b = receivers[(u.next_bind + k) % receivers.size()];
            if (b->outbox_in_flight.size() < window) target = b;
          }
          if (!target) {
            u.dirty = true;  // windows full: more after the next answer
            break;
          }
          ++u.next_bind;
          u.in_flight.insert(e.id);
          target->outbox_in_flight.insert(e.id);
          sends.emplace_back(std::move(target), std::move(e));
        }
      }
      size_t sent = 0;
      for (auto& [bind, entry] : sends) sent += Build(account, bind, entry);
      std::lock_guard lock(mu_);
      if (!users_[user_id].dirty || sent > 0) return;
    }
  }

  // Entries the store queued carry no PDU yet: built here, on the outbox thread. Returns
  // whether a deliver_sm went out (else the entry was dropped or waits for a retry).
  bool Build(store::AccountId account, const std::shared_ptr<Bind>& bind,
             store::SmppOutboxEntry& entry) {
    auto pdu = OutboxPdu(core_, account, entry);
    if (!pdu.ok() && pdu.error().code != ErrorCode::kNotFound) {
      spdlog::warn("smpp server: outbox entry {}: {}; retry", entry.id, pdu.error().ToString());
      DeliverDone(bind, entry.id, false, wire::kEsmeRsyserr);
      return false;
    }
    if (!pdu.ok() || !*pdu) {
      if (!pdu.ok()) {
        spdlog::warn("smpp server: outbox entry {} reports a record that is gone; dropped",
                     entry.id);
      }
      Drop(bind, entry.id);  // nothing to send
      return false;
    }
    entry.pdu = std::move(**pdu);
    Send(bind, entry);
    return true;
  }

  // Removes an entry that has nothing to send, without pumping again (the caller does).
  void Drop(const std::shared_ptr<Bind>& bind, int64_t entry_id) {
    if (auto acked = core_.AckSmppDeliver(entry_id); !acked.ok()) {
      spdlog::warn("smpp server: outbox entry {} not removed: {}", entry_id,
                   acked.error().ToString());
    }
    std::lock_guard lock(mu_);
    if (!bind->login) return;
    UserState& u = users_[bind->login->user.id];
    u.in_flight.erase(entry_id);
    bind->outbox_in_flight.erase(entry_id);
    u.dirty = true;
  }

  void Send(const std::shared_ptr<Bind>& bind, const store::SmppOutboxEntry& entry) {
    auto decoded = wire::Decode(entry.pdu);
    if (!decoded.ok()) {
      // Written by this server, so only a damaged database gets here: drop it loudly.
      spdlog::error("smpp server: outbox entry {} is not a PDU; dropped", entry.id);
      (void)core_.AckSmppDeliver(entry.id);
      return OnDeliverDone(bind, entry.id, false, wire::kEsmeRsyserr);
    }
    std::weak_ptr<Impl> weak = weak_from_this();
    bind->conn->SendRequest(std::move(*decoded), static_cast<uint64_t>(entry.id),
                            [weak, bind, id = entry.id](Result<uint32_t> sent) {
                              if (sent.ok()) return;
                              if (auto self = weak.lock()) {
                                self->OnDeliverDone(bind, id, false, wire::kEsmeRsyserr);
                              }
                            });
  }

  // The outbox's store calls (reads, deletes that wait for a commit) run on one thread of
  // their own, never on an io_context thread that HTTP and SMPP I/O share.
  void OnOutboxThread(std::function<void()> fn) {
    asio::post(outbox_, [weak = weak_from_this(), fn = std::move(fn)] {
      if (auto self = weak.lock()) fn();
    });
  }
  // One Pump posted per user at a time: a batch of receipts notifies once per message,
  // and every Pump would read the outbox again (docs/adr/0019).
  void PumpLater(int64_t user_id) {
    {
      std::lock_guard lock(mu_);
      UserState& u = users_[user_id];
      if (u.pump_queued) return;
      u.pump_queued = true;
    }
    OnOutboxThread([this, user_id] {
      {
        std::lock_guard lock(mu_);
        users_[user_id].pump_queued = false;
      }
      Pump(user_id);
    });
  }

  // deliver_sm answers (and failures) from the I/O threads. They are settled in batches
  // on the outbox thread: whatever arrived while the last batch was being removed goes
  // into one store write (DeleteSmppOutboxBatch, one commit) instead of one commit per
  // receipt (docs/adr/0019). An entry is taken out of in_flight only after its removal
  // committed, so the pump cannot send it again meanwhile.
  void OnDeliverDone(const std::shared_ptr<Bind>& bind, int64_t entry_id, bool ok,
                     uint32_t status) {
    bool first;
    {
      std::lock_guard lock(answers_mu_);
      first = answers_.empty();
      answers_.push_back(Answer{bind, entry_id, ok, status});
    }
    if (first) OnOutboxThread([this] { SettleAnswers(); });
  }

  void SettleAnswers() {
    std::vector<Answer> answers;
    {
      std::lock_guard lock(answers_mu_);
      answers.swap(answers_);
    }
    std::vector<int64_t> acked;
    for (const Answer& a : answers) {
      if (a.ok) acked.push_back(a.entry_id);
    }
    if (!acked.empty()) {
      if (auto removed = core_.AckSmppDelivers(acked); !removed.ok()) {
        // Still in the outbox: sent again later (at least once), never lost.
        spdlog::warn("smpp server: {} answered outbox entries not removed: {}", acked.size(),
                     removed.error().ToString());
      }
    }
    std::set<int64_t> pump;
    for (const Answer& a : answers) {
      if (int64_t user = Settle(a.bind, a.entry_id, a.ok, a.status); user != 0) pump.insert(user);
    }
    for (int64_t user : pump) Pump(user);
  }

  // A failure found on the outbox thread itself (Build): settled at once.
  void DeliverDone(const std::shared_ptr<Bind>& bind, int64_t entry_id, bool ok, uint32_t status) {
    if (ok) {
      auto acked = core_.AckSmppDeliver(entry_id);
      if (!acked.ok()) {
        spdlog::warn("smpp server: outbox entry {} answered, not removed: {}", entry_id,
                     acked.error().ToString());
      }
    }
    if (int64_t user = Settle(bind, entry_id, ok, status); user != 0) Pump(user);
  }

  // Forgets an answered entry (removed from the store already when ok); returns the
  // user to pump next, or 0.
  int64_t Settle(const std::shared_ptr<Bind>& bind, int64_t entry_id, bool ok, uint32_t status) {
    if (!ok) {
      spdlog::info("smpp server: deliver_sm of outbox entry {} failed (status 0x{:08x}); retry",
                   entry_id, status);
    }
    std::lock_guard lock(mu_);
    if (!bind->login) return 0;
    const int64_t user_id = bind->login->user.id;
    UserState& u = users_[user_id];
    u.in_flight.erase(entry_id);
    bind->outbox_in_flight.erase(entry_id);
    if (!ok) {
      u.dirty = true;
      u.retry_at = SteadyClock::now() + options_.redelivery_delay;
      return 0;
    }
    // Room in a window: look for more now rather than when every deliver_sm is answered
    // (Pump lists past the ones still in flight).
    u.dirty = true;
    return user_id;
  }

  // ---- periodic work -----------------------------------------------------------------

  void ArmSweep() {
    sweep_.expires_after(kSweepInterval);
    sweep_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->Sweep();
    });
  }

  void Sweep() {
    std::vector<int64_t> due;
    std::vector<std::shared_ptr<Bind>> binds;
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      const auto now = SteadyClock::now();
      for (auto& [id, u] : users_) {
        if (u.dirty && !u.loading && now >= u.retry_at && !u.binds.empty()) due.push_back(id);
      }
      for (auto& [b, _] : binds_) binds.push_back(b);
    }
    for (int64_t id : due) PumpLater(id);
    const auto deadline = SteadyClock::now() - options_.reassembly_timeout;
    for (auto& b : binds) {
      b->conn->Post([b, deadline] {
        for (auto& g : b->reassembler.Expire(deadline)) {
          for (auto& p : g.parts) {
            b->conn->Respond(
                wire::MakeResponse(p.command, p.pdu_sequence_number, wire::kEsmeRsubmitfail));
          }
        }
      });
    }
    ArmSweep();
  }

  asio::io_context& io_;
  core::GatewayService& core_;
  const SmppServerOptions options_;
  // s6-latency (docs/adr/0035): null without options_.metrics.
  Histogram* const stage_to_store_ = StageHistogram(options_.metrics, "to_store");
  Histogram* const stage_answered_ = StageHistogram(options_.metrics, "answered");
  std::unique_ptr<net::Listener> plain_;
  std::unique_ptr<net::Listener> tls_;
  asio::steady_timer sweep_;
  asio::thread_pool outbox_{1};

  struct Answer {
    std::shared_ptr<Bind> bind;
    int64_t entry_id;
    bool ok;
    uint32_t status;
  };
  std::mutex answers_mu_;
  std::vector<Answer> answers_;  // waiting for SettleAnswers

  mutable std::mutex mu_;
  bool stopped_ = false;
  std::map<std::shared_ptr<Bind>, bool> binds_;
  std::map<int64_t, UserState> users_;
};

SmppServer::SmppServer(asio::io_context& io, core::GatewayService& core, SmppServerOptions options)
    : impl_(std::make_shared<Impl>(io, core, std::move(options))) {}
SmppServer::~SmppServer() { impl_->Stop(); }
Result<void> SmppServer::Start() { return impl_->Start(); }
void SmppServer::Stop() { impl_->Stop(); }
uint16_t SmppServer::port() const { return impl_->port(); }
uint16_t SmppServer::tls_port() const { return impl_->tls_port(); }
void SmppServer::NotifyOutbox(int64_t smpp_user_id) { impl_->Notify(smpp_user_id); }
size_t SmppServer::bound_sessions() const { return impl_->bound_sessions(); }

Result<std::optional<std::string>> OutboxPdu(core::GatewayService& core, store::AccountId account,
                                             const store::SmppOutboxEntry& entry) {
  if (!entry.pdu.empty()) return std::optional<std::string>(entry.pdu);
  BRAMKA_ASSIGN_OR_RETURN(auto subject, core.SmppOutboxSubjectOf(account, entry));
  std::optional<wire::Pdu> pdu;
  if (subject.message) pdu = MakeReceipt(*subject.message);
  if (subject.incoming) pdu = MakeMoDeliver(*subject.incoming);
  if (!pdu) return std::optional<std::string>();
  BRAMKA_ASSIGN_OR_RETURN(std::string bytes, wire::Encode(*pdu));
  return std::optional<std::string>(std::move(bytes));
}

}  // namespace bramka::api::smpp
