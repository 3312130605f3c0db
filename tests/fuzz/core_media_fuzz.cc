// Fuzz target for the media content checks (core/media_format.h): the WAV
// parser and the voice-file rules, MMS type sniffing and file-name cleaning,
// over arbitrary bytes as clients upload them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/media_fetcher.h"
#include "core/media_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::core;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto wav = ParseWav(in); wav.ok()) {
    // A parsed header never claims more sound than the bytes hold.
    if (wav->data_bytes > in.size()) __builtin_trap();
  }
  (void)CheckVoiceWav(in);
  (void)SniffMmsContentType(in);
  (void)CleanFileName(in);
  (void)IsFetchableUrl(std::string(in));
  return 0;
}
