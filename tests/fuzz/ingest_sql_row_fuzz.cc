// Fuzz target for what the SQL API reads from customers (ingest/sql, spec §9): the FLAGS
// column of a row, the INDIVIDUAL mapping (whose names are quoted into statements), and
// source URLs. Property: a mapping that MakeLayout accepts yields statements and DDL whose
// identifiers hold only letters, digits and '_' (no way to smuggle SQL through a name).
//
// Input layout: fields separated by '\n': structure, mapping, flags, url.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/sql/layout.h"
#include "ingest/sql/sql_url.h"

namespace {

std::string TakeLine(std::string_view& in) {
  const size_t nl = in.find('\n');
  std::string line(in.substr(0, nl));
  in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
  return line;
}

bool SafeName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::ingest::sql;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string structure = TakeLine(in);
  const std::string mapping = TakeLine(in);
  const std::string flags = TakeLine(in);
  const std::string url(in);

  (void)ParseFlags(flags);
  (void)ParseSqlUrl(url);
  auto layout = MakeLayout(structure, mapping);
  if (layout.ok()) {
    for (const auto& [key, name] : layout->names) {
      if (!SafeName(name)) std::abort();  // the property above
    }
    for (Engine e : {Engine::kMysql, Engine::kPostgres}) {
      (void)MakeStatements(e, *layout, 100);
      (void)CreateTablesDdl(e, *layout);
    }
  }
  return 0;
}
