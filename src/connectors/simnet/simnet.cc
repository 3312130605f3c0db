#include "connectors/simnet/simnet.h"

#include <pthread.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <utility>

#include "common/log.h"
#include "delivery/routing.h"

namespace bramka::simnet {
namespace {

using delivery::SendOutcome;

uint64_t Mix(uint64_t x) {  // SplitMix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [0, 1), a pure function of its inputs.
double Roll(uint64_t seed, const std::string& id, uint64_t rule, uint64_t attempt) {
  uint64_t h = Mix(seed);
  for (unsigned char c : id) h = Mix(h ^ c);
  h = Mix(h ^ rule);
  h = Mix(h ^ attempt);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

std::string ReasonOr(const std::string& reason, const char* fallback) {
  return reason.empty() ? fallback : reason;
}

bool ValidPrefix(const std::string& prefix) {
  std::string_view digits = prefix;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  return !digits.empty() &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<FailureRule> DefaultTestRules() {
  using E = FailureRule::Effect;
  return {
      {"+486000001", 1.0, E::kUndelivered, "wrong_number"},
      {"+486000002", 1.0, E::kRejectPermanent, "unsupported_number"},
      {"+486000003", 1.0, E::kRejectTemporary, ""},
      {"+486000004", 0.5, E::kUndelivered, "other_error"},
  };
}

Result<void> ValidateSimnetOptions(const SimnetOptions& options) {
  if (options.submit_delay_ms < 0 || options.receipt_delay_ms < 0) {
    return Fail(ErrorCode::kInvalidArgument, "simnet: delays must not be negative");
  }
  for (const FailureRule& rule : options.rules) {
    if (!ValidPrefix(rule.prefix)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "simnet: rule prefix '" + rule.prefix + "' is not like +48600000");
    }
    if (!(rule.rate >= 0.0 && rule.rate <= 1.0)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "simnet: rule " + rule.prefix + " has a rate outside 0..1");
    }
  }
  return Ok();
}

Fate DecideFate(const SimnetOptions& options, const std::string& phone,
                const std::string& message_id, int attempt) {
  for (size_t i = 0; i < options.rules.size(); ++i) {
    const FailureRule& rule = options.rules[i];
    if (!delivery::PhoneHasPrefix(phone, rule.prefix)) continue;
    // Only a temporary rejection depends on the attempt: a retry may pass.
    const bool temporary = rule.effect == FailureRule::Effect::kRejectTemporary;
    const uint64_t a = temporary ? static_cast<uint64_t>(attempt) : 0;
    if (Roll(options.seed, message_id, i, a) >= rule.rate) continue;
    switch (rule.effect) {
      case FailureRule::Effect::kUndelivered:
        return {Fate::Kind::kUndelivered, ReasonOr(rule.reason, "other_error")};
      case FailureRule::Effect::kRejectPermanent:
        return {Fate::Kind::kRejectPermanent, ReasonOr(rule.reason, "message_rejected")};
      case FailureRule::Effect::kRejectTemporary:
        return {Fate::Kind::kRejectTemporary, ReasonOr(rule.reason, "operator_error")};
    }
  }
  return {Fate::Kind::kDelivered, ""};
}

SimnetConnector::SimnetConnector(store::Store& store, Clock& clock, SimnetOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

SimnetConnector::~SimnetConnector() { Stop(); }

bool SimnetConnector::Ready() const {
  std::lock_guard lock(mu_);
  return ready_;
}

size_t SimnetConnector::pending_receipts() const {
  std::lock_guard lock(mu_);
  return pending_receipts_;
}

std::string SimnetConnector::NextUpstreamIdLocked() { return std::to_string(next_upstream_id_++); }

void SimnetConnector::ScheduleLocked(SteadyTime when, uint64_t submit,
                                     store::ReceiptUpdate receipt) {
  if (submit == 0) ++pending_receipts_;
  timers_.push(Timer{when, next_seq_++, submit, std::move(receipt)});
  cv_.notify_all();
}

Result<void> SimnetConnector::Start(delivery::ConnectorEvents& events) {
  BRAMKA_RETURN_IF_ERROR(ValidateSimnetOptions(options_));
  // The network still holds the receipts of what it accepted before a restart.
  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::Message> sent,
                          store_.ListSentVia(name_, options_.resume_limit));
  const int64_t now_ms = ToUnixMillis(clock_.Now());
  const SteadyTime steady_now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (started_ || stopping_) return Fail(ErrorCode::kInternal, "simnet: started twice");
    started_ = true;
    events_ = &events;
    // Decimal ids like many SMSCs give, unique across restarts: they start at
    // the start time in microseconds-ish (ms * 1000), so a restart begins
    // above every id of the previous run unless it issued over a million per
    // second; ids seen in the store are skipped as well.
    next_upstream_id_ = static_cast<uint64_t>(std::max<int64_t>(now_ms, 0)) * 1000;
    for (const store::Message& m : sent) {
      uint64_t v = 0;
      const char* end = m.upstream_id.data() + m.upstream_id.size();
      auto [ptr, ec] = std::from_chars(m.upstream_id.data(), end, v);
      if (ec == std::errc() && ptr == end) next_upstream_id_ = std::max(next_upstream_id_, v + 1);

      Fate fate = DecideFate(options_, m.phone, m.id, m.attempts);
      store::ReceiptUpdate r;
      r.connector = name_;
      r.upstream_id = m.upstream_id;
      if (fate.kind == Fate::Kind::kUndelivered) {
        r.status = store::MessageStatus::kUndelivered;
        r.reason = fate.reason;
      } else {
        r.status = store::MessageStatus::kDelivered;  // it was accepted, so not rejected
      }
      if (m.type == store::MessageType::kVoice && !options_.voice_dir.empty() &&
          !std::filesystem::exists(std::filesystem::path(options_.voice_dir) / (m.id + ".wav"))) {
        // Stopped before it was "played": play it now, then report.
        Submit voice;
        voice.message_id = m.id;
        voice.voice = true;
        voice.account_id = m.account_id;
        voice.text = m.text;
        if (!m.attachments.empty()) voice.file_id = m.attachments.front();
        voice_jobs_.push(VoiceJob{std::move(voice), std::move(r)});
        continue;
      }
      const int64_t wait_ms = std::max<int64_t>(0, m.sent_ms + options_.receipt_delay_ms - now_ms);
      ScheduleLocked(steady_now + std::chrono::milliseconds(wait_ms), 0, std::move(r));
    }
    ready_ = true;
  }
  if (!sent.empty())
    spdlog::info("simnet: resuming {} receipts from before the restart", sent.size());
  thread_ = std::thread([this] {
    (void)pthread_setname_np(pthread_self(), "bramka-simnet");
    Run();
  });
  if (!options_.voice_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options_.voice_dir, ec);
    if (ec) spdlog::warn("simnet: cannot create {}: {}", options_.voice_dir, ec.message());
    voice_thread_ = std::thread([this] { RunVoice(); });
  }
  mo_thread_ = std::thread([this] {
    (void)pthread_setname_np(pthread_self(), "bramka-simnetmo");
    RunMo();
  });
  events.OnReadyChanged(name_, true);
  return Ok();
}

void SimnetConnector::Send(const store::Message& message, delivery::SendCallback done) {
  std::unique_lock lock(mu_);
  if (!ready_) {
    lock.unlock();
    done(SendOutcome::Temporary("simnet is not running"));
    return;
  }
  const uint64_t token = next_seq_;  // unique: next_seq_ only grows
  Submit submit;
  submit.message_id = message.id;
  submit.fate = DecideFate(options_, message.phone, message.id, message.attempts);
  submit.done = std::move(done);
  if (message.type == store::MessageType::kVoice && !options_.voice_dir.empty()) {
    submit.voice = true;
    submit.account_id = message.account_id;
    submit.text = message.text;
    if (!message.attachments.empty()) submit.file_id = message.attachments.front();
  }
  MaybeScheduleAutoReplyLocked(message, submit.fate);
  pending_submits_.emplace(token, std::move(submit));
  ScheduleLocked(
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.submit_delay_ms), token,
      {});
}

void SimnetConnector::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (timers_.empty()) {
      cv_.wait(lock, [&] { return stopping_ || !timers_.empty(); });
      continue;
    }
    const SteadyTime when = timers_.top().when;
    if (std::chrono::steady_clock::now() < when) {
      cv_.wait_until(lock, when);
      continue;  // re-check: stopping, or an earlier timer arrived
    }
    Timer timer = timers_.top();
    timers_.pop();
    if (timer.submit != 0) {
      auto it = pending_submits_.find(timer.submit);
      if (it == pending_submits_.end()) continue;
      Submit submit = std::move(it->second);
      pending_submits_.erase(it);
      lock.unlock();
      AnswerSubmit(std::move(submit));
      lock.lock();
    } else {
      --pending_receipts_;
      delivery::ConnectorEvents* events = events_;
      lock.unlock();
      timer.receipt.at_ms = ToUnixMillis(clock_.Now());
      // No completion (connector.h rule 5): nothing upstream waits for an answer, and
      // a receipt lost in a crash is reported again at the next Start (kSent messages).
      events->OnReceipt(std::move(timer.receipt));
      lock.lock();
    }
  }
}

// On the timer thread, no lock held.
void SimnetConnector::AnswerSubmit(Submit submit) {
  switch (submit.fate.kind) {
    case Fate::Kind::kRejectPermanent:
      submit.done(SendOutcome::Permanent(submit.fate.reason, "simnet: rejected by a test rule"));
      return;
    case Fate::Kind::kRejectTemporary:
      submit.done(SendOutcome::Temporary("simnet: temporarily rejected by a test rule (" +
                                         submit.fate.reason + ")"));
      return;
    case Fate::Kind::kDelivered:
    case Fate::Kind::kUndelivered:
      break;
  }
  store::ReceiptUpdate r;
  r.connector = name_;
  if (submit.fate.kind == Fate::Kind::kUndelivered) {
    r.status = store::MessageStatus::kUndelivered;
    r.reason = submit.fate.reason;
  } else {
    r.status = store::MessageStatus::kDelivered;
  }
  std::string upstream_id;
  {
    std::lock_guard lock(mu_);
    upstream_id = NextUpstreamIdLocked();
    r.upstream_id = upstream_id;
    // Scheduled before the answer, yet it cannot overtake it: timers fire
    // only on this thread, which is busy until `done` (the dispatcher's
    // MarkSent) has returned. Once stopping, the next Start resumes it from
    // the store instead.
    if (!stopping_ && submit.voice) {
      // Rendered first, then its receipt is scheduled (RunVoice).
      voice_jobs_.push(VoiceJob{Submit{submit.message_id, submit.fate, nullptr, true,
                                       submit.account_id, submit.text, submit.file_id},
                                std::move(r)});
      voice_cv_.notify_all();
    } else if (!stopping_) {
      ScheduleLocked(
          std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.receipt_delay_ms),
          0, std::move(r));
    }
  }
  submit.done(SendOutcome::Accepted(std::move(upstream_id)));
}

// The voice thread: writes each delivered voice message's WAV, then schedules its
// receipt.
void SimnetConnector::RunVoice() {
  std::unique_lock lock(mu_);
  while (true) {
    voice_cv_.wait(lock, [&] { return stopping_ || !voice_jobs_.empty(); });
    if (stopping_) return;
    VoiceJob job = std::move(voice_jobs_.front());
    voice_jobs_.pop();
    lock.unlock();
    RenderVoice(job.submit);
    lock.lock();
    if (stopping_) return;
    ScheduleLocked(
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.receipt_delay_ms), 0,
        std::move(job.receipt));
  }
}

// On the voice thread, no lock held.
void SimnetConnector::RenderVoice(const Submit& submit) {
  const std::string path =
      (std::filesystem::path(options_.voice_dir) / (submit.message_id + ".wav")).string();
  Result<void> written = Ok();
  if (!submit.file_id.empty()) {
    // A WAV from files/* is "played" as it is.
    auto file = store_.GetMediaFile(submit.account_id, submit.file_id, /*with_data=*/true);
    written = file.ok() ? WriteFileAtomically(path, file->data) : Result<void>(file.take_error());
  } else {
    written = RenderSpeech(options_.speech, submit.text, path);
  }
  if (!written.ok()) {
    spdlog::warn("simnet: voice message {} not written to {}: {}", submit.message_id, path,
                 written.error().ToString());
  }
}

void SimnetConnector::Stop() {
  std::map<uint64_t, Submit> unanswered;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    ready_ = false;
    unanswered.swap(pending_submits_);
    timers_ = {};
    pending_receipts_ = 0;
    voice_jobs_ = {};  // their receipts are resumed from the store by the next Start
    cv_.notify_all();
    voice_cv_.notify_all();
    mo_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (voice_thread_.joinable()) voice_thread_.join();
  if (mo_thread_.joinable()) mo_thread_.join();
  // connector.h rule 7: answer everything still held.
  for (auto& [token, submit] : unanswered) {
    submit.done(SendOutcome::Temporary("simnet stopped"));
  }
}

}  // namespace bramka::simnet
