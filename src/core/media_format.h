#pragma once
// Content checks for media files (files/*, spec §4.10 and §4.3). Pure: bytes in,
// verdict out; no I/O. The content decides, not the name or the Content-Type a
// client declares (both are easy to get wrong and cheap to fake).
//
// Errors: kInvalidArgument with core::Failure::kFileTypeNotAllowed in detail and
// a message that says what is wrong ("voice files must be 8000 Hz; this one is
// 22050 Hz").

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bramka::core {

// The fmt chunk and length of a RIFF/WAVE file.
struct WavInfo {
  uint16_t format = 0;  // 1 = PCM
  uint16_t channels = 0;
  uint32_t sample_rate = 0;
  uint16_t bits_per_sample = 0;
  uint32_t data_bytes = 0;
  double seconds = 0;
};

// Reads the RIFF header, the "fmt " chunk and the "data" chunk's size. kInvalidArgument
// (kFileTypeNotAllowed) for anything that is not a well-formed WAVE file.
Result<WavInfo> ParseWav(std::string_view bytes);

// Spec §4.3: voice files are WAV, PCM, 16-bit, 8 kHz, mono, at most 60 seconds.
inline constexpr double kMaxVoiceSeconds = 60.0;
Result<WavInfo> CheckVoiceWav(std::string_view bytes);

// The content type of an MMS file judged by its content: image/gif, image/jpeg,
// image/png, image/bmp, text/plain (UTF-8 text without control characters), audio/wav,
// audio/amr, audio/mpeg, video/3gpp, video/mp4, application/pdf. Anything else is
// refused (kFileTypeNotAllowed).
Result<std::string> SniffMmsContentType(std::string_view bytes);

// A file name's last path segment, trimmed to 100 bytes; "" if nothing usable.
std::string CleanFileName(std::string_view name);

}  // namespace bramka::core
