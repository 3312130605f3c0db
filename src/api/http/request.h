#pragma once
// Decoding of API v2 requests (spec §1.2, §1.3, §12): the path into an action
// and a response format, and every body encoding real clients send into ONE
// uniform parameter tree, read through lenient typed accessors.
//
// Pure: no I/O, no clocks, no globals. Thread-safe (no shared state).
//
// Errors: every failure is Error{kInvalidArgument, <English detail>,
// core::Failure::kInvalidParameter}, which api/http/errors.cc maps to API
// error 1006 InvalidData ("invalid data format", spec §2.2).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/format.h"
#include "common/result.h"

namespace bramka::api::http {

// The decoded parameters. Objects use nlohmann::json (sorted std::map, so
// that a hostile body with a million keys parses in n log n); lists are arrays.
using ParamTree = nlohmann::json;

// Nesting deeper than this (JSON or PHP brackets) is refused as 1006.
inline constexpr int kMaxParamDepth = 32;

// ---- path -------------------------------------------------------------------

struct Route {
  // "group/action" after normalisation and aliasing, e.g. "messages/send_sms";
  // "error" for `error/{code}`; empty for an empty path.
  std::string action;
  std::string path_param;  // error/{code}: the code text (may be empty)
  Format format = Format::kJson;
};

// Splits an HTTP request-target ("/a/b.json?x=1") into path and query.
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target);

// Normalises a path (spec §1.2): collapses repeated '/', strips leading and
// trailing '/', strips one `.json`/`.xml` suffix (any case) and records the
// format, and maps the aliases messages/received -> messages/recived,
// messages/sendNd -> messages/send_nd, messages/sendNdi -> messages/send_ndi.
// Case is otherwise preserved (the aliases are case-sensitive).
Route ParseRoute(std::string_view path);

// ---- bodies -----------------------------------------------------------------

// Percent-decodes a form component. With `plus_is_space` '+' becomes ' '.
// Tolerates the Bash client's broken encoder (spec §12.8): when the standard
// reading is not valid UTF-8, or yields a control byte 0x10-0x17 (which no
// sane client sends, but which is how `%17C` reads), the value is re-read with
// `%XX` = code point U+00XX and `%1XY` (X in 0-7) = code point U+01XY, which
// covers Latin-1 and Latin Extended-A (every Polish letter). A '%' not
// followed by hex digits stays literal.
std::string PercentDecode(std::string_view in, bool plus_is_space);

// `a=1&b[]=2&c[0][d]=3` with PHP bracket notation to kMaxParamDepth levels.
// Empty pairs (a trailing '&') are skipped; a key without '=' gets "". Keys
// are percent-decoded before their brackets are read (Node's `qs` sends
// `phone%5B0%5D`). Containers whose keys are all non-negative integers
// become arrays ordered by index; `[]` appends after the largest index.
// A later plain value replaces an earlier one of the same key (PHP).
Result<ParamTree> DecodeForm(std::string_view body);

// A JSON body; must be an object. Empty or whitespace-only -> {}.
Result<ParamTree> DecodeJson(std::string_view body);

// A file part of a multipart/form-data body (one with a `filename`). Its bytes
// are the field's value in the tree; this records what the tree cannot.
struct UploadedFile {
  std::string field;         // the part's name as sent, e.g. "file"
  std::string filename;      // from Content-Disposition; may be empty
  std::string content_type;  // the part's Content-Type; may be empty
};

// multipart/form-data; `content_type` carries the boundary. File parts are
// stored like fields (the value is the file's bytes); `name[...]` brackets
// work as in forms. When `files` is given, every file part is listed there.
Result<ParamTree> DecodeMultipart(std::string_view content_type, std::string_view body,
                                  std::vector<UploadedFile>* files = nullptr);

// Decodes a request's parameters: the body by its Content-Type, with
// sniffing (a body that starts with '{' is JSON whatever the header says —
// old .NET clients send JSON as text/plain; a JSON content type with a
// body that does not start with '{' is read as a form), then merges the
// query string's parameters under it (a body key wins, as in PHP's $_REQUEST).
Result<ParamTree> DecodeParameters(std::string_view content_type, std::string_view body,
                                   std::string_view query,
                                   std::vector<UploadedFile>* files = nullptr);

// Base64 as clients send file contents (send_mms `file`, files/add `file`): the
// standard or URL-safe alphabet, padding optional, whitespace ignored, and an
// optional "data:<type>;base64," prefix. kInvalidArgument for anything else.
Result<std::string> DecodeBase64(std::string_view text);

// ---- typed access (spec §1.3) -------------------------------------------------

// Read-only view of a ParamTree with the spec's lenient typing. Absent keys
// and JSON null read as "not given" (std::nullopt / empty list). Unknown keys
// are simply never read.
class Params {
 public:
  Params() : tree_(ParamTree::object()) {}
  explicit Params(ParamTree tree, std::vector<UploadedFile> files = {});

  // True when the key is present and not null.
  bool Has(std::string_view key) const;

  // Strings as they are; numbers as their decimal text; booleans as "1"/"0".
  // Arrays/objects -> 1006.
  Result<std::optional<std::string>> GetString(std::string_view key) const;

  // true/false, 1/0 (any non-zero number is true), and strings "true",
  // "false", "1", "0", "yes", "no", "on", "off" (any case, trimmed) and ""
  // (= false, as PHP reads an empty form field). Anything else -> 1006.
  Result<std::optional<bool>> GetBool(std::string_view key) const;

  // Integers from JSON numbers (integral floats too) or decimal strings
  // (trimmed, optional sign). An empty string reads as absent. -> 1006 else.
  Result<std::optional<int64_t>> GetInt(std::string_view key) const;

  // "String|Array" parameters: a JSON array or bracket list, a single
  // string or number, or a comma-separated string ("500600700,600700800");
  // entries are trimmed (the Bash client's '+' arrives as ' ') and empty
  // entries dropped. Nested arrays/objects inside the list -> 1006.
  Result<std::vector<std::string>> GetList(std::string_view key) const;

  const ParamTree& tree() const { return tree_; }

  // The multipart file part named `key`, if the value of `key` came from one
  // (its bytes are GetString(key)); nullptr otherwise.
  const UploadedFile* Upload(std::string_view key) const;

 private:
  const ParamTree* Find(std::string_view key) const;

  ParamTree tree_;
  std::vector<UploadedFile> files_;
};

// The Error every decoding failure uses (kInvalidArgument, kInvalidParameter).
Error InvalidData(std::string message);

}  // namespace bramka::api::http
