#pragma once
// Incoming messages (MO): reassembly of multipart messages, routing by the
// operator's numbering plan, and the inbox write (docs/adr/0011).
//
// Parts of a multipart message are held in the store (Store::AddIncomingPart)
// before the connector acknowledges them; the whole message replaces them in
// the transaction that records it, so a crash loses no part.
//
// Routing of one (reassembled) message from `from` to `to`, first match wins:
//  1. `to` is in the plan as a dedicated number (NDI, SCI, or a premium/ND/SC
//     entry without keyword) or as a shared number whose keyword is the first
//     word of the text (case-insensitive; ND, SC, premium): that number's
//     account, type "ndi"/"sci"/"nd"/"sc"/"pre"; a keyword match beats the
//     number's keyword-less entry.
//  2. A reply: the latest outgoing message to `from` whose sender is `to` (a
//     pool number, an NDI used as sender, a `2waySMS` number) queued within
//     the reply window: its account, type "eco", message_id = that message.
//  3. Otherwise the operator inbox (account 0, type ""): never dropped.
// The store writes the inbox row and the account's MO callback in one
// transaction; listeners (the SMPP server's deliver_sm fan-out) run after it.
//
// Thread-safety: Handle may be called from any connector thread at once.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "delivery/connector.h"
#include "store/store.h"

namespace bramka::delivery {

struct InboundOptions {
  int64_t reply_window_ms = 7LL * 24 * 3600 * 1000;  // replies tie to messages this recent
  // A multipart message whose parts are still missing after this long is
  // stored with what arrived (the missing parts marked "[...]").
  int64_t reassembly_timeout_ms = 5 * 60 * 1000;
};

// "+48500600700" for "48500600700", "0048500600700", "500600700" (Polish
// 9-digit numbers); short codes ("71200") and names are returned as they are.
std::string NormalizeInboundAddress(const std::string& raw);

// Where a message to `to` with `text` goes by the plan (rule 1); nullopt when
// the plan has no entry for it. Pure.
std::optional<store::InboundNumber> MatchNumberingPlan(
    const std::vector<store::InboundNumber>& plan, const std::string& to, const std::string& text);

// "nd", "ndi", "sc", "sci", "pre" (pool numbers: "eco").
std::string InboxTypeOf(store::InboundKind kind);

class InboundRouter {
 public:
  using Listener = std::function<void(const store::InboxMessage&)>;

  InboundRouter(store::Store& store, Clock& clock, InboundOptions options);

  // Called after each stored incoming message (any account, 0 included), on
  // the caller's thread. Register before the first Handle.
  void AddListener(Listener listener);

  // One part from a connector: a single message is routed and stored at once;
  // a part of a multipart message is held until all parts arrived (then the
  // whole is stored). Error: nothing stored; the connector answers a temporary
  // error so that the upstream repeats it.
  Result<void> Handle(IncomingSms sms);

  // Routes and stores one whole message (also what Handle calls); `parts_key`
  // names the held parts it replaces (empty for a single message).
  Result<store::InboxMessage> Deliver(const std::string& connector, const std::string& from,
                                      const std::string& to, const std::string& text, int64_t at_ms,
                                      const std::string& parts_key = "");

  // Stores the multipart messages whose first held part is older than the
  // timeout, with the parts they have. Handle calls it (at most every few
  // seconds); the app may call it periodically.
  void FlushExpired();

  // Parts held for reassembly (in the store). For tests.
  size_t pending_parts() const;

 private:
  store::Store& store_;
  Clock& clock_;
  const InboundOptions options_;
  std::vector<Listener> listeners_;
  // Serialises multipart handling, so that two last parts arriving at once
  // cannot both complete (and store) the same message.
  std::mutex parts_mu_;
  int64_t last_flush_ms_ = 0;  // under parts_mu_
};

}  // namespace bramka::delivery
