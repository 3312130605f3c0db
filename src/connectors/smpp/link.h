#pragma once
// Link: what ClientCore needs from the SMPP connection it drives — smpp::net::Connection
// in production (smpp_connector.cc), a Session wired to a test SMSC in unit tests
// (testing/session_link.h). Every method is called on the link's strand, and
// SendRequest's result is known when it returns.

#include <cstdint>
#include <string>

#include "common/result.h"
#include "smpp/pdu/pdu.h"

namespace bramka::smpp_client {

class Link {
 public:
  virtual ~Link() = default;
  // Session::SendRequest: the sequence_number, or kThrottled / kRejected / kUnavailable /
  // kInvalidArgument. After a success the request ends in ClientCore::OnResponse or
  // OnRequestFailed with the same `context`.
  virtual Result<uint32_t> SendRequest(smpp::Pdu request, uint64_t context) = 0;
  virtual void Respond(smpp::Pdu response) = 0;
  // Graceful unbind; the link closes after unbind_resp (or its timer).
  virtual void Unbind() = 0;
  // Abrupt close; outstanding requests fail.
  virtual void Close(std::string detail) = 0;
  virtual uint32_t WindowAvailable() const = 0;
};

}  // namespace bramka::smpp_client
