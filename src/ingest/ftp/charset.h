#pragma once
// Text encodings of files customers drop on their FTP server (spec §8: ISO-8859-2
// or UTF-8; Windows-1250, what Polish Windows editors write, is accepted too).
// Pure: no I/O, no allocation beyond the returned string.

#include <string>
#include <string_view>

namespace bramka::ingest::ftp {

enum class Charset { kUtf8, kIso8859_2, kWindows1250 };

const char* CharsetName(Charset c);

// The file's encoding. Valid UTF-8 (a BOM, or any non-ASCII byte sequence that is
// well-formed) is UTF-8. Otherwise the single-byte encodings are told apart by the
// bytes where they differ for Polish letters: 0x80-0x9F are control characters in
// ISO-8859-2 but letters (Ś Ź ś ź) in Windows-1250, and ą Ą ś Ś ź Ź sit at different
// codes (ISO B1 A1 B6 A6 BC AC; CP1250 B9 A5 9C 8C 9F 8F). A tie is ISO-8859-2.
Charset DetectCharset(std::string_view bytes);

// `bytes` in `from` as UTF-8 (a UTF-8 BOM is dropped; ill-formed UTF-8 sequences
// become U+FFFD). Never fails.
std::string ToUtf8(std::string_view bytes, Charset from);

}  // namespace bramka::ingest::ftp
