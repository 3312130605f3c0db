// Fuzz target: the SMPP session state machine (src/smpp/session/session.h) driven by a
// script taken from the input: peer bytes, timer ticks, application requests, answers,
// unbinds and disconnects, for either role.
// Properties: never crashes; every application request ends exactly once (one
// ResponseReceived or RequestFailed, never both, never twice, never for an unknown
// sequence_number), and none is left open once the session is closed; everything the
// session sends decodes; Close is the last action and the session is then CLOSED; the
// window is never exceeded.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "smpp/pdu/codec.h"
#include "smpp/session/session.h"

namespace {

using namespace bramka::smpp;

class Driver {
 public:
  Driver(std::string_view input) : in_(input) {}

  void Run() {
    const uint8_t flags = Byte();
    SessionOptions options;
    options.role = (flags & 1) ? Role::kSmsc : Role::kEsme;
    options.window = 1 + (flags >> 1) % 4;
    options.max_pending_inbound = (flags >> 3) % 3;
    options.response_timeout = std::chrono::seconds(10);
    options.enquire_link_interval = std::chrono::seconds((flags & 0x20) ? 0 : 15);
    options.inactivity_timeout = std::chrono::seconds((flags & 0x40) ? 40 : 0);
    options.max_command_length = 2048;
    options.first_sequence_number = (flags & 0x80) ? kMaxSequenceNumber - 2 : 1;
    Session s(options, now_);
    if (options.role == Role::kEsme) {
      Track(s.SendRequest(Pdu{.body = BindTransceiver{.system_id = "f"}}, now_));
    }
    Check(s);
    while (pos_ < in_.size()) {
      const uint8_t op = Byte();
      switch (op % 8) {
        case 0:
        case 1:
        case 2: {  // peer bytes
          const size_t n = 1 + Byte();
          s.OnBytes(in_.substr(pos_, n), now_);
          pos_ += std::min(n, in_.size() - pos_);
          break;
        }
        case 3:  // time passes
          now_ += std::chrono::milliseconds(500 * (1 + Byte()));
          s.OnTimer(now_);
          break;
        case 4: {  // the application sends a message
          Pdu pdu = options.role == Role::kEsme ? Pdu{.body = SubmitSm{.short_message = "m"}}
                                                : Pdu{.body = DeliverSm{.esm_class = 4}};
          Track(s.SendRequest(std::move(pdu), now_));
          BRAMKA_CHECK(s.outstanding() <= options.window);
          break;
        }
        case 5:  // the application answers the oldest request
          if (!pending_.empty()) {
            const Pdu request = pending_.front();
            pending_.erase(pending_.begin());
            (void)s.Respond(MakeResponse(request, Byte() % 3 == 0 ? kEsmeRsyserr : kEsmeRok), now_);
          }
          break;
        case 6:
          (void)s.Unbind(now_);
          break;
        case 7:
          if (Byte() == 0xFF) s.OnDisconnected(now_);
          break;
      }
      Check(s);
    }
    s.Close();
    Check(s);
    BRAMKA_CHECK(open_.empty());
  }

 private:
  uint8_t Byte() { return pos_ < in_.size() ? static_cast<uint8_t>(in_[pos_++]) : 0; }

  void Track(const bramka::Result<uint32_t>& seq) {
    if (!seq.ok()) return;
    BRAMKA_CHECK(!open_.contains(*seq));
    open_[*seq] = true;
  }

  void End(uint32_t seq) {
    auto it = open_.find(seq);
    BRAMKA_CHECK(it != open_.end());  // ends once, and only what was started
    open_.erase(it);
  }

  void Check(Session& s) {
    bool closed = false;
    while (auto a = s.NextAction()) {
      BRAMKA_CHECK(!closed);  // Close is last
      if (auto* send = std::get_if<action::Send>(&*a)) {
        BRAMKA_CHECK(Decode(send->bytes).ok());
      } else if (auto* resp = std::get_if<action::ResponseReceived>(&*a)) {
        End(resp->pdu.sequence_number);
      } else if (auto* failed = std::get_if<action::RequestFailed>(&*a)) {
        End(failed->sequence_number);
      } else if (auto* req = std::get_if<action::RequestReceived>(&*a)) {
        pending_.push_back(req->pdu);
      } else if (std::holds_alternative<action::Close>(*a)) {
        closed = true;
      }
    }
    if (closed) BRAMKA_CHECK(s.state() == SessionState::kClosed);
    if (s.state() == SessionState::kClosed) BRAMKA_CHECK(open_.empty());
    // An unbind sent by the application is the session's own; it never ends as an action.
    if (s.state() == SessionState::kUnbound || s.state() == SessionState::kClosed) {
      BRAMKA_CHECK(s.outstanding() == open_.size());
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  TimePoint now_{};
  std::map<uint32_t, bool> open_;
  std::vector<Pdu> pending_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Driver(std::string_view(reinterpret_cast<const char*>(data), size)).Run();
  return 0;
}
