// Fuzz target: the SMS-via-FTP file parser (src/ingest/ftp/file_format.h) and the
// charset detection under it.
// Properties: parsing never crashes; every listed line has a positive line number
// in order; message lines have a phone and a non-empty text of at most 918
// characters; error lines say what is wrong; converted text is valid UTF-8
// (parsing it again detects UTF-8).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "ingest/ftp/charset.h"
#include "ingest/ftp/file_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::ingest::ftp;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const ParsedFile f = ParseFile(input, FileOptions{size % 2 ? "text" : "", ""});
  int last = 0;
  for (const FileLine& l : f.lines) {
    BRAMKA_CHECK(l.line >= last && l.line > 0);
    last = l.line;
    if (l.kind == FileLine::Kind::kMessage) {
      BRAMKA_CHECK(!l.phone.empty() && !l.text.empty());
      size_t chars = 0;
      for (unsigned char c : l.text) chars += (c & 0xC0) != 0x80;
      BRAMKA_CHECK(chars <= kMaxTextChars);
      BRAMKA_CHECK(DetectCharset(l.text) == Charset::kUtf8);
    }
    if (l.kind == FileLine::Kind::kError) BRAMKA_CHECK(!l.error.empty());
  }
  BRAMKA_CHECK(DetectCharset(ToUtf8(input, DetectCharset(input))) == Charset::kUtf8);
  return 0;
}
