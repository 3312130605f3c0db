// Fuzz target: the SMPP framer (src/smpp/pdu/framer.h) and the decoder behind it.
// Properties: never crashes; the frames it returns concatenate to a prefix of the input
// and each carries its own command_length; the same input fed whole and fed in chunks
// (sizes taken from the input itself) yields the same frames and the same error; every
// frame decodes or fails with a non-fatal DecodeError (the framer already checked the
// length).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "smpp/pdu/codec.h"
#include "smpp/pdu/framer.h"

namespace {

struct Outcome {
  std::vector<std::string> frames;
  bool failed = false;
  bramka::smpp::DecodeErrorKind kind = bramka::smpp::DecodeErrorKind::kTruncatedBody;
};

void DrainInto(bramka::smpp::Framer& framer, Outcome& out) {
  using bramka::smpp::FrameResult;
  while (!out.failed) {
    const FrameResult r = framer.Next();
    if (r.status == FrameResult::kNeedMore) return;
    if (r.status == FrameResult::kError) {
      BRAMKA_CHECK(r.error.fatal());
      out.failed = true;
      out.kind = r.error.kind;
      return;
    }
    out.frames.emplace_back(r.frame);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::smpp;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr uint32_t kMax = 4096;  // small, so the fuzzer reaches the limit

  Outcome whole;
  Framer a(kMax);
  a.Feed(input);
  DrainInto(a, whole);

  Outcome chunked;
  Framer b(kMax);
  size_t pos = 0;
  size_t step = 0;
  while (pos < input.size() && !chunked.failed) {
    const size_t n = 1 + static_cast<uint8_t>(input[step++ % input.size()]) % 17;
    const std::string_view chunk = input.substr(pos, n);
    pos += chunk.size();
    b.Feed(chunk);
    DrainInto(b, chunked);
  }

  BRAMKA_CHECK(whole.frames == chunked.frames);
  BRAMKA_CHECK(whole.failed == chunked.failed);
  if (whole.failed) BRAMKA_CHECK(whole.kind == chunked.kind);

  size_t offset = 0;
  for (const std::string& frame : whole.frames) {
    BRAMKA_CHECK(input.substr(offset, frame.size()) == frame);
    offset += frame.size();
    const auto header = PeekHeader(frame);
    BRAMKA_CHECK(header && header->command_length == frame.size());
    BRAMKA_CHECK(frame.size() >= kHeaderLength && frame.size() <= kMax);
    DecodeResult decoded = Decode(frame);
    if (!decoded.ok()) BRAMKA_CHECK(!decoded.error().fatal());
  }
  if (!whole.failed) BRAMKA_CHECK(a.buffered() == input.size() - offset);
  return 0;
}
