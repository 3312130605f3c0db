#include "core/media_format.h"

#include <algorithm>

#include "core/failure.h"
#include "sms/ucs2.h"

namespace bramka::core {
namespace {

Unexpected NotAllowed(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message),
              static_cast<int>(Failure::kFileTypeNotAllowed));
}

uint32_t Le32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
uint16_t Le16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               static_cast<unsigned char>(b[at + 1]) << 8);
}

bool StartsWith(std::string_view b, std::string_view magic) {
  return b.substr(0, magic.size()) == magic;
}

// UTF-8 text with no control characters but tab, CR and LF.
bool IsPlainText(std::string_view b) {
  for (char ch : b) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) return false;
  }
  return sms::IsValidUtf8(b);
}

}  // namespace

Result<WavInfo> ParseWav(std::string_view b) {
  if (b.size() < 12 || !StartsWith(b, "RIFF") || b.substr(8, 4) != "WAVE") {
    return NotAllowed("not a WAV file (no RIFF/WAVE header)");
  }
  WavInfo info;
  bool have_fmt = false;
  bool have_data = false;
  size_t pos = 12;
  while (pos + 8 <= b.size() && !have_data) {
    const std::string_view id = b.substr(pos, 4);
    const uint32_t size = Le32(b, pos + 4);
    const size_t body = pos + 8;
    if (id == "fmt ") {
      if (size < 16 || body + 16 > b.size()) return NotAllowed("WAV file with a short fmt chunk");
      info.format = Le16(b, body);
      info.channels = Le16(b, body + 2);
      info.sample_rate = Le32(b, body + 4);
      info.bits_per_sample = Le16(b, body + 14);
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return NotAllowed("WAV file with data before its fmt chunk");
      // A streaming writer may leave the size unset (0 or 0xFFFFFFFF): take what is there.
      const size_t available = b.size() - body;
      info.data_bytes = size == 0 || size > available ? static_cast<uint32_t>(available) : size;
      have_data = true;
    }
    // Chunks are padded to an even size (RIFF).
    pos = body + size + (size & 1);
    if (pos < body) break;  // overflow
  }
  if (!have_fmt) return NotAllowed("WAV file without a fmt chunk");
  if (!have_data) return NotAllowed("WAV file without a data chunk");
  if (info.channels == 0 || info.sample_rate == 0 || info.bits_per_sample == 0) {
    return NotAllowed("WAV file with a zero channel count, rate or sample size");
  }
  const double bytes_per_second =
      static_cast<double>(info.sample_rate) * info.channels * ((info.bits_per_sample + 7) / 8);
  info.seconds = info.data_bytes / bytes_per_second;
  return info;
}

Result<WavInfo> CheckVoiceWav(std::string_view bytes) {
  BRAMKA_ASSIGN_OR_RETURN(WavInfo w, ParseWav(bytes));
  if (w.format != 1) {
    return NotAllowed("voice files must be PCM WAV (format 1); this one has format " +
                      std::to_string(w.format));
  }
  if (w.bits_per_sample != 16) {
    return NotAllowed("voice files must be 16-bit; this one is " +
                      std::to_string(w.bits_per_sample) + "-bit");
  }
  if (w.sample_rate != 8000) {
    return NotAllowed("voice files must be 8000 Hz; this one is " + std::to_string(w.sample_rate) +
                      " Hz");
  }
  if (w.channels != 1) {
    return NotAllowed("voice files must be mono; this one has " + std::to_string(w.channels) +
                      " channels");
  }
  if (w.seconds > kMaxVoiceSeconds) {
    return NotAllowed("voice files must be at most 60 seconds long; this one lasts " +
                      std::to_string(static_cast<int>(w.seconds + 0.5)) + " s");
  }
  if (w.data_bytes == 0) return NotAllowed("the voice file holds no sound");
  return w;
}

Result<std::string> SniffMmsContentType(std::string_view b) {
  if (b.empty()) return NotAllowed("the file is empty");
  if (StartsWith(b, "GIF87a") || StartsWith(b, "GIF89a")) return std::string("image/gif");
  if (StartsWith(b, "\xFF\xD8\xFF")) return std::string("image/jpeg");
  if (StartsWith(b, "\x89PNG\r\n\x1a\n")) return std::string("image/png");
  if (b.size() > 26 && StartsWith(b, "BM") && Le32(b, 2) == b.size())
    return std::string("image/bmp");
  if (b.size() >= 12 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WAVE") {
    return std::string("audio/wav");
  }
  if (StartsWith(b, "#!AMR\n")) return std::string("audio/amr");
  if (StartsWith(b, "ID3") || (b.size() > 1 && static_cast<unsigned char>(b[0]) == 0xFF &&
                               (static_cast<unsigned char>(b[1]) & 0xE0) == 0xE0)) {
    return std::string("audio/mpeg");
  }
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    return std::string(b.substr(8, 3) == "3gp" ? "video/3gpp" : "video/mp4");
  }
  if (StartsWith(b, "%PDF-")) return std::string("application/pdf");
  if (IsPlainText(b)) return std::string("text/plain");
  return NotAllowed(
      "file type not allowed for MMS (allowed: gif, jpeg, png, bmp, txt, wav, amr, mp3, 3gp, "
      "mp4, pdf)");
}

std::string CleanFileName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const size_t q = name.find_first_of("?#");
  if (q != std::string_view::npos) name = name.substr(0, q);
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
    if (out.size() >= 100) break;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!sms::IsValidUtf8(out)) {  // cut inside a character, or not UTF-8 at all: ASCII only
    std::string ascii;
    for (char c : out) {
      if (static_cast<unsigned char>(c) < 0x80) ascii.push_back(c);
    }
    out = std::move(ascii);
  }
  return out;
}

}  // namespace bramka::core
