#include "app/toml_tables.h"

#include <cctype>
#include <sstream>

namespace bramka::app {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool IsHeader(const std::string& line) {
  std::string t = Trim(line);
  return !t.empty() && t[0] == '[';
}

bool IsBlankOrComment(const std::string& line) {
  std::string t = Trim(line);
  return t.empty() || t[0] == '#';
}

// The key of a `key = value` line, or "".
std::string KeyOf(const std::string& line) {
  std::string t = Trim(line);
  size_t eq = t.find('=');
  if (t.empty() || t[0] == '#' || eq == std::string::npos) return "";
  return Trim(t.substr(0, eq));
}

// The value of a `name = "x"` / `name = 'x'` line.
std::string StringValue(const std::string& line) {
  std::string v = Trim(line.substr(line.find('=') + 1));
  if (v.size() < 2 || (v[0] != '"' && v[0] != '\'')) return "";
  const char q = v[0];
  std::string out;
  for (size_t i = 1; i < v.size(); ++i) {
    if (v[i] == q) return out;
    if (q == '"' && v[i] == '\\' && i + 1 < v.size()) ++i;
    out += v[i];
  }
  return "";
}

}  // namespace

std::vector<TomlBlock> FindTomlBlocks(const std::string& text, const std::string& table) {
  const std::vector<std::string> lines = Lines(text);
  const std::string header = "[[" + table + "]]";
  std::vector<TomlBlock> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string t = Trim(lines[i]);
    if (t.rfind(header, 0) != 0) continue;
    std::string rest = Trim(t.substr(header.size()));
    if (!rest.empty() && rest[0] != '#') continue;
    TomlBlock b;
    b.begin = i;
    size_t j = i + 1;
    while (j < lines.size() && !IsHeader(lines[j])) ++j;
    while (j > i + 1 && IsBlankOrComment(lines[j - 1]) && j < lines.size()) --j;
    b.end = j;
    for (size_t k = i + 1; k < j; ++k) {
      if (KeyOf(lines[k]) == "name") b.name = StringValue(lines[k]);
    }
    out.push_back(b);
  }
  return out;
}

std::string RemoveTomlBlock(const std::string& text, const TomlBlock& block) {
  std::vector<std::string> lines = Lines(text);
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(block.begin),
              lines.begin() + static_cast<std::ptrdiff_t>(block.end));
  return Join(lines);
}

std::string SetTomlKey(const std::string& text, const TomlBlock& block, const std::string& key,
                       const std::string& value) {
  std::vector<std::string> lines = Lines(text);
  const std::string line = key + " = " + value;
  size_t last_key = block.begin;
  for (size_t k = block.begin + 1; k < block.end; ++k) {
    if (KeyOf(lines[k]) == key) {
      lines[k] = line;
      return Join(lines);
    }
    if (!IsBlankOrComment(lines[k])) last_key = k;
  }
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(last_key + 1), line);
  return Join(lines);
}

std::string TomlQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace bramka::app
