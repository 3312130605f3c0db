#pragma once
// Test helper: a Link over an ESME-role smpp::Session, whose bytes go to and come from a
// test's SMSC-role Session; Drain() turns the ESME session's actions into ClientCore calls
// (what smpp::net::Connection does over a socket). Header-only; tests only.

#include <optional>
#include <string>
#include <variant>

#include "connectors/smpp/client_core.h"
#include "connectors/smpp/link.h"
#include "smpp/session/session.h"

namespace bramka::smpp_client::testing {

class SessionLink final : public Link {
 public:
  SessionLink(smpp::SessionOptions options, smpp::TimePoint now)
      : session_(options, now), now_(now) {}

  Result<uint32_t> SendRequest(smpp::Pdu request, uint64_t context) override {
    return session_.SendRequest(std::move(request), now_, context);
  }
  void Respond(smpp::Pdu response) override { (void)session_.Respond(std::move(response), now_); }
  void Unbind() override {
    if (!session_.Unbind(now_).ok()) session_.Close("unbind while not bound");
  }
  void Close(std::string detail) override { session_.Close(std::move(detail)); }
  uint32_t WindowAvailable() const override { return session_.WindowAvailable(); }

  smpp::Session& session() { return session_; }
  void set_now(smpp::TimePoint now) { now_ = now; }
  bool closed() const { return closed_; }

  // Runs the session's actions into `core`; bytes to send are appended to `out`.
  // Returns true if anything happened. After a Close action the link is down
  // (core.LinkDown was called).
  bool Drain(ClientCore& core, std::string& out) {
    bool any = false;
    while (!closed_) {
      std::optional<smpp::Action> a = session_.NextAction();
      if (!a) break;
      any = true;
      if (auto* send = std::get_if<smpp::action::Send>(&*a)) {
        out += send->bytes;
      } else if (auto* req = std::get_if<smpp::action::RequestReceived>(&*a)) {
        core.OnRequest(req->pdu, now_);
      } else if (auto* resp = std::get_if<smpp::action::ResponseReceived>(&*a)) {
        core.OnResponse(resp->pdu, resp->context, now_);
      } else if (auto* failed = std::get_if<smpp::action::RequestFailed>(&*a)) {
        core.OnRequestFailed(failed->context, failed->reason, now_);
      } else if (auto* changed = std::get_if<smpp::action::StateChanged>(&*a)) {
        core.OnState(changed->to, now_);
      } else if (auto* close = std::get_if<smpp::action::Close>(&*a)) {
        closed_ = true;
        core.LinkDown(std::string(smpp::CloseReasonName(close->reason)), now_);
      }
    }
    return any;
  }

  // The transport broke (like a socket error).
  void Disconnect(ClientCore& core, std::string& out) {
    session_.OnDisconnected(now_);
    Drain(core, out);
    if (!closed_) {
      closed_ = true;
      core.LinkDown("disconnected", now_);
    }
  }

 private:
  smpp::Session session_;
  smpp::TimePoint now_;
  bool closed_ = false;
};

}  // namespace bramka::smpp_client::testing
