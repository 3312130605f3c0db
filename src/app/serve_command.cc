// `bramka serve --config FILE`: every listener and the delivery pipeline, in
// the foreground, until SIGTERM/SIGINT; then drain and exit 0.
#include <pthread.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/http/server.h"
#include "api/smpp/mo.h"
#include "api/smpp/server.h"
#include "api/soap/soap_handler.h"
#include "app/cluster_wiring.h"  // cluster (docs/adr/0023)
#include "app/commands.h"
#include "app/config_watcher.h"
#include "app/connectors_wiring.h"
#include "app/live_connectors.h"
#include "app/observability.h"
#include "app/panel_wiring.h"  // web panel
#include "app/runtime.h"
#include "common/fd_limit.h"
#include "common/log.h"
#include "common/metrics.h"
#include "connectors/simnet/hlr.h"
#include "connectors/simnet/simnet.h"
#include "delivery/dispatcher.h"
#include "delivery/inbound.h"
#include "ingest/ftp/poller.h"
#include "ingest/sql/poller.h"
#include "notify/sender.h"
#include "smpp/net/tls.h"
#include "store/completion_home.h"

namespace bramka::app {
namespace {

namespace asio = boost::asio;

// hops (docs/adr/0067): the HTTP/SMPP I/O threads' io_context as the CompletionHome of the
// store writes they submit (accepts: their completions post the answers to the connections'
// strands). The SQLite syncer then posts one task per fdatasync round here instead of waking
// the store's completion thread, which woke an I/O thread per answer.
class IoCompletionHome final : public store::CompletionHome {
 public:
  explicit IoCompletionHome(asio::io_context& io) : io_(io) {}
  void Post(std::function<void()> task) override { asio::post(io_, std::move(task)); }

 private:
  asio::io_context& io_;
};

simnet::SimnetOptions SimnetOptionsFrom(const config::SimnetConfig& c) {
  simnet::SimnetOptions o;
  o.submit_delay_ms = c.submit_delay_ms;
  o.receipt_delay_ms = c.receipt_delay_ms;
  o.seed = c.seed;
  o.auto_reply_prefix = c.auto_reply_prefix;  // inbound (docs/adr/0011)
  o.auto_reply_delay_ms = c.auto_reply_delay_ms;
  if (!c.failures.empty()) o.rules.clear();  // configured rules replace the test numbers
  for (const auto& f : c.failures) {
    simnet::FailureRule rule;
    rule.prefix = f.prefix;
    rule.rate = f.rate;
    rule.effect = f.effect == "reject"      ? simnet::FailureRule::Effect::kRejectPermanent
                  : f.effect == "temporary" ? simnet::FailureRule::Effect::kRejectTemporary
                                            : simnet::FailureRule::Effect::kUndelivered;
    rule.reason = f.reason;
    o.rules.push_back(rule);
  }
  return o;
}

// Tests and scripts learn the ports (configured as 0 = any free port) here.
void WriteListeners(const config::Config& c, const api::http::HttpServer& http,
                    const api::smpp::SmppServer& smpp) {
  std::filesystem::path p = std::filesystem::path(c.Resolve(c.data_dir)) / "listeners.json";
  std::ofstream(p.string() + ".tmp") << fmt::format(
      "{{\"http\":{},\"https\":{},\"smpp\":{},\"smpp_tls\":{},\"pid\":{},\"node\":{}}}\n",
      http.http_port(), http.https_port(), smpp.port(), smpp.tls_port(), ::getpid(),
      nlohmann::json(c.server.node_id).dump());
  std::filesystem::rename(p.string() + ".tmp", p);
}

}  // namespace

int RunServe(const std::string& config_path) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  Runtime& rt = **rt_or;
  const config::Config& cfg = rt.config;
  InitLogging(cfg.server.log_format, cfg.server.log_level);
  // One descriptor per SMPP bind and HTTP connection: lift the soft limit (often 1,024)
  // to the hard one.
  if (auto fds = RaiseFdLimit(); fds.ok()) {
    spdlog::info("open files limit {} (hard {})", fds->soft, fds->hard);
  } else {
    spdlog::warn("open files limit not raised: {}", fds.error().message);
  }
  MetricsRegistry metrics;
  metrics.AddCallbackGauge("bramka_messages", "Stored messages by status.", [&rt] {
    std::vector<std::pair<std::string, double>> out;
    if (auto counts = rt.store->CountByStatus(); counts.ok()) {
      for (const auto& [status, n] : *counts) {
        out.emplace_back(fmt::format("status=\"{}\"", store::MessageStatusName(status)),
                         static_cast<double>(n));
      }
    }
    return out;
  });
  RegisterObservability(metrics, *rt.gateway, *rt.store);  // operator (docs/adr/0018)
  // accounts area: failed-login throttling (docs/adr/0008).
  core::LoginThrottle& throttle = rt.gateway->login_throttle();
  metrics.AddCallbackGauge("bramka_api_login_failures",
                           "Failed API logins (wrong password or token) since start.", [&throttle] {
                             return std::vector<std::pair<std::string, double>>{
                                 {"", static_cast<double>(throttle.failures_total())}};
                           });
  metrics.AddCallbackGauge("bramka_api_logins_throttled",
                           "API logins refused unchecked (1012) since start.", [&throttle] {
                             return std::vector<std::pair<std::string, double>>{
                                 {"", static_cast<double>(throttle.refused_total())}};
                           });
  metrics.AddCallbackGauge("bramka_api_login_blocked",
                           "Remote addresses and usernames blocked now.", [&rt, &throttle] {
                             return std::vector<std::pair<std::string, double>>{
                                 {"", static_cast<double>(throttle.BlockedKeys(rt.clock.Now()))}};
                           });

  // Ways out.
  std::map<std::string, delivery::Connector*> connectors;
  std::unique_ptr<simnet::SimnetConnector> simnet;
  std::unique_ptr<simnet::SimnetHlr> simnet_hlr;
  if (cfg.simnet.enabled) {
    simnet::SimnetOptions options = SimnetOptionsFrom(cfg.simnet);
    // Delivered voice messages become <data_dir>/simnet/voice/<id>.wav (simnet/voice.h).
    options.voice_dir =
        (std::filesystem::path(cfg.Resolve(cfg.data_dir)) / "simnet" / "voice").string();
    if (auto r = simnet::ValidateSimnetOptions(options); !r.ok()) return Die(r.error());
    simnet = std::make_unique<simnet::SimnetConnector>(*rt.store, rt.clock, options);
    connectors[simnet->name()] = simnet.get();
    // simnet also answers phones/check and phones/lookup (delivery/hlr.h).
    simnet_hlr = std::make_unique<simnet::SimnetHlr>(options);
    rt.gateway->SetHlrProvider(simnet_hlr.get());
  }
  // [[connector]] and [[route]] tables (connectors_wiring.h, live_connectors.h). Both are
  // applied again when the file changes (config_watcher.h, docs/adr/0015). Declared before
  // the dispatcher, which borrows the connectors: destroyed after it.
  std::set<std::string> builtin;
  if (simnet) builtin.insert(simnet->name());
  // cluster (docs/adr/0023): outlives the connectors, which register with it.
  auto cluster = MakeClusterAgent(rt, metrics);
  if (!cluster.ok()) return Die(cluster.error());
  LiveConnectors live(rt.clock, metrics, builtin,
                      ClusterConnectorFactory(cluster->get(), rt.clock, metrics));
  if (auto r = live.Build(cfg); !r.ok()) return Die(r.error());
  for (const auto& [name, c] : live.connectors()) connectors[name] = c;
  auto routing_options = RoutingOptionsFrom(cfg, cfg.simnet.enabled);
  if (!routing_options.ok()) return Die(routing_options.error());
  auto routing = delivery::RoutingTable::Create(std::move(*routing_options));
  if (!routing.ok()) return Die(routing.error());
  std::set<std::string> names;
  for (const auto& [name, c] : connectors) names.insert(name);
  if (auto r = routing->CheckConnectors(names); !r.ok()) return Die(r.error());
  delivery::DispatcherOptions dopts;
  dopts.node_id = cfg.server.node_id;
  dopts.batch_size = cfg.delivery.batch_size;
  dopts.poll_interval_ms = cfg.delivery.poll_interval_ms;
  dopts.lease_ms = cfg.delivery.lease_ms;
  // Declared before the dispatcher, whose listener wakes it: destroyed after it.
  std::unique_ptr<notify::CallbackSender> callbacks;
  delivery::Dispatcher dispatcher(*rt.store, rt.clock, std::move(*routing), connectors, dopts,
                                  metrics);
  dispatcher.SetReceiptAliases(live.ReceiptAliases());
  rt.gateway->SetAcceptedHook([&dispatcher] { dispatcher.Wake(); });
  // SMPP receipts (api/smpp): the store queued the deliver_sm with the final status;
  // wake the SMPP server (set below, once it listens).
  std::atomic<api::smpp::SmppServer*> smpp_server{nullptr};
  dispatcher.AddReceiptListener([&smpp_server](const store::Message& m) {
    if (m.smpp_user_id == 0 || m.smpp_registered_delivery == 0) return;
    if (auto* s = smpp_server.load()) s->NotifyOutbox(m.smpp_user_id);
  });
  // Callbacks (src/notify): the store queues them with each final status (ADR 0007);
  // the listener only wakes the sender early, when the receipt queued one (ADR 0058).
  if (cfg.notify.enabled) {
    notify::NotifyOptions nopts;
    nopts.node_id = cfg.server.node_id;
    nopts.max_concurrency = cfg.notify.max_concurrency;
    nopts.connect_timeout_ms = cfg.notify.connect_timeout_ms;
    nopts.timeout_ms = cfg.notify.timeout_ms;
    nopts.poll_interval_ms = cfg.notify.poll_interval_ms;
    nopts.verify_tls = cfg.notify.verify_tls;
    nopts.allow_private_urls = cfg.notify.allow_private_urls;  // SSRF (ADR 0025)
    nopts.retry.initial_backoff_ms = cfg.notify.initial_backoff_ms;
    nopts.retry.max_backoff_ms = cfg.notify.max_backoff_ms;
    nopts.retry.max_age_ms = cfg.notify.max_age_s * 1000;
    callbacks = std::make_unique<notify::CallbackSender>(*rt.store, rt.clock, nopts, metrics);
    if (auto r = callbacks->Start(); !r.ok()) return Die(r.error());
    rt.gateway->SetCallbackQueuedHook([s = callbacks.get()] { s->Wake(); });
    // notifywake (docs/adr/0058): only receipts that queued a callback wake it.
    dispatcher.AddReceiptListener(
        [s = callbacks.get()](const store::Message& m) { s->OnReceipt(m); });
  }
  // ---- inbound (docs/adr/0011): connectors' incoming messages go to the router, which
  // stores them with their MO callback, SMPP deliver_sm and SQL API rows in one
  // transaction; the listener only wakes their senders.
  delivery::InboundOptions iopts;
  iopts.reply_window_ms = cfg.inbound.reply_window_s * 1000;
  iopts.reassembly_timeout_ms = cfg.inbound.reassembly_timeout_s * 1000;
  delivery::InboundRouter inbound(*rt.store, rt.clock, iopts);
  inbound.AddListener([&rt, &smpp_server, cb = callbacks.get()](const store::InboxMessage& m) {
    if (m.account_id == 0) return;  // the operator inbox
    if (auto* s = smpp_server.load()) {
      auto users = rt.gateway->SmppUserIdsOf(m.account_id);
      if (!users.ok()) {
        spdlog::warn("SMPP MO for incoming {}: {}", m.id, users.error().ToString());
      } else {
        for (int64_t u : *users) s->NotifyOutbox(u);
      }
    }
    if (cb) cb->Wake();
    rt.gateway->WakeSqlSources();  // their MO tables (ADR 0013)
  });
  dispatcher.SetInboundSink(
      [&inbound](delivery::IncomingSms sms) { return inbound.Handle(std::move(sms)); });
  // SQL API sources (src/ingest/sql, docs/adr/0013): one poller thread per source.
  auto sql_box = ingest::sql::SecretBox::OpenOrCreate(
      (std::filesystem::path(cfg.Resolve(cfg.data_dir)) / "secret.key").string());
  if (!sql_box.ok()) return Die(sql_box.error());
  // In a cluster, one node at a time polls the FTP and SQL API sources: the one holding
  // the role "ingest" (docs/adr/0023).
  std::function<bool()> ingest_active;
  if (ClusterAgent* agent = cluster->get()) {
    agent->AddRole("ingest");
    ingest_active = [agent] { return agent->HoldsRole("ingest"); };
  }
  ingest::sql::SqlIngestOptions sql_options;
  sql_options.active = ingest_active;
  auto sql_ingest = std::make_unique<ingest::sql::SqlIngest>(*rt.gateway, *rt.store,
                                                             std::move(*sql_box), sql_options);
  sql_ingest->Start();
  rt.gateway->SetSqlQueuedHook([s = sql_ingest.get()] { s->Wake(); });
  dispatcher.AddReceiptListener([s = sql_ingest.get()](const store::Message& m) {
    if (m.source == "sql") s->Wake();
  });
  metrics.AddCallbackGauge(
      "bramka_sql_source_up", "1 when the SQL source's database answered the last poll.",
      [s = sql_ingest.get()] {
        std::vector<std::pair<std::string, double>> out;
        for (const auto& st : s->Status()) {
          out.emplace_back(fmt::format("source=\"{}\",account_id=\"{}\",engine=\"{}\"", st.id,
                                       st.account_id, st.engine),
                           st.up ? 1.0 : 0.0);
        }
        return out;
      });
  metrics.AddCallbackGauge("bramka_sql_source_failures",
                           "Consecutive failed polls of the SQL source.", [s = sql_ingest.get()] {
                             std::vector<std::pair<std::string, double>> out;
                             for (const auto& st : s->Status()) {
                               out.emplace_back(fmt::format("source=\"{}\"", st.id), st.failures);
                             }
                             return out;
                           });
  metrics.AddCallbackGauge(
      "bramka_sql_rows", "SQL rows handled since start, by outcome.", [s = sql_ingest.get()] {
        std::vector<std::pair<std::string, double>> out;
        for (const auto& st : s->Status()) {
          out.emplace_back(fmt::format("source=\"{}\",outcome=\"submitted\"", st.id),
                           static_cast<double>(st.rows_submitted));
          out.emplace_back(fmt::format("source=\"{}\",outcome=\"invalid\"", st.id),
                           static_cast<double>(st.rows_invalid));
          out.emplace_back(fmt::format("source=\"{}\",outcome=\"report_written\"", st.id),
                           static_cast<double>(st.reports_written));
          out.emplace_back(fmt::format("source=\"{}\",outcome=\"mo_inserted\"", st.id),
                           static_cast<double>(st.mo_inserted));
        }
        return out;
      });
  if (auto r = StartCluster(cluster->get(), rt, dispatcher, smpp_server); !r.ok()) {
    return Die(r.error());
  }
  if (auto r = dispatcher.Start(); !r.ok()) return Die(r.error());
  // SMS via FTP (src/ingest/ftp, ADR 0012): a pool of workers polls the customers' folders.
  ingest::ftp::RegisterFtpMetrics(metrics, *rt.store);
  std::unique_ptr<ingest::ftp::FtpPoller> ftp_poller;
  if (cfg.ftp.enabled) {
    auto box = ingest::ftp::SecretBox::FromKeyFile(
        ingest::ftp::SecretKeyPath(cfg.Resolve(cfg.data_dir)), true);
    if (!box.ok()) {
      dispatcher.Stop();
      return Die(box.error());
    }
    ingest::ftp::PollerOptions fopts;
    fopts.tick_ms = cfg.ftp.tick_ms;
    fopts.connect_timeout_s = cfg.ftp.connect_timeout_s;
    fopts.stall_timeout_s = cfg.ftp.stall_timeout_s;
    fopts.active = ingest_active;
    fopts.processor.batch_size = static_cast<size_t>(cfg.ftp.batch_size);
    fopts.processor.max_file_bytes = static_cast<size_t>(cfg.ftp.max_file_bytes);
    fopts.processor.max_files = static_cast<size_t>(cfg.ftp.max_files);
    ftp_poller = std::make_unique<ingest::ftp::FtpPoller>(*rt.store, *rt.gateway, rt.clock,
                                                          std::move(*box), fopts);
    ftp_poller->Start();
  }

  // Ways in.
  asio::io_context io(cfg.server.threads);
  ConfigWatcher config_watcher(cfg, live, dispatcher, metrics);
  config_watcher.Start();
  api::http::HttpOptions hopts;
  hopts.bind_address = cfg.http.bind;
  hopts.http_port = static_cast<uint16_t>(cfg.http.port);
  hopts.https_enabled = cfg.http.https;
  hopts.https_port = static_cast<uint16_t>(cfg.http.https_port);
  hopts.cert_file = cfg.Resolve(cfg.http.cert_file);
  hopts.key_file = cfg.Resolve(cfg.http.key_file);
  hopts.max_body_bytes = static_cast<size_t>(cfg.http.max_body_bytes);
  hopts.idle_timeout_s = cfg.http.idle_timeout_s;  // reliability area
  hopts.billing.seller = {cfg.billing.seller_name, cfg.billing.seller_address,
                          cfg.billing.seller_tax_id};
  hopts.billing.bank_account = cfg.billing.bank_account;
  hopts.billing.place = cfg.billing.place;
  api::http::HttpServer http(io, hopts, *rt.gateway, metrics);
  // SOAP (api/soap, docs/adr/0016): the same actions as SOAP 1.1 operations at /soap,
  // and at the provider's own path (soap.serwersms.pl/server.php) for clients that
  // change only the host.
  auto soap = std::make_shared<api::soap::SoapHandler>(*rt.gateway, hopts.language, hopts.billing);
  http.Mount("/soap", soap);
  http.Mount("/server.php", soap);
  // ---- web panel at /panel (docs/adr/0017) ----
  MountPanel(rt, http, hopts, names, metrics);
  if (auto r = http.Start(); !r.ok()) {
    dispatcher.Stop();
    return Die(r.error());
  }
  // SMPP server (api/smpp); its TLS port uses the HTTPS certificate.
  api::smpp::SmppServerOptions sopts;
  sopts.bind_address = cfg.smpp.bind;
  sopts.port = static_cast<uint16_t>(cfg.smpp.port);
  sopts.tls_port = static_cast<uint16_t>(cfg.smpp.tls_port);
  // reliability area: slow/idle clients and unanswered-request limits.
  sopts.session.session_init_timeout = std::chrono::seconds(cfg.smpp.session_init_timeout_s);
  sopts.max_pending_requests = static_cast<uint32_t>(cfg.smpp.max_pending_requests);
  sopts.metrics = &metrics;  // s6-latency: submit stages (docs/adr/0035)
  if (auto tls = smpp::net::TlsContext::Server(hopts.cert_file, hopts.key_file); tls.ok()) {
    sopts.tls = *tls;
  } else {
    spdlog::warn("SMPP over TLS disabled: {}", tls.error().message);
  }
  api::smpp::SmppServer smpp(io, *rt.gateway, sopts);
  if (auto r = smpp.Start(); !r.ok()) {
    http.Stop();
    dispatcher.Stop();
    return Die(r.error());
  }
  smpp_server.store(&smpp);
  metrics.AddCallbackGauge("bramka_smpp_server_binds", "Open binds on the SMPP server.",
                           [&smpp_server] {
                             auto* s = smpp_server.load();
                             const double n = s ? static_cast<double>(s->bound_sessions()) : 0;
                             return std::vector<std::pair<std::string, double>>{{"", n}};
                           });
  WriteListeners(cfg, http, smpp);
  if (*cluster) (*cluster)->SetInfo(fmt::format("http={} smpp={}", http.http_port(), smpp.port()));
  spdlog::info("bramka SMPP: {}:{} (TLS {})", cfg.smpp.bind, smpp.port(), smpp.tls_port());
  spdlog::info("bramka serving: http://{}:{}/ https://{}:{}/ (config {})", cfg.http.bind,
               http.http_port(), cfg.http.bind, http.https_port(), cfg.path);

  // SIGTERM/SIGINT: refuse new work, finish what is in flight, stop.
  // io.run() returns by itself once the listeners and connections are gone;
  // a watchdog bounds the wait for slow clients.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::mutex drain_mu;
  std::condition_variable drain_cv;
  bool drained = false;
  std::thread watchdog;
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: draining", sig);
    http.SetReady(false);
    http.Stop();
    smpp.Stop();
    config_watcher.Stop();
    watchdog = std::thread([&] {
      std::unique_lock lock(drain_mu);
      if (!drain_cv.wait_for(lock, std::chrono::seconds(10), [&] { return drained; })) {
        spdlog::warn("drain took longer than 10 s; closing the remaining connections");
        io.stop();
      }
    });
  });
  http.SetReady(true);

  // Declared before the store is closed below (it must outlive the writer's last hand-off).
  IoCompletionHome io_home(io);
  std::vector<std::thread> threads;
  for (int i = 1; i < cfg.server.threads; ++i) {
    threads.emplace_back([&io, &io_home] {
      (void)pthread_setname_np(pthread_self(), "bramka-io");
      store::CompletionHome::Scope home(&io_home);
      io.run();
    });
  }
  {
    store::CompletionHome::Scope home(&io_home);
    io.run();
  }
  for (auto& t : threads) t.join();
  {
    std::lock_guard lock(drain_mu);
    drained = true;
  }
  drain_cv.notify_all();
  if (watchdog.joinable()) watchdog.join();

  if (ftp_poller) ftp_poller->Stop();  // before the dispatcher: it may still submit
  config_watcher.Join();               // it may be adding or removing connectors
  dispatcher.Stop();
  if (*cluster) (*cluster)->Stop();  // after the dispatcher: its connectors are drained
  if (callbacks) callbacks->Stop();
  sql_ingest->Stop();
  // Close the store while the io_context still exists: a commit it completes
  // now may post an answer to a connection's strand.
  rt.gateway.reset();
  rt.store.reset();
  spdlog::info("bramka stopped");
  return 0;
}

}  // namespace bramka::app
