#include "notify/sender.h"

#include <curl/curl.h>

#include <mutex>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/log.h"
#include "common/time_format.h"
#include "core/curl_guard.h"
#include "notify/template.h"

namespace bramka::notify {
namespace {

// Bodies longer than this are read and dropped: "OK" is all we look for.
constexpr size_t kMaxBody = 1024;
// A claimed entry stays ours this much longer than the request may take.
constexpr int64_t kLeaseMarginMs = 30'000;

size_t CollectBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * nmemb;
  if (body->size() < kMaxBody) body->append(data, std::min(n, kMaxBody - body->size()));
  return n;
}

std::string_view KindLabel(store::CallbackKind k) {
  return k == store::CallbackKind::kMo ? "kind=\"mo\"" : "kind=\"dlr\"";
}

}  // namespace

// The thread's state: the multi handle and the requests in flight.
class CallbackSender::Loop {
 public:
  Loop(store::Store& store, Clock& clock, const NotifyOptions& options, MetricsRegistry& metrics)
      : store_(store),
        clock_(clock),
        options_(options),
        rng_(options.seed != 0 ? options.seed : std::random_device{}()),
        sent_dlr_(metrics.GetCounter("bramka_callbacks_sent_total",
                                     "Callbacks acknowledged by the receiver.", "kind=\"dlr\"")),
        sent_mo_(metrics.GetCounter("bramka_callbacks_sent_total",
                                    "Callbacks acknowledged by the receiver.", "kind=\"mo\"")),
        retries_(metrics.GetCounter("bramka_callbacks_retries_total",
                                    "Callback calls not acknowledged, to be retried.")),
        failed_(metrics.GetCounter("bramka_callbacks_failed_total",
                                   "Callbacks given up (too old, or not an http(s) URL).")),
        claims_(metrics.GetCounter(
            "bramka_callbacks_claims_total",
            "Looks for due callbacks in the store (Store::ClaimCallbacks, each a store write).")),
        in_flight_gauge_(
            metrics.GetGauge("bramka_callbacks_in_flight", "Callback requests in flight.")) {}

  ~Loop() {
    for (auto& [easy, req] : requests_) {
      curl_multi_remove_handle(multi_, easy);
      curl_easy_cleanup(easy);
    }
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
  }

  Result<void> Init() {
    multi_ = curl_multi_init();
    if (multi_ == nullptr) return Fail(ErrorCode::kInternal, "curl_multi_init failed");
    return Ok();
  }

  void Wake() {
    bool already = false;
    {
      std::lock_guard lock(mu_);
      already = woken_;
      woken_ = true;
    }
    // s6-delivery: the dispatcher woke this for every receipt (now only for those that
    // queued a callback, OnReceipt; docs/adr/0058). While a wake-up is
    // pending (woken_ not yet taken by Run), the loop has not passed its next swap, so
    // the claim after that swap sees whatever this caller committed: one wake-up
    // (a send() on curl's socketpair) is enough.
    if (!already && multi_ != nullptr) curl_multi_wakeup(multi_);
  }

  void Stop() {
    stopping_.store(true);
    Wake();
  }

  void Run() {
    int64_t next_claim_ms = 0;
    while (!stopping_.load()) {
      bool woken = false;
      {
        std::lock_guard lock(mu_);
        std::swap(woken, woken_);
      }
      const int64_t now = ToUnixMillis(clock_.Now());
      const int free_slots = options_.max_concurrency - static_cast<int>(requests_.size());
      if (free_slots > 0 && (woken || now >= next_claim_ms)) {
        // A full batch means more may be due: claim again at the next turn.
        const int claimed = Claim(now, free_slots);
        next_claim_ms = claimed == free_slots ? now : now + options_.poll_interval_ms;
      }
      int running = 0;
      curl_multi_perform(multi_, &running);
      Collect();
      in_flight_gauge_.Set(static_cast<int64_t>(requests_.size()));
      if (stopping_.load()) break;
      const int64_t after = ToUnixMillis(clock_.Now());
      int wait_ms = options_.poll_interval_ms;
      if (static_cast<int>(requests_.size()) < options_.max_concurrency) {
        wait_ms = static_cast<int>(
            std::clamp<int64_t>(next_claim_ms - after, 0, options_.poll_interval_ms));
      }
      curl_multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
    }
  }

 private:
  struct Request {
    store::CallbackEntry entry;
    std::string url;
    std::string body;
    char error[CURL_ERROR_SIZE] = {0};
    core::CurlSocketGuard guard;  // SSRF (ADR 0025): the resolved address must be public
  };

  int Claim(int64_t now, int limit) {
    const int64_t lease_until =
        now + options_.connect_timeout_ms + options_.timeout_ms + kLeaseMarginMs;
    claims_.Inc();
    auto claimed = store_.ClaimCallbacks(now, limit, options_.node_id, lease_until);
    if (!claimed.ok()) {
      spdlog::warn("callbacks: claiming due entries failed: {}", claimed.error().ToString());
      return 0;
    }
    for (store::CallbackEntry& e : *claimed) Begin(std::move(e));
    return static_cast<int>(claimed->size());
  }

  void Begin(store::CallbackEntry entry) {
    auto req = std::make_unique<Request>();
    req->url = ExpandCallbackUrl(entry, FormatApiTimeMs(entry.event_ms));
    req->entry = std::move(entry);
    CURL* easy = curl_easy_init();
    if (easy == nullptr) {
      Record(*req, false, "curl_easy_init failed");
      return;
    }
    curl_easy_setopt(easy, CURLOPT_URL, req->url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout_ms));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "bramka-callbacks/1");
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CollectBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &req->body);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, req->error);
    req->guard.allow_private = options_.allow_private_urls;
    core::InstallCurlSocketGuard(easy, &req->guard);
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
      curl_easy_cleanup(easy);
      Record(*req, false, "curl_multi_add_handle failed");
      return;
    }
    requests_.emplace(easy, std::move(req));
  }

  // Finished transfers: judge them and record the outcome.
  void Collect() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      auto it = requests_.find(easy);
      curl_multi_remove_handle(multi_, easy);
      if (it == requests_.end()) {
        curl_easy_cleanup(easy);
        continue;
      }
      std::unique_ptr<Request> req = std::move(it->second);
      requests_.erase(it);
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_cleanup(easy);
      if (!req->guard.refused.empty()) {
        // SSRF (ADR 0025): the URL (or its DNS name) leads inward; retrying cannot help.
        GiveUp(req->entry,
               "callback URL not allowed: " + core::RefusedAddressText(req->guard.refused) +
                   " ([notify] allow_private_urls)");
        continue;
      }
      if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT) {
        // Retrying cannot help (a per-request dlr_url such as "ftp://...").
        GiveUp(req->entry, std::string("not an http(s) URL: ") + curl_easy_strerror(code));
        continue;
      }
      if (code != CURLE_OK) {
        Record(*req, false,
               req->error[0] != '\0' ? std::string(req->error) : curl_easy_strerror(code));
        continue;
      }
      const bool ack = IsAcknowledged(status, req->body);
      std::string why;
      if (!ack) {
        std::string body = req->body.substr(0, 64);
        for (char& c : body) {
          if (static_cast<unsigned char>(c) < 0x20) c = ' ';
        }
        why = fmt::format("HTTP {} \"{}\"", status, body);
      }
      Record(*req, ack, why);
    }
  }

  void Record(const Request& req, bool ack, const std::string& why) {
    const store::CallbackEntry& e = req.entry;
    const int64_t now = ToUnixMillis(clock_.Now());
    const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    const Decision d = Decide(e, ack, now, options_.retry, jitter);
    switch (d.action) {
      case Decision::Action::kAck:
        if (auto r = store_.AckCallback(e.id); !r.ok()) {
          spdlog::warn("callbacks: recording the ack of entry {} failed: {}", e.id,
                       r.error().ToString());
        }
        (e.kind == store::CallbackKind::kMo ? sent_mo_ : sent_dlr_).Inc();
        spdlog::debug("callback acknowledged message_id={} callback={} kind={}", e.message_id, e.id,
                      KindLabel(e.kind));
        return;
      case Decision::Action::kRetry:
        retries_.Inc();
        if (auto r = store_.RetryCallback(e.id, d.next_attempt_ms, why); !r.ok()) {
          spdlog::warn("callbacks: rescheduling entry {} failed: {}", e.id, r.error().ToString());
        }
        spdlog::info("callback {} for message {} not acknowledged (attempt {}): {}; next in {} ms",
                     e.id, e.message_id, e.attempts, why, d.next_attempt_ms - now);
        return;
      case Decision::Action::kFail:
        GiveUp(e, why);
        return;
    }
  }

  void GiveUp(const store::CallbackEntry& e, const std::string& why) {
    failed_.Inc();
    if (auto r = store_.FailCallback(e.id, why); !r.ok()) {
      spdlog::warn("callbacks: marking entry {} failed did not work: {}", e.id,
                   r.error().ToString());
    }
    spdlog::warn(
        "callback {} for message {} of account {} GIVEN UP after {} attempts: {} (kept; "
        "`bramka admin account callbacks NAME --retry-failed` retries it)",
        e.id, e.message_id, e.account_id, e.attempts, why);
  }

  store::Store& store_;
  Clock& clock_;
  const NotifyOptions& options_;
  std::mt19937_64 rng_;
  Counter& sent_dlr_;
  Counter& sent_mo_;
  Counter& retries_;
  Counter& failed_;
  Counter& claims_;
  Gauge& in_flight_gauge_;
  CURLM* multi_ = nullptr;
  std::unordered_map<CURL*, std::unique_ptr<Request>> requests_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  bool woken_ = false;
};

CallbackSender::CallbackSender(store::Store& store, Clock& clock, NotifyOptions options,
                               MetricsRegistry& metrics)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      metrics_(metrics),
      wakeups_(metrics.GetCounter("bramka_callbacks_wakeups_total",
                                  "Requests to look for due callbacks before the next poll "
                                  "(a receipt or incoming message that queued one).")) {
  metrics_.AddCallbackGauge(
      "bramka_callbacks_outbox",
      "Callbacks in the durable outbox: pending (to be sent or retried) "
      "and failed (given up, kept for the operator).",
      [this] {
        std::vector<std::pair<std::string, double>> out;
        if (auto c = store_.CountCallbacks(); c.ok()) {
          out.emplace_back("state=\"pending\"", static_cast<double>(c->pending));
          out.emplace_back("state=\"failed\"", static_cast<double>(c->failed));
        }
        return out;
      });
}

CallbackSender::~CallbackSender() { Stop(); }

Result<void> CallbackSender::Start() {
  // Once per process, before any thread uses libcurl (thread-safe since 7.84).
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) {
    return Fail(ErrorCode::kInternal,
                std::string("curl_global_init: ") + curl_easy_strerror(global));
  }
  auto loop = std::make_unique<Loop>(store_, clock_, options_, metrics_);
  BRAMKA_RETURN_IF_ERROR(loop->Init());
  // Whatever this node's previous incarnation had in flight is due again now.
  auto released = store_.ReleaseCallbackLeases(options_.node_id, ToUnixMillis(clock_.Now()));
  if (!released.ok()) return Fail(released.error());
  if (*released > 0) {
    spdlog::info("callbacks: {} entries in flight at the last stop are due again", *released);
  }
  loop_ = std::move(loop);
  thread_ = std::thread([this] { loop_->Run(); });
  return Ok();
}

void CallbackSender::Wake() {
  wakeups_.Inc();
  if (loop_) loop_->Wake();
}

void CallbackSender::OnReceipt(const store::Message& message) {
  // notifywake (docs/adr/0058): the entry, if any, was committed before the dispatcher
  // called its listeners; without one there is nothing new to claim. Entries queued
  // elsewhere (the gateway's hook, MO, another node) wake the sender their own way, and
  // the poll (poll_interval_ms) finds whatever no wake-up announced.
  if (message.callback_queued) Wake();
}

void CallbackSender::Stop() {
  if (!thread_.joinable()) return;
  loop_->Stop();
  thread_.join();  // loop_ stays: a late Wake() from another thread stays harmless
}

}  // namespace bramka::notify
