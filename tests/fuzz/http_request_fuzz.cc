// Fuzz target for API v2 request decoding (api/http/request.h): path
// normalisation, every body encoding and the typed accessors, plus the
// response encoders over whatever the decoder produced.
//
// Input layout: line 1 = Content-Type, line 2 = request-target
// ("/messages/send_sms.xml?x=1"), the rest = body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/http/request.h"
#include "api/http/response.h"
#include "api/http/text_util.h"

namespace {

// Value types all the way down (dump() writes 1u and 1 alike).
bool SameTypes(const bramka::api::http::ParamTree& a, const bramka::api::http::ParamTree& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_object()) {
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      if (ia.key() != ib.key() || !SameTypes(*ia, *ib)) return false;
    }
  } else if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameTypes(a[i], b[i])) return false;
    }
  }
  return true;
}

std::string_view TakeLine(std::string_view& in) {
  const size_t nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::api::http;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string_view content_type = TakeLine(in);
  const std::string_view target = TakeLine(in);
  const std::string_view body = in;

  // ADR 0060: DecodeJson's flat-object reader must read exactly what nlohmann reads.
  if (const std::string_view trimmed = Trim(body); !trimmed.empty()) {
    auto mine = DecodeJson(body);
    auto theirs = ParamTree::parse(trimmed, nullptr, /*allow_exceptions=*/false);
    if (mine.ok() && (theirs.is_discarded() || !theirs.is_object() || *mine != theirs ||
                      !SameTypes(*mine, theirs))) {
      __builtin_trap();
    }
    if (!mine.ok() && !theirs.is_discarded() && theirs.is_object() &&
        mine.error().message.find("nested") == std::string::npos) {
      __builtin_trap();
    }
  }

  auto [path, query] = SplitTarget(target);
  const Route route = ParseRoute(path);
  (void)PercentDecode(body, true);

  std::vector<UploadedFile> files;
  auto tree = DecodeParameters(content_type, body, query, &files);
  if (!tree.ok()) {
    (void)RenderXml(ErrorDocument(ApiErrorFor(tree.error())));
    return 0;
  }
  const Params params(*tree, files);
  for (const auto& [key, value] : params.tree().items()) {
    (void)params.Has(key);
    (void)params.Upload(key);
    if (value.is_string()) (void)DecodeBase64(value.get<std::string>());
    (void)params.GetString(key);
    (void)params.GetBool(key);
    (void)params.GetInt(key);
    (void)params.GetList(key);
  }
  // Echo the tree through both encoders, as an answer that repeats client
  // text would.
  const Document echo =
      Document::parse(params.tree().dump(-1, ' ', false, ParamTree::error_handler_t::replace));
  (void)Render(echo, route.format);
  (void)Render(echo, route.format == Format::kXml ? Format::kJson : Format::kXml);
  return 0;
}
