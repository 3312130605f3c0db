#include "api/http/request.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <unordered_map>

#include "api/http/text_util.h"
#include "core/failure.h"
#include "sms/ucs2.h"
#include "sms/utf8.h"

namespace bramka::api::http {
namespace {

// ---- path -------------------------------------------------------------------

struct Alias {
  std::string_view from;
  std::string_view to;
};
// Spec §1.2: aliases real clients send (Symfony bundle 2.x, Node client).
constexpr Alias kAliases[] = {
    {"messages/received", "messages/recived"},
    {"messages/sendNd", "messages/send_nd"},
    {"messages/sendNdi", "messages/send_ndi"},
};

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsAsciiLower(s.substr(s.size() - suffix.size()), suffix);
}

// ---- percent decoding -----------------------------------------------------------

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsHexAt(std::string_view s, size_t i) { return i < s.size() && HexValue(s[i]) >= 0; }

// Standard reading: `%XX` is a byte. Sets *suspicious when an escape yields
// a control byte 0x10-0x17 (the first two digits of the Bash `%1XY` form).
std::string StandardDecode(std::string_view in, bool plus_is_space, bool* suspicious) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && IsHexAt(in, i + 1) && IsHexAt(in, i + 2)) {
      const int byte = HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]);
      if (byte >= 0x10 && byte <= 0x17) *suspicious = true;
      out.push_back(static_cast<char>(byte));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The Bash client's reading (spec §12.8): escapes are code points, printed in
// hex without padding: `%F3` = U+00F3 'ó', `%17C` = U+017C 'ż'.
std::string CodePointDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size() + 8);
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && IsHexAt(in, i + 1) && IsHexAt(in, i + 2)) {
      const int hi = HexValue(in[i + 1]);
      const int mid = HexValue(in[i + 2]);
      if (hi == 1 && mid <= 7 && IsHexAt(in, i + 3)) {
        // U+0100..U+017F (Latin Extended-A): three digits.
        sms::AppendUtf8(&out, static_cast<char32_t>(0x100 + mid * 16 + HexValue(in[i + 3])));
        i += 3;
      } else {
        sms::AppendUtf8(&out, static_cast<char32_t>(hi * 16 + mid));
        i += 2;
      }
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// ---- PHP bracket notation ---------------------------------------------------------

// Builds a form's parameters. Nodes are heap-allocated so `[]` appends and
// lookups stay O(1) however many entries a list has.
struct FormNode {
  bool leaf = true;
  std::string value;
  std::vector<std::pair<std::string, std::unique_ptr<FormNode>>> children;
  std::unordered_map<std::string, size_t> index;
  int64_t next_index = 0;

  void MakeContainer() {
    if (leaf) {
      leaf = false;
      value.clear();
    }
  }

  // The child for `segment` (empty = append), created if missing.
  FormNode* Child(const std::string& segment) {
    std::string key = segment;
    if (key.empty()) {
      key = std::to_string(next_index++);
    } else if (auto v = CanonicalIndex(key)) {
      next_index = std::max(next_index, *v + 1);
    }
    auto it = index.find(key);
    if (it != index.end()) return children[it->second].second.get();
    index.emplace(key, children.size());
    children.emplace_back(std::move(key), std::make_unique<FormNode>());
    return children.back().second.get();
  }

  // "0" or [1-9][0-9]* that fits comfortably in int64.
  static std::optional<int64_t> CanonicalIndex(std::string_view s) {
    if (s.empty() || s.size() > 15) return std::nullopt;
    if (s.size() > 1 && s[0] == '0') return std::nullopt;
    int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  }
};

// Splits `messages[0][phone]` into {"messages", "0", "phone"}. Like PHP, text
// after the last ']' that does not open another bracket is ignored, and a '['
// without a ']' makes the whole key literal.
Result<std::vector<std::string>> SplitBracketKey(const std::string& key) {
  std::vector<std::string> segments;
  const size_t open = key.find('[');
  if (open == 0) {
    segments.emplace_back();  // no base name: dropped, as PHP does
    return segments;
  }
  if (open == std::string::npos || key.find(']', open) == std::string::npos) {
    segments.push_back(key);
    return segments;
  }
  segments.push_back(key.substr(0, open));
  size_t pos = open;
  while (pos < key.size() && key[pos] == '[') {
    const size_t close = key.find(']', pos + 1);
    if (close == std::string::npos) break;
    segments.push_back(key.substr(pos + 1, close - pos - 1));
    if (segments.size() > static_cast<size_t>(kMaxParamDepth)) {
      return InvalidData("parameter '" + segments[0] + "' is nested too deeply");
    }
    pos = close + 1;
  }
  return segments;
}

Result<void> InsertField(FormNode& root, const std::string& key, std::string value) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> segments, SplitBracketKey(key));
  if (segments.empty() || segments[0].empty()) return Ok();  // PHP drops nameless fields
  FormNode* node = &root;
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    node = node->Child(segments[i]);
    node->MakeContainer();
  }
  FormNode* target = node->Child(segments.back());
  target->leaf = true;
  target->value = std::move(value);
  target->children.clear();
  target->index.clear();
  target->next_index = 0;
  return Ok();
}

ParamTree ToTree(const FormNode& node, bool is_root) {
  if (node.leaf && !is_root) return node.value;
  bool all_indices = !is_root && !node.children.empty();
  for (const auto& [key, child] : node.children) {
    if (!FormNode::CanonicalIndex(key)) {
      all_indices = false;
      break;
    }
  }
  if (all_indices) {
    std::vector<std::pair<int64_t, const FormNode*>> ordered;
    ordered.reserve(node.children.size());
    for (const auto& [key, child] : node.children) {
      ordered.emplace_back(*FormNode::CanonicalIndex(key), child.get());
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    ParamTree array = ParamTree::array();
    for (const auto& [i, child] : ordered) array.push_back(ToTree(*child, false));
    return array;
  }
  ParamTree object = ParamTree::object();
  for (const auto& [key, child] : node.children) object[key] = ToTree(*child, false);
  return object;
}

// ---- multipart ------------------------------------------------------------------

// The value of parameter `name` in a header such as
// `form-data; name="phone[]"; filename="a.txt"` (case-insensitive name).
std::optional<std::string> HeaderParam(std::string_view header, std::string_view name) {
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = Trim(header.substr(pos, end - pos));
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos && AsciiLower(Trim(item.substr(0, eq))) == name) {
      std::string_view v = Trim(item.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"') {
        // Quoted: read to the closing quote, honouring backslash escapes.
        // (A ';' inside quotes was split above; rejoin from the raw header.)
        const size_t start = header.find('"', pos) + 1;
        std::string out;
        for (size_t i = start; i < header.size(); ++i) {
          if (header[i] == '\\' && i + 1 < header.size()) {
            out.push_back(header[++i]);
          } else if (header[i] == '"') {
            return out;
          } else {
            out.push_back(header[i]);
          }
        }
        return out;
      }
      return std::string(v);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

// Skips one line break (CRLF or a bare LF) at *pos if there is one.
void SkipLineBreak(std::string_view s, size_t* pos) {
  if (*pos < s.size() && s[*pos] == '\r') ++*pos;
  if (*pos < s.size() && s[*pos] == '\n') ++*pos;
}

// The part's name, and for file parts its filename and Content-Type.
struct PartHeaders {
  std::optional<std::string> name;
  std::optional<std::string> filename;
  std::string content_type;
};

PartHeaders ReadPartHeaders(std::string_view headers) {
  PartHeaders out;
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t end = headers.find('\n', pos);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      const std::string header = AsciiLower(Trim(line.substr(0, colon)));
      if (header == "content-disposition") {
        out.name = HeaderParam(line.substr(colon + 1), "name");
        out.filename = HeaderParam(line.substr(colon + 1), "filename");
      } else if (header == "content-type") {
        out.content_type = std::string(Trim(line.substr(colon + 1)));
      }
    }
    pos = end + 1;
  }
  return out;
}

// ---- JSON -----------------------------------------------------------------------

// nlohmann's parser is iterative, but copying and destroying a tree recurse:
// refuse deep nesting before parsing.
bool NestingWithinLimit(std::string_view s) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxParamDepth + 1) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

// httpio (session 13): the common body, a flat object of plain strings, small integers,
// booleans and nulls ({"phone":"48500100200","text":"..."}), read in one pass into the
// tree nlohmann::json::parse builds for it (the same value types; a repeated key keeps its
// last value, as nlohmann's DOM parser does). Anything else — an escape, a byte outside
// printable ASCII, a nested value, a fraction or exponent, a number of 19 digits or more,
// and every malformed body — returns false and takes nlohmann's parser, so accepted input,
// the tree and every error are nlohmann's. nlohmann's lexer copies each character twice
// (into its token buffer and its error context); this path allocates only the tree.
class FlatJson {
 public:
  explicit FlatJson(std::string_view s) : s_(s) {}

  bool Parse(ParamTree& out) {
    out = ParamTree::object();
    SkipSpace();
    if (!Eat('{')) return false;
    SkipSpace();
    if (Eat('}')) return AtEnd();
    while (true) {
      std::string_view key;
      if (!String(key)) return false;
      SkipSpace();
      if (!Eat(':')) return false;
      SkipSpace();
      ParamTree& slot = out[std::string(key)];
      if (!Value(slot)) return false;
      SkipSpace();
      if (Eat(',')) {
        SkipSpace();
        continue;
      }
      if (Eat('}')) return AtEnd();
      return false;
    }
  }

 private:
  bool AtEnd() {
    SkipSpace();
    return pos_ == s_.size();
  }
  // JSON's whitespace (RFC 8259), which is what nlohmann skips.
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // A string of printable ASCII without escapes.
  bool String(std::string_view& out) {
    if (!Eat('"')) return false;
    const size_t start = pos_;
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        out = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      ++pos_;
    }
    return false;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool Value(ParamTree& out) {
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (c == '"') {
      std::string_view text;
      if (!String(text)) return false;
      out = std::string(text);
      return true;
    }
    if (c == 't') {
      out = true;
      return Literal("true");
    }
    if (c == 'f') {
      out = false;
      return Literal("false");
    }
    if (c == 'n') {
      out = nullptr;
      return Literal("null");
    }
    return Integer(out);
  }
  // -?(0|[1-9][0-9]*), at most 18 digits, not followed by a fraction or an exponent:
  // nlohmann makes it a number_unsigned, or a number_integer with a minus sign.
  bool Integer(ParamTree& out) {
    const bool negative = Eat('-');
    const size_t start = pos_;
    uint64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      v = v * 10 + static_cast<uint64_t>(s_[pos_] - '0');
      ++pos_;
    }
    const size_t digits = pos_ - start;
    if (digits == 0 || digits > 18 || (digits > 1 && s_[start] == '0')) return false;
    if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) return false;
    if (negative) {
      out = -static_cast<int64_t>(v);
    } else {
      out = v;
    }
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// ---- typed access helpers -------------------------------------------------------------

std::string Quoted(std::string_view key) { return "'" + std::string(key) + "'"; }

std::optional<int64_t> ParseDecimal(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Appends the list entries a scalar contributes (comma-separated, trimmed).
Result<void> AppendListEntries(const ParamTree& v, std::string_view key,
                               std::vector<std::string>& out) {
  if (v.is_null()) return Ok();
  std::string text;
  if (v.is_string()) {
    text = v.get<std::string>();
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    text = v.dump();
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!(std::abs(d) < 9e15) || d != std::floor(d)) {
      return InvalidData("parameter " + Quoted(key) + " must hold strings or integers");
    }
    text = std::to_string(static_cast<int64_t>(d));
  } else {
    return InvalidData("parameter " + Quoted(key) + " must be a string or a list of strings");
  }
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string_view entry = Trim(std::string_view(text).substr(pos, comma - pos));
    if (!entry.empty()) out.emplace_back(entry);
    pos = comma + 1;
  }
  return Ok();
}

}  // namespace

Error InvalidData(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message),
                   static_cast<int>(core::Failure::kInvalidParameter));
}

// ---- path -------------------------------------------------------------------

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  const size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

Route ParseRoute(std::string_view path) {
  std::string p;
  p.reserve(path.size());
  for (char c : path) {
    if (c == '/' && (p.empty() || p.back() == '/')) continue;
    p.push_back(c);
  }
  while (!p.empty() && p.back() == '/') p.pop_back();

  Route route;
  if (EndsWithNoCase(p, ".json")) {
    p.resize(p.size() - 5);
  } else if (EndsWithNoCase(p, ".xml")) {
    p.resize(p.size() - 4);
    route.format = Format::kXml;
  }
  while (!p.empty() && p.back() == '/') p.pop_back();

  for (const Alias& alias : kAliases) {
    if (p == alias.from) p = std::string(alias.to);
  }
  if (p == "error") {
    route.action = "error";
  } else if (p.rfind("error/", 0) == 0) {
    route.action = "error";
    route.path_param = p.substr(6);
  } else {
    route.action = std::move(p);
  }
  return route;
}

// ---- bodies -----------------------------------------------------------------

std::string PercentDecode(std::string_view in, bool plus_is_space) {
  if (in.find('%') == std::string_view::npos) {
    std::string out(in);
    if (plus_is_space) std::replace(out.begin(), out.end(), '+', ' ');
    return out;
  }
  bool suspicious = false;
  std::string standard = StandardDecode(in, plus_is_space, &suspicious);
  if (!suspicious && sms::IsValidUtf8(standard)) return standard;
  return CodePointDecode(in, plus_is_space);
}

Result<ParamTree> DecodeForm(std::string_view body) {
  FormNode root;
  root.leaf = false;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true);
    std::string value = eq == std::string_view::npos
                            ? std::string()
                            : PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true);
    BRAMKA_RETURN_IF_ERROR(InsertField(root, key, std::move(value)));
  }
  return ToTree(root, /*is_root=*/true);
}

Result<ParamTree> DecodeJson(std::string_view body) {
  std::string_view trimmed = Trim(body);
  if (trimmed.empty()) return ParamTree::object();
  ParamTree tree;
  if (FlatJson(trimmed).Parse(tree)) return tree;
  if (!NestingWithinLimit(trimmed)) return InvalidData("JSON body is nested too deeply");
  try {
    tree = ParamTree::parse(trimmed);
  } catch (const ParamTree::exception& e) {
    // nlohmann reports the byte offset, which helps a client find its bug.
    return InvalidData(std::string("malformed JSON body: ") + e.what());
  }
  if (!tree.is_object()) return InvalidData("JSON body must be an object");
  return tree;
}

Result<ParamTree> DecodeMultipart(std::string_view content_type, std::string_view body,
                                  std::vector<UploadedFile>* files) {
  std::optional<std::string> boundary = HeaderParam(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) {
    return InvalidData("multipart body without a boundary");
  }
  const std::string delimiter = "--" + *boundary;
  FormNode root;
  root.leaf = false;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return InvalidData("multipart body without parts");
  pos += delimiter.size();
  while (true) {
    if (body.substr(pos, 2) == "--") break;  // the closing delimiter
    // Transport padding after the delimiter, then the line break.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    SkipLineBreak(body, &pos);
    size_t headers_end = body.find("\r\n\r\n", pos);
    size_t content_start = headers_end + 4;
    const size_t lf_end = body.find("\n\n", pos);
    if (lf_end != std::string_view::npos &&
        (headers_end == std::string_view::npos || lf_end < headers_end)) {
      headers_end = lf_end;
      content_start = lf_end + 2;
    }
    if (headers_end == std::string_view::npos) return InvalidData("truncated multipart body");
    const size_t next = body.find(delimiter, content_start);
    if (next == std::string_view::npos) return InvalidData("truncated multipart body");
    size_t content_end = next;
    if (content_end > content_start && body[content_end - 1] == '\n') --content_end;
    if (content_end > content_start && body[content_end - 1] == '\r') --content_end;
    PartHeaders part = ReadPartHeaders(body.substr(pos, headers_end - pos));
    if (part.name) {
      BRAMKA_RETURN_IF_ERROR(InsertField(
          root, *part.name, std::string(body.substr(content_start, content_end - content_start))));
      if (files != nullptr && part.filename) {
        files->push_back(UploadedFile{*part.name, *part.filename, part.content_type});
      }
    }
    pos = next + delimiter.size();
  }
  return ToTree(root, /*is_root=*/true);
}

Result<ParamTree> DecodeParameters(std::string_view content_type, std::string_view body,
                                   std::string_view query, std::vector<UploadedFile>* files) {
  const size_t semi = content_type.find(';');
  const std::string_view media = Trim(content_type.substr(0, semi));
  const std::string_view trimmed = Trim(body);

  ParamTree tree;
  if (EqualsAsciiLower(media, "multipart/form-data")) {
    BRAMKA_ASSIGN_OR_RETURN(tree, DecodeMultipart(content_type, body, files));
  } else if (!trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
    BRAMKA_ASSIGN_OR_RETURN(tree, DecodeJson(trimmed));
  } else {
    // Raw whitespace cannot be part of a form (it would be encoded): a
    // trailing CRLF some clients append must not end up in the last value.
    BRAMKA_ASSIGN_OR_RETURN(tree, DecodeForm(trimmed));
  }
  if (!Trim(query).empty()) {
    BRAMKA_ASSIGN_OR_RETURN(ParamTree from_query, DecodeForm(query));
    for (auto& [key, value] : from_query.items()) {
      if (!tree.contains(key)) tree[key] = std::move(value);
    }
  }
  return tree;
}

// ---- typed access -----------------------------------------------------------------

Params::Params(ParamTree tree, std::vector<UploadedFile> files)
    : tree_(std::move(tree)), files_(std::move(files)) {
  if (!tree_.is_object()) tree_ = ParamTree::object();
}

const UploadedFile* Params::Upload(std::string_view key) const {
  // The last part of that name wins, as its value did in the tree.
  for (auto it = files_.rbegin(); it != files_.rend(); ++it) {
    if (it->field == key) return &*it;
  }
  return nullptr;
}

Result<std::string> DecodeBase64(std::string_view text) {
  text = Trim(text);
  if (text.substr(0, 5) == "data:") {
    const size_t comma = text.find(',');
    if (comma == std::string_view::npos ||
        text.substr(0, comma).find(";base64") == std::string_view::npos) {
      return InvalidData("a data: URL must be base64 (data:<type>;base64,...)");
    }
    text.remove_prefix(comma + 1);
  }
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=') {
      ++padding;
      continue;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    } else {
      return InvalidData("file is not valid base64");
    }
    if (padding > 0) return InvalidData("file is not valid base64 (data after '=')");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6 || padding > 2) return InvalidData("file is not valid base64 (bad length)");
  return out;
}

const ParamTree* Params::Find(std::string_view key) const {
  auto it = tree_.find(key);  // (std::less<>: no std::string built per lookup)
  if (it == tree_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool Params::Has(std::string_view key) const { return Find(key) != nullptr; }

Result<std::optional<std::string>> Params::GetString(std::string_view key) const {
  const ParamTree* v = Find(key);
  if (v == nullptr) return std::optional<std::string>();
  if (v->is_string()) return std::optional<std::string>(v->get<std::string>());
  if (v->is_boolean()) return std::optional<std::string>(v->get<bool>() ? "1" : "0");
  if (v->is_number()) return std::optional<std::string>(v->dump());
  return InvalidData("parameter " + Quoted(key) + " must be a string");
}

Result<std::optional<bool>> Params::GetBool(std::string_view key) const {
  const ParamTree* v = Find(key);
  if (v == nullptr) return std::optional<bool>();
  if (v->is_boolean()) return std::optional<bool>(v->get<bool>());
  if (v->is_number()) return std::optional<bool>(v->get<double>() != 0.0);
  if (v->is_string()) {
    const std::string s = AsciiLower(Trim(v->get_ref<const std::string&>()));
    if (s == "true" || s == "1" || s == "yes" || s == "on") return std::optional<bool>(true);
    if (s.empty() || s == "false" || s == "0" || s == "no" || s == "off") {
      return std::optional<bool>(false);
    }
  }
  return InvalidData("parameter " + Quoted(key) + " must be a boolean (true/false/1/0)");
}

Result<std::optional<int64_t>> Params::GetInt(std::string_view key) const {
  const ParamTree* v = Find(key);
  if (v == nullptr) return std::optional<int64_t>();
  // (is_number_integer() is also true for unsigned values: test those first.)
  if (v->is_number_unsigned()) {
    const uint64_t u = v->get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::optional<int64_t>(static_cast<int64_t>(u));
    }
  } else if (v->is_number_integer()) {
    return std::optional<int64_t>(v->get<int64_t>());
  } else if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::abs(d) < 9e15 && d == std::floor(d)) {
      return std::optional<int64_t>(static_cast<int64_t>(d));
    }
  } else if (v->is_string()) {
    const std::string_view s = Trim(v->get_ref<const std::string&>());
    if (s.empty()) return std::optional<int64_t>();
    if (auto parsed = ParseDecimal(s)) return std::optional<int64_t>(*parsed);
  }
  return InvalidData("parameter " + Quoted(key) + " must be an integer");
}

Result<std::vector<std::string>> Params::GetList(std::string_view key) const {
  std::vector<std::string> out;
  const ParamTree* v = Find(key);
  if (v == nullptr) return out;
  if (v->is_array() || v->is_object()) {
    for (const auto& element : *v) BRAMKA_RETURN_IF_ERROR(AppendListEntries(element, key, out));
  } else {
    BRAMKA_RETURN_IF_ERROR(AppendListEntries(*v, key, out));
  }
  return out;
}

}  // namespace bramka::api::http
