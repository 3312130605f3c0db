#pragma once
// Test helpers for Session: fake time, draining actions, decoding what was sent.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "smpp/pdu/codec.h"
#include "smpp/session/session.h"

namespace bramka::smpp::testing {

using namespace std::chrono_literals;

inline const TimePoint kT0 = TimePoint{} + std::chrono::hours(1000);

inline std::vector<Action> Drain(Session& s) {
  std::vector<Action> out;
  while (auto a = s.NextAction()) out.push_back(std::move(*a));
  return out;
}

template <typename T>
std::vector<T> OfType(const std::vector<Action>& actions) {
  std::vector<T> out;
  for (const Action& a : actions) {
    if (const T* t = std::get_if<T>(&a)) out.push_back(*t);
  }
  return out;
}

// The PDUs in the Send actions, decoded.
inline std::vector<Pdu> Sent(const std::vector<Action>& actions) {
  std::vector<Pdu> out;
  for (const auto& send : OfType<action::Send>(actions)) {
    DecodeResult r = Decode(send.bytes);
    EXPECT_TRUE(r.ok());
    if (r.ok()) {
      EXPECT_EQ(send.command_id, r->command_id());
      EXPECT_EQ(send.sequence_number, r->sequence_number);
      out.push_back(std::move(r).value());
    }
  }
  return out;
}

inline std::string Bytes(const Pdu& pdu) {
  Result<std::string> r = Encode(pdu);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::string();
}

// Feeds `pdu` as if the peer sent it.
inline void Receive(Session& s, const Pdu& pdu, TimePoint now) { s.OnBytes(Bytes(pdu), now); }

inline Pdu BindOf(CommandId id, uint32_t seq = 1) {
  Pdu pdu{.sequence_number = seq, .body = *MakeBody(static_cast<uint32_t>(id))};
  std::visit(
      [](auto& b) {
        if constexpr (requires {
                        b.password;
                        b.system_type;
                      }) {
          b.system_id = "client";
          b.password = "secret";
        }
      },
      pdu.body);
  return pdu;
}

inline Pdu Submit(std::string text = "hello") {
  return Pdu{.body = SubmitSm{.source_addr = "Bramka",
                              .destination_addr = "48500600700",
                              .short_message = std::move(text)}};
}

inline Pdu DeliverReceipt() {
  return Pdu{.body = DeliverSm{.source_addr = "48500600700",
                               .destination_addr = "Bramka",
                               .esm_class = 0x04,
                               .short_message = "id:1 stat:DELIVRD"}};
}

// An SMSC-role session whose peer bound with `bind` at kT0 (actions drained).
inline Session BoundSmsc(CommandId bind, SessionOptions options = {}) {
  options.role = Role::kSmsc;
  Session s(options, kT0);
  Receive(s, BindOf(bind, 1), kT0);
  Drain(s);
  EXPECT_TRUE(s.Respond(MakeResponse(BindOf(bind, 1)), kT0).ok());
  Drain(s);
  return s;
}

// An ESME-role session bound with `bind` at kT0 (actions drained).
inline Session BoundEsme(CommandId bind, SessionOptions options = {}) {
  options.role = Role::kEsme;
  Session s(options, kT0);
  auto seq = s.SendRequest(BindOf(bind), kT0);
  EXPECT_TRUE(seq.ok());
  const Pdu resp = MakeResponse(bind, seq.ok() ? *seq : 0, kEsmeRok);
  Receive(s, resp, kT0);
  Drain(s);
  EXPECT_TRUE(s.bound());
  return s;
}

}  // namespace bramka::smpp::testing
