#pragma once
// Incoming messages (MO) to SMPP clients (docs/adr/0011): the store queues an
// entry in the durable outbox of every SMPP user of the account in the
// transaction that records the message (store.h, RecordIncoming); the server
// builds this deliver_sm (esm_class 0, source = who sent it, destination = the
// number it was sent to) when it sends it on the user's receiver/transceiver
// binds, like a receipt (kept until a bind acknowledges it).

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "core/gateway_service.h"
#include "smpp/pdu/pdu.h"
#include "store/model.h"

namespace bramka::api::smpp {

// The deliver_sm for `m`: GSM 03.38 when the text allows, else UCS-2; a text
// longer than one short_message goes in message_payload (SMPP 3.4 §5.3.2.32).
bramka::smpp::Pdu MakeMoDeliver(const store::InboxMessage& m);

}  // namespace bramka::api::smpp
