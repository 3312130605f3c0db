// Fuzz target for SOAP envelope decoding (api/soap/envelope.h): the safety
// scan, pugixml, the XML -> parameter conversion, the operation table's
// argument mapping, and the answer renderers over what came out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/soap/answer.h"
#include "api/soap/envelope.h"
#include "api/soap/operations.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::api::soap;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  EnvelopeLimits limits;
  limits.max_elements = 2000;
  auto call = ParseEnvelope(in, limits);
  if (!call.ok()) return 0;
  if (const Operation* op = FindOperation(call->operation)) {
    const auto params = ToApiParams(*op, call->arguments);
    (void)RenderResponse(call->operation, call->operation_ns, params);
  }
  return 0;
}
