#pragma once
// The DLR callback entry of a message made final (docs/adr/0007, 0031), shared by the
// stores: kind kDlr, the message's own dlr_url as the template (the stores put the
// account's in when it has none), its fields as stored once final, created and due at
// now_ms.

#include <cstdint>
#include <string>

#include "store/model.h"

namespace bramka::store {

inline CallbackEntry DlrCallbackEntryOf(const Message& m, int64_t now_ms) {
  CallbackEntry e;
  e.account_id = m.account_id;
  e.kind = CallbackKind::kDlr;
  e.url_template = m.dlr_url;
  e.message_id = m.id;
  e.unique_id = m.unique_id;
  e.phone = m.phone;
  e.sender = m.sender;
  e.status = std::string(MessageStatusName(m.status));
  e.reason = m.reason;
  e.text = m.text;
  e.event_ms = m.done_ms;
  e.created_ms = now_ms;
  e.next_attempt_ms = now_ms;
  return e;
}

}  // namespace bramka::store
