#include "api/http/personalized.h"

#include <algorithm>

#include "api/http/text_util.h"

namespace bramka::api::http {
namespace {

constexpr std::string_view kSeparator = "]|[";

// Phones as the defective clients send them: trimmed, stray quotes removed.
std::string CleanPhone(std::string_view raw) {
  std::string_view p = Trim(raw);
  while (!p.empty() && p.front() == '"') p.remove_prefix(1);
  while (!p.empty() && p.back() == '"') p.remove_suffix(1);
  return std::string(Trim(p));
}

std::string ScalarText(const ParamTree& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  return "";
}

Result<PersonalizedMessage> FromObject(const ParamTree& entry, size_t index) {
  const std::string where = "messages[" + std::to_string(index) + "]";
  if (!entry.is_object())
    return Fail(InvalidData(where + " must be an object with phone and text"));
  auto phone = entry.find("phone");
  auto text = entry.find("text");
  PersonalizedMessage m;
  if (phone != entry.end()) m.phone = CleanPhone(ScalarText(*phone));
  if (text != entry.end()) m.text = ScalarText(*text);
  if (m.phone.empty()) return Fail(InvalidData(where + " has no phone"));
  if (text == entry.end() || text->is_null()) return Fail(InvalidData(where + " has no text"));
  return m;
}

Result<std::vector<PersonalizedMessage>> FromString(std::string_view all) {
  std::vector<PersonalizedMessage> out;
  size_t index = 0;
  while (true) {
    size_t end = all.find(kSeparator);
    std::string_view entry = all.substr(0, end);
    if (!Trim(entry).empty()) {  // tolerate an empty trailing entry
      size_t colon = entry.find(':');
      const std::string where = "messages entry " + std::to_string(index + 1);
      if (colon == std::string_view::npos) {
        return Fail(InvalidData(where + " is not phone:text"));
      }
      PersonalizedMessage m{CleanPhone(entry.substr(0, colon)),
                            std::string(entry.substr(colon + 1))};
      if (m.phone.empty()) return Fail(InvalidData(where + " has no phone"));
      out.push_back(std::move(m));
    }
    ++index;
    if (end == std::string_view::npos) break;
    all.remove_prefix(end + kSeparator.size());
  }
  return out;
}

}  // namespace

Result<std::vector<PersonalizedMessage>> ParsePersonalizedMessages(const ParamTree& messages) {
  std::vector<PersonalizedMessage> out;
  if (messages.is_string()) {
    const std::string& s = messages.get_ref<const std::string&>();
    // Some clients JSON-encode the array into a string.
    if (!Trim(s).empty() && Trim(s).front() == '[') {
      auto decoded = ParamTree::parse(s, nullptr, /*allow_exceptions=*/false);
      if (!decoded.is_discarded() && decoded.is_array()) return ParsePersonalizedMessages(decoded);
    }
    return FromString(s);
  }
  if (messages.is_array()) {
    for (size_t i = 0; i < messages.size(); ++i) {
      BRAMKA_ASSIGN_OR_RETURN(PersonalizedMessage m, FromObject(messages[i], i));
      out.push_back(std::move(m));
    }
    return out;
  }
  if (messages.is_object()) {  // form brackets with explicit indexes
    // Keys "0", "1", ..., "10": in numeric order, not the object's lexical one.
    std::vector<std::string> keys;
    for (const auto& [key, entry] : messages.items()) keys.push_back(key);
    std::sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    for (size_t i = 0; i < keys.size(); ++i) {
      BRAMKA_ASSIGN_OR_RETURN(PersonalizedMessage m, FromObject(messages[keys[i]], i));
      out.push_back(std::move(m));
    }
    return out;
  }
  return Fail(InvalidData("messages must be a list of phone and text pairs"));
}

}  // namespace bramka::api::http
