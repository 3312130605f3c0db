#include "sms/receipt.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <utility>

#include "sms/utf8.h"

namespace bramka::sms {
namespace {

constexpr size_t kTextChars = 20;  // SMPP 3.4 Appendix B: "the first 20 characters"

enum class Key { kId, kSub, kDlvrd, kSubmitDate, kDoneDate, kStat, kErr, kText, kCount };

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive match of `word` at s[*pos]; advances *pos on success.
bool Consume(std::string_view s, size_t* pos, std::string_view word) {
  if (s.size() - *pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(s[*pos + i]) != word[i]) return false;
  }
  *pos += word.size();
  return true;
}

// "submit" + (blanks | '_' | nothing) + "date"
bool ConsumeDateKey(std::string_view s, size_t* pos, std::string_view first) {
  size_t p = *pos;
  if (!Consume(s, &p, first)) return false;
  if (p < s.size() && s[p] == '_') {
    ++p;
  } else {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  }
  if (!Consume(s, &p, "date")) return false;
  *pos = p;
  return true;
}

struct KeyMatch {
  Key key;
  size_t value_start;  // just after the colon
};

// Matches "<key>[blanks]:" at s[pos], which the caller has checked is a token start.
std::optional<KeyMatch> MatchKey(std::string_view s, size_t pos) {
  static constexpr std::array<std::pair<std::string_view, Key>, 6> kSimple = {{
      {"id", Key::kId},
      {"dlvrd", Key::kDlvrd},
      {"stat", Key::kStat},
      {"err", Key::kErr},
      {"text", Key::kText},
      {"sub", Key::kSub},
  }};
  size_t p = pos;
  std::optional<Key> key;
  if (ConsumeDateKey(s, &p, "submit")) {
    key = Key::kSubmitDate;
  } else if (ConsumeDateKey(s, &p, "done")) {
    key = Key::kDoneDate;
  } else {
    for (const auto& [word, k] : kSimple) {
      if (Consume(s, &p, word)) {
        key = k;
        break;
      }
    }
  }
  if (!key) return std::nullopt;
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  if (p >= s.size() || s[p] != ':') return std::nullopt;
  return KeyMatch{*key, p + 1};
}

bool AtTokenStart(std::string_view s, size_t pos) { return pos == 0 || IsBlank(s[pos - 1]); }

void ParseCount(std::string_view value, int* out) {
  int parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec == std::errc() && end == value.data() + value.size() && parsed >= 0) *out = parsed;
}

std::string ThreeDigits(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03d", std::clamp(n, 0, 999));
  return buf;
}

// The first `chars` code points of `s` (an invalid byte counts as one character).
std::string_view FirstChars(std::string_view s, size_t chars) {
  size_t pos = 0;
  for (size_t n = 0; n < chars && pos < s.size(); ++n) NextCodePoint(s, &pos);
  return s.substr(0, pos);
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int TwoDigits(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

}  // namespace

std::string FormatReceipt(const DeliveryReceipt& r) {
  std::string out;
  out.reserve(120 + r.id.size());
  out += "id:";
  out += r.id;
  out += " sub:";
  out += ThreeDigits(r.submitted);
  out += " dlvrd:";
  out += ThreeDigits(r.delivered);
  out += " submit date:";
  out += r.submit_date;
  out += " done date:";
  out += r.done_date;
  out += " stat:";
  out += r.stat;
  out += " err:";
  out += r.err;
  out += " Text:";
  out += FirstChars(r.text, kTextChars);
  return out;
}

Result<DeliveryReceipt> ParseReceipt(std::string_view text) {
  DeliveryReceipt r;
  std::array<bool, static_cast<size_t>(Key::kCount)> seen{};
  const auto is_seen = [&](Key k) { return seen[static_cast<size_t>(k)]; };
  size_t pos = 0;
  while (pos < text.size()) {
    if (IsBlank(text[pos])) {
      ++pos;
      continue;
    }
    const std::optional<KeyMatch> match = MatchKey(text, pos);
    if (!match) {  // not a field we know: skip the token
      while (pos < text.size() && !IsBlank(text[pos])) ++pos;
      continue;
    }
    const Key key = match->key;
    size_t value_start = match->value_start;
    size_t value_end;
    if (key == Key::kText) {
      // The text runs to the end, or to the next key not seen yet (then the blanks
      // before that key are separators, not text).
      value_end = text.size();
      for (size_t q = value_start + 1; q < text.size(); ++q) {
        if (!AtTokenStart(text, q) || IsBlank(text[q])) continue;
        const std::optional<KeyMatch> next = MatchKey(text, q);
        if (next && next->key != Key::kText && !is_seen(next->key)) {
          value_end = q;
          while (value_end > value_start && IsBlank(text[value_end - 1])) --value_end;
          break;
        }
      }
      if (value_end == text.size()) {
        while (value_end > value_start && text[value_end - 1] == '\0') --value_end;
      }
    } else {
      while (value_start < text.size() && (text[value_start] == ' ' || text[value_start] == '\t')) {
        ++value_start;
      }
      value_end = value_start;
      // An empty value directly followed by the next key ("err: stat:DELIVRD").
      if (!(AtTokenStart(text, value_start) && MatchKey(text, value_start))) {
        while (value_end < text.size() && !IsBlank(text[value_end])) ++value_end;
      }
    }
    pos = value_end;
    if (is_seen(key)) continue;  // the first occurrence of a field wins
    seen[static_cast<size_t>(key)] = true;
    const std::string_view value = text.substr(value_start, value_end - value_start);
    switch (key) {
      case Key::kId:
        r.id = value;
        break;
      case Key::kSub:
        ParseCount(value, &r.submitted);
        break;
      case Key::kDlvrd:
        ParseCount(value, &r.delivered);
        break;
      case Key::kSubmitDate:
        r.submit_date = value;
        break;
      case Key::kDoneDate:
        r.done_date = value;
        break;
      case Key::kStat:
        r.stat = value;
        for (char& c : r.stat) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        break;
      case Key::kErr:
        r.err = value;
        break;
      case Key::kText:
        r.text = value;
        break;
      case Key::kCount:
        break;
    }
  }
  if (r.id.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "delivery receipt has no id: field");
  }
  if (r.stat.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "delivery receipt has no stat: field");
  }
  return r;
}

std::optional<ReceiptDate> ParseReceiptDate(std::string_view date) {
  if ((date.size() != 10 && date.size() != 12) || !AllDigits(date)) return std::nullopt;
  ReceiptDate d{2000 + TwoDigits(date, 0), TwoDigits(date, 2),
                TwoDigits(date, 4),        TwoDigits(date, 6),
                TwoDigits(date, 8),        date.size() == 12 ? TwoDigits(date, 10) : 0};
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > kDays[d.month - 1]) return std::nullopt;
  const bool leap = d.year % 4 == 0;  // 2000..2099: every fourth year
  if (d.month == 2 && d.day == 29 && !leap) return std::nullopt;
  if (d.hour > 23 || d.minute > 59 || d.second > 60) return std::nullopt;
  return d;
}

}  // namespace bramka::sms
