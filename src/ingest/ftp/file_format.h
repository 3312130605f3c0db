#pragma once
// The "SMS via FTP" file format (spec §8), parsed by one pure function: bytes in,
// lines out. No I/O, no clock; fuzzed by tests/fuzz/ingest_ftp_file_fuzz.cc.
//
// A file is `.txt` or `.csv`, at most 5 MB, in UTF-8, ISO-8859-2 or Windows-1250
// (detected, charset.h). Each non-empty line is either a message row
//   NUMER;WIADOMOSC;NAZWA_NADAWCY;POLSKIE_ZNAKI
// (separator `;` `,` `:` or TAB, the first of them after the number; sender and
// POLSKIE_ZNAKI optional; empty sender = ECO; POLSKIE_ZNAKI `1` = send with Polish
// characters, which needs a sender; otherwise the text is transliterated by core),
// or, when every line holds only numbers, a "numbers-only" file: one or more numbers
// per line, each sent the source's configured text.
// Fields may be double-quoted as in CSV ("" inside quotes is one quote).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ftp/charset.h"

namespace bramka::ingest::ftp {

inline constexpr size_t kMaxFileBytes = 5 * 1024 * 1024;  // spec §8
inline constexpr size_t kMaxTextChars = 918;              // 6 concatenated GSM-7 parts
inline constexpr size_t kMaxFilesPerDirectory = 500;      // spec §8

// Whether a directory entry is a file to process (`.txt` / `.csv`, any case).
bool IsInputFileName(std::string_view name);

struct FileOptions {
  std::string numbers_text;    // the text of numbers-only files ("" = such files are refused)
  std::string numbers_sender;  // their sender ("" = ECO)
};

struct FileLine {
  enum class Kind { kMessage, kHeader, kError };
  Kind kind = Kind::kMessage;
  int line = 0;        // 1-based line number in the file
  int column = 0;      // 0-based: which number of the line (numbers-only files), else 0
  std::string phone;   // as written (core normalises it)
  std::string text;    // UTF-8
  std::string sender;  // "" = ECO
  bool utf = false;    // POLSKIE_ZNAKI = 1
  std::string error;   // kError: what is wrong, for the result file
};

struct ParsedFile {
  Charset charset = Charset::kUtf8;
  bool numbers_only = false;
  std::vector<FileLine> lines;  // in file order; empty lines are not listed
};

// Never fails: every problem is a kError line naming it, so the good lines of a file
// are sent and the bad ones reported. `bytes` larger than kMaxFileBytes are the
// caller's to refuse.
ParsedFile ParseFile(std::string_view bytes, const FileOptions& options);

}  // namespace bramka::ingest::ftp
