#include "ingest/ftp/file_format.h"

#include <algorithm>
#include <cctype>

namespace bramka::ingest::ftp {
namespace {

constexpr std::string_view kSeparators = ";,:\t";

bool IsSeparator(char c) { return kSeparators.find(c) != std::string_view::npos; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "+48 500-600-700", "500600700": digits with optional '+', spaces and dashes.
bool LooksLikeNumber(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int digits = 0;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  return digits >= 3 && digits <= 20;
}

// A sender name column: empty (ECO) or 1..11 visible characters without leading or
// trailing blanks (a text continuing after a separator usually starts with a blank).
bool LooksLikeSender(std::string_view s) {
  if (s.empty()) return true;
  if (s.size() > 16 || s.front() == ' ' || s.back() == ' ') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '.' || c == '-' ||
           c == '_' || c == '&' || c == '+';
  });
}

struct Field {
  std::string value;
  bool quoted = false;
};

// Splits on `sep` (or any separator when sep == 0), honouring CSV double quotes.
std::vector<Field> Split(std::string_view line, char sep) {
  std::vector<Field> out;
  Field cur;
  bool in_quotes = false;
  bool at_start = true;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur.value.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        cur.value.push_back(c);
      }
      continue;
    }
    if (sep == 0 ? IsSeparator(c) : c == sep) {
      out.push_back(std::move(cur));
      cur = Field{};
      at_start = true;
      continue;
    }
    if (c == '"' && at_start && Trim(cur.value).empty()) {
      cur.value.clear();
      cur.quoted = true;
      in_quotes = true;
      at_start = false;
      continue;
    }
    at_start = false;
    cur.value.push_back(c);
  }
  out.push_back(std::move(cur));
  return out;
}

size_t CountCodePoints(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

// The separator of a message row: the first separator character outside quotes.
char RowSeparator(std::string_view line) {
  bool in_quotes = false;
  for (char c : line) {
    if (c == '"') in_quotes = !in_quotes;
    if (!in_quotes && IsSeparator(c)) return c;
  }
  return 0;
}

bool IsHeader(std::string_view first_field) {
  std::string upper;
  for (char c : Trim(first_field))
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return upper == "NUMER" || upper == "NUMBER" || upper == "TELEFON" || upper == "PHONE";
}

FileLine ErrorLine(int number, std::string phone, std::string error) {
  FileLine l;
  l.kind = FileLine::Kind::kError;
  l.line = number;
  l.phone = std::move(phone);
  l.error = std::move(error);
  return l;
}

FileLine ParseRow(std::string_view line, int number) {
  const char sep = RowSeparator(line);
  std::vector<Field> f = Split(line, sep == 0 ? ';' : sep);
  const std::string phone(Trim(f[0].value));
  if (!LooksLikeNumber(phone)) {
    if (number == 1 && IsHeader(f[0].value)) {
      FileLine h;
      h.kind = FileLine::Kind::kHeader;
      h.line = number;
      return h;
    }
    return ErrorLine(number, phone, "the first column is not a phone number");
  }
  if (f.size() < 2) return ErrorLine(number, phone, "no message text after the number");
  // Columns after the number; the text may itself contain the separator, so the
  // optional sender and POLSKIE_ZNAKI columns are recognised from the right.
  std::vector<Field> rest(f.begin() + 1, f.end());
  std::string sender;
  std::string polish;
  size_t text_end = rest.size();
  auto sender_like = [](const Field& x) { return x.quoted || LooksLikeSender(x.value); };
  auto flag_like = [](const Field& x) {
    const auto v = Trim(x.value);
    return v.empty() || v == "0" || v == "1";
  };
  if (rest.size() >= 3 && flag_like(rest.back()) && sender_like(rest[rest.size() - 2])) {
    polish = std::string(Trim(rest.back().value));
    sender = std::string(Trim(rest[rest.size() - 2].value));
    text_end = rest.size() - 2;
  } else if (rest.size() >= 2 && sender_like(rest.back())) {
    sender = std::string(Trim(rest.back().value));
    text_end = rest.size() - 1;
  }
  std::string text;
  for (size_t i = 0; i < text_end; ++i) {
    if (i > 0) text.push_back(sep);
    text += rest[i].value;
  }
  if (Trim(text).empty()) return ErrorLine(number, phone, "empty message text");
  if (CountCodePoints(text) > kMaxTextChars) {
    return ErrorLine(number, phone, "message text longer than 918 characters");
  }
  if (polish == "1" && sender.empty()) {
    return ErrorLine(number, phone, "POLSKIE_ZNAKI=1 needs a sender name (3rd column)");
  }
  FileLine l;
  l.line = number;
  l.phone = phone;
  l.text = std::move(text);
  l.sender = std::move(sender);
  l.utf = polish == "1";
  return l;
}

}  // namespace

bool IsInputFileName(std::string_view name) {
  if (name.size() < 5) return false;
  std::string ext;
  for (char c : name.substr(name.size() - 4))
    ext.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return ext == ".txt" || ext == ".csv";
}

ParsedFile ParseFile(std::string_view bytes, const FileOptions& options) {
  ParsedFile out;
  out.charset = DetectCharset(bytes);
  const std::string text = ToUtf8(bytes, out.charset);

  struct RawLine {
    int number;
    std::string_view body;
  };
  std::vector<RawLine> lines;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++number;
    std::string_view body(text.data() + start, end - start);
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    if (!Trim(body).empty()) lines.push_back({number, body});
    if (end == text.size()) break;
    start = end + 1;
  }

  // Numbers-only: every field of every line is a number (or empty).
  out.numbers_only = !lines.empty();
  for (const auto& l : lines) {
    bool any = false;
    for (const auto& f : Split(l.body, 0)) {
      if (Trim(f.value).empty()) continue;
      if (!LooksLikeNumber(f.value)) {
        out.numbers_only = false;
        break;
      }
      any = true;
    }
    if (!any) out.numbers_only = false;
    if (!out.numbers_only) break;
  }

  for (const auto& l : lines) {
    if (!out.numbers_only) {
      out.lines.push_back(ParseRow(l.body, l.number));
      continue;
    }
    int column = 0;
    for (const auto& f : Split(l.body, 0)) {
      const std::string phone(Trim(f.value));
      if (phone.empty()) continue;
      FileLine fl;
      if (options.numbers_text.empty()) {
        fl = ErrorLine(l.number, phone,
                       "a numbers-only file, but the FTP source has no text for it (--text)");
      } else {
        fl.line = l.number;
        fl.phone = phone;
        fl.text = options.numbers_text;
        fl.sender = options.numbers_sender;
      }
      fl.column = column++;
      out.lines.push_back(std::move(fl));
    }
  }
  return out;
}

}  // namespace bramka::ingest::ftp
