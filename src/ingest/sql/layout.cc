#include "ingest/sql/layout.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

namespace bramka::ingest::sql {
namespace {

const std::map<std::string, std::string>& StandardNames() {
  static const auto* names = new std::map<std::string, std::string>{
      {"mt_table", "SerwerSMS_MT"},
      {"mo_table", "SerwerSMS_MO"},
      {"id", "id"},
      {"number", "number"},
      {"sender", "sender"},
      {"message", "message"},
      {"date", "date"},
      {"flags", "flags"},
      {"smsid", "smsid"},
      {"dlr", "dlr"},
      {"dlr_date", "dlr_date"},
      {"dlr_code", "dlr_code"},
      {"dlr_description", "dlr_description"},
      {"parts", "parts"},
      {"mo_number", "number"},
      {"mo_sender", "sender"},
      {"mo_message", "message"},
      {"mo_date", "date"},
      {"mo_smsid", "smsid"},
  };
  return *names;
}

bool ValidName(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

struct Quoter {
  Engine engine;
  const Layout& layout;
  std::string operator()(const std::string& key) const {
    const std::string& n = layout[key];
    return engine == Engine::kMysql ? "`" + n + "`" : "\"" + n + "\"";
  }
};

std::string Trim(std::string s) {
  auto sp = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), sp));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), sp).base(), s.end());
  return s;
}

// A JSON string (RFC 8259): quotes, backslashes and control characters escaped.
void AppendJsonString(std::string& out, const std::string& v) {
  out += '"';
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

std::string SetRowsJson(const std::vector<std::string>& keys,
                        const std::vector<std::vector<std::optional<std::string>>>& rows) {
  std::set<std::string> later_ids;
  std::vector<bool> keep(rows.size(), true);
  for (size_t i = rows.size(); i-- > 0;) {
    const std::optional<std::string>& id = rows[i].back();
    if (id && !later_ids.insert(*id).second) keep[i] = false;
  }
  std::string out = "[";
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!keep[r]) continue;
    const std::vector<std::optional<std::string>>& row = rows[r];
    if (out.size() > 1) out += ',';
    out += '{';
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, keys[i]);
      out += ':';
      if (row[i]) {
        AppendJsonString(out, *row[i]);
      } else {
        out += "null";
      }
    }
    out += '}';
  }
  out += ']';
  return out;
}

std::string_view EngineName(Engine e) { return e == Engine::kMysql ? "mysql" : "postgres"; }

Result<Engine> ParseEngine(std::string_view name) {
  if (name == "mysql" || name == "mariadb") return Engine::kMysql;
  if (name == "postgres" || name == "postgresql") return Engine::kPostgres;
  return Fail(ErrorCode::kInvalidArgument,
              "engine '" + std::string(name) + "' is not mysql or postgres");
}

const std::vector<std::string>& LayoutKeys() {
  static const auto* keys = [] {
    auto* v = new std::vector<std::string>();
    for (const auto& [k, n] : StandardNames()) v->push_back(k);
    return v;
  }();
  return *keys;
}

Result<Layout> MakeLayout(const std::string& structure, const std::string& mapping) {
  Layout layout;
  layout.names = StandardNames();
  if (structure == "standard") {
    if (!Trim(mapping).empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "column names can only be mapped with --structure individual");
    }
    return layout;
  }
  if (structure != "individual") {
    return Fail(ErrorCode::kInvalidArgument,
                "structure '" + structure + "' is not standard or individual");
  }
  size_t pos = 0;
  while (pos <= mapping.size()) {
    size_t end = mapping.find(';', pos);
    if (end == std::string::npos) end = mapping.size();
    std::string item = Trim(mapping.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "column mapping '" + item + "' is not KEY=NAME");
    }
    std::string key = Trim(item.substr(0, eq));
    std::string name = Trim(item.substr(eq + 1));
    if (!layout.names.count(key)) {
      return Fail(ErrorCode::kInvalidArgument, "unknown column key '" + key + "'");
    }
    if (!ValidName(name)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "column name for '" + key + "' must be 1-64 letters, digits or _");
    }
    layout.names[key] = name;
  }
  return layout;
}

Statements MakeStatements(Engine engine, const Layout& layout, int batch) {
  Quoter q{engine, layout};
  Statements s;
  const std::string now = engine == Engine::kMysql ? "NOW()" : "LOCALTIMESTAMP";
  // Due (no date, the zero date or a past one), not yet given an smsid, not
  // marked invalid (dlr -1): spec §9.
  s.select_due = fmt::format(
      "SELECT {id}, {number}, {sender}, {message}, {flags} FROM {mt} WHERE ({smsid} IS NULL OR "
      "{smsid} = '') AND ({dlr} IS NULL OR {dlr} <> '-1') AND ({date} IS NULL OR {date} <= {now}) "
      "ORDER BY {id} LIMIT {batch}",
      fmt::arg("id", q("id")), fmt::arg("number", q("number")), fmt::arg("sender", q("sender")),
      fmt::arg("message", q("message")), fmt::arg("flags", q("flags")),
      fmt::arg("mt", q("mt_table")), fmt::arg("smsid", q("smsid")), fmt::arg("dlr", q("dlr")),
      fmt::arg("date", q("date")), fmt::arg("now", now), fmt::arg("batch", batch));
  s.write_smsid = fmt::format("UPDATE {} SET {} = ?, {} = ? WHERE {} = ?", q("mt_table"),
                              q("smsid"), q("parts"), q("id"));
  s.write_report =
      fmt::format("UPDATE {} SET {} = ?, {} = ?, {} = ?, {} = ? WHERE {} = ?", q("mt_table"),
                  q("dlr"), q("dlr_date"), q("dlr_code"), q("dlr_description"), q("id"));
  if (engine == Engine::kPostgres) {
    s.insert_mo = fmt::format(
        "INSERT INTO {mo} ({n}, {s}, {m}, {d}, {id}) SELECT ?, ?, ?, CAST(? AS timestamp), ? "
        "WHERE NOT EXISTS (SELECT 1 FROM {mo} WHERE {id} = ?)",
        fmt::arg("mo", q("mo_table")), fmt::arg("n", q("mo_number")), fmt::arg("s", q("mo_sender")),
        fmt::arg("m", q("mo_message")), fmt::arg("d", q("mo_date")), fmt::arg("id", q("mo_smsid")));
    return s;
  }
  // MariaDB runs INSERT ... VALUES in bulk but refuses INSERT ... SELECT (error 1295), so
  // the check that the id is not there yet is a statement of its own (docs/adr/0062).
  s.insert_mo = fmt::format(
      "INSERT INTO {} ({}, {}, {}, {}, {}) VALUES (?, ?, ?, CAST(? AS DATETIME), ?)", q("mo_table"),
      q("mo_number"), q("mo_sender"), q("mo_message"), q("mo_date"), q("mo_smsid"));
  s.find_mo = "SELECT ";
  for (int i = 0; i < kMoCheckIds; ++i) {
    s.find_mo += fmt::format("{}EXISTS (SELECT 1 FROM {} WHERE {} = ? LOCK IN SHARE MODE)",
                             i == 0 ? "" : ", ", q("mo_table"), q("mo_smsid"));
  }
  return s;
}

std::string ColumnTypesQuery(const Layout& layout) {
  // attrelid from the name as the statements resolve it (search_path); no row when the
  // table is not there (to_regclass gives NULL).
  return fmt::format(
      "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
      "to_regclass('\"{}\"') AND attnum > 0 AND NOT attisdropped",
      layout["mt_table"]);
}

void SetWriteBacks(Statements& s, const Layout& layout,
                   const std::map<std::string, std::string>& types) {
  s.write_smsid_set.clear();
  s.write_report_set.clear();
  Quoter q{Engine::kPostgres, layout};
  // UPDATE mt AS t SET a = v.a, ... FROM json_to_recordset(?::json) AS v(a type, ..., id type)
  // WHERE t.id = v.id, or "" when a column's type is unknown (or holds a '?', which the
  // PostgreSQL client would take for a placeholder).
  auto make = [&](const std::vector<std::string>& keys) -> std::string {
    std::string set;
    std::string columns;
    for (const std::string& key : keys) {
      auto it = types.find(layout[key]);
      if (it == types.end() || it->second.empty() || it->second.find('?') != std::string::npos) {
        return "";
      }
      if (key != "id") set += fmt::format("{}{} = v.{}", set.empty() ? "" : ", ", q(key), q(key));
      columns += fmt::format("{}{} {}", columns.empty() ? "" : ", ", q(key), it->second);
    }
    return fmt::format(
        "UPDATE {mt} AS t SET {set} FROM json_to_recordset(?::json) AS v({columns}) WHERE t.{id} "
        "= v.{id}",
        fmt::arg("mt", q("mt_table")), fmt::arg("set", set), fmt::arg("columns", columns),
        fmt::arg("id", q("id")));
  };
  s.write_smsid_set = make({"smsid", "parts", "id"});
  s.write_report_set = make({"dlr", "dlr_date", "dlr_code", "dlr_description", "id"});
}

std::vector<std::string> CreateTablesDdl(Engine engine, const Layout& layout) {
  Quoter q{engine, layout};
  std::vector<std::string> out;
  if (engine == Engine::kMysql) {
    // The provider's DDL (spec §9) with utf8mb4 for emoji-safe texts.
    out.push_back(fmt::format(
        "CREATE TABLE IF NOT EXISTS {} (\n  {} int unsigned NOT NULL AUTO_INCREMENT,\n"
        "  {} varchar(20) NOT NULL DEFAULT '',\n  {} varchar(20) DEFAULT NULL,\n"
        "  {} text,\n  {} datetime DEFAULT NULL,\n  {} varchar(50) DEFAULT NULL,\n"
        "  {} varchar(20) DEFAULT NULL,\n  {} enum('-1','0','1','2') NOT NULL DEFAULT '0',\n"
        "  {} datetime DEFAULT NULL,\n  {} int unsigned DEFAULT NULL,\n"
        "  {} varchar(100) DEFAULT NULL,\n  {} tinyint DEFAULT NULL,\n  PRIMARY KEY ({}),\n"
        "  KEY {}_smsid ({}),\n  KEY {}_smsid_date ({}, {})\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_polish_ci;\n",
        q("mt_table"), q("id"), q("number"), q("sender"), q("message"), q("date"), q("flags"),
        q("smsid"), q("dlr"), q("dlr_date"), q("dlr_code"), q("dlr_description"), q("parts"),
        q("id"), layout["mt_table"], q("smsid"), layout["mt_table"], q("smsid"), q("date")));
    out.push_back(fmt::format(
        "CREATE TABLE IF NOT EXISTS {} (\n  `id` int unsigned NOT NULL AUTO_INCREMENT,\n"
        "  {} varchar(20) NOT NULL DEFAULT '',\n  {} varchar(20) DEFAULT NULL,\n  {} text,\n"
        "  {} datetime DEFAULT NULL,\n  {} varchar(20) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
        "  UNIQUE KEY {}_smsid ({})\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
        "COLLATE=utf8mb4_polish_ci;\n",
        q("mo_table"), q("mo_number"), q("mo_sender"), q("mo_message"), q("mo_date"), q("mo_smsid"),
        layout["mo_table"], q("mo_smsid")));
  } else {
    out.push_back(fmt::format(
        "CREATE TABLE IF NOT EXISTS {} (\n  {} serial PRIMARY KEY,\n"
        "  {} varchar(20) NOT NULL DEFAULT '',\n  {} varchar(20),\n  {} text,\n"
        "  {} timestamp,\n  {} varchar(50),\n  {} varchar(20),\n"
        "  {} smallint NOT NULL DEFAULT 0 CHECK ({} IN (-1, 0, 1, 2)),\n  {} timestamp,\n"
        "  {} integer,\n  {} varchar(100),\n  {} smallint\n);\n",
        q("mt_table"), q("id"), q("number"), q("sender"), q("message"), q("date"), q("flags"),
        q("smsid"), q("dlr"), q("dlr"), q("dlr_date"), q("dlr_code"), q("dlr_description"),
        q("parts")));
    out.push_back(fmt::format("CREATE INDEX IF NOT EXISTS \"{}_smsid_date\" ON {} ({}, {});\n",
                              layout["mt_table"], q("mt_table"), q("smsid"), q("date")));
    out.push_back(
        fmt::format("CREATE TABLE IF NOT EXISTS {} (\n  \"id\" serial PRIMARY KEY,\n"
                    "  {} varchar(20) NOT NULL DEFAULT '',\n  {} varchar(20),\n  {} text,\n"
                    "  {} timestamp,\n  {} varchar(20) UNIQUE\n);\n",
                    q("mo_table"), q("mo_number"), q("mo_sender"), q("mo_message"), q("mo_date"),
                    q("mo_smsid")));
  }
  return out;
}

std::string CodeDescription(int code) {
  switch (code) {
    case 2000:
      return "message validity expired";
    case 2001:
      return "wrong recipient number";
    case 2002:
      return "unsupported number";
    case 2003:
      return "message rejected";
    case 2004:
      return "operator error";
    case 2005:
      return "call not answered";
    case 2200:
      return "invalid recipient number";
    case 2201:
      return "message limit exhausted";
    case 2202:
      return "sending blocked";
    case 2203:
      return "invalid message";
    case 2204:
      return "operator-side error";
    case 2205:
      return "invalid sender name";
    case 2206:
      return "number is blacklisted";
    case 2207:
      return "sending to foreign networks blocked";
    case 2208:
      return "no permission to send";
    default:
      return "unknown";
  }
}

DlrValues DlrFor(const store::SqlPendingReport& r) {
  using store::MessageStatus;
  if (r.message_id.empty()) {
    return {
        "-1", r.invalid_code,
        r.invalid_description.empty() ? CodeDescription(r.invalid_code) : r.invalid_description};
  }
  if (r.status == MessageStatus::kDelivered) return {"1", std::nullopt, "delivered"};
  // §5 reasons onto §9 codes: 2000-2005 after sending, 2200-2208 before.
  static const std::map<std::string, int> kSent = {
      {"message_expired", 2000},  {"wrong_number", 2001},   {"unsupported_number", 2002},
      {"message_rejected", 2003}, {"operator_error", 2004}, {"missed_call", 2005}};
  static const std::map<std::string, int> kUnsent = {
      {"wrong_number", 2200},
      {"unsupported_number", 2200},
      {"limit_exhausted", 2201},
      {"lock_send", 2202},
      {"wrong_message", 2203},
      {"message_rejected", 2204},
      {"operator_error", 2204},
      {"message_expired", 2204},
      {"wrong_sender_name", 2205},
      {"number_is_blacklisted", 2206},
      {"sending_to_foreign_networks_is_locked", 2207},
      {"no_permission_to_send_messages", 2208}};
  if (r.status == MessageStatus::kUndelivered) {
    auto it = kSent.find(r.reason);
    int code = it == kSent.end() ? 2004 : it->second;
    return {"2", code, CodeDescription(code)};
  }
  auto it = kUnsent.find(r.reason);
  int code = it == kUnsent.end() ? 2204 : it->second;
  if (r.status == MessageStatus::kCancelled) code = 2202;
  return {"-1", code, CodeDescription(code)};
}

DlrValues InvalidRowDlr(core::Failure f) {
  using core::Failure;
  int code = 2203;
  switch (f) {
    case Failure::kInvalidPhone:
    case Failure::kMissingParameter:
    case Failure::kTooManyRecipients:
      code = 2200;
      break;
    case Failure::kEcoLimitExhausted:
    case Failure::kFullLimitExhausted:
    case Failure::kVoiceLimitExhausted:
    case Failure::kMmsLimitExhausted:
      code = 2201;
      break;
    case Failure::kSendingBlocked:
      code = 2202;
      break;
    case Failure::kSenderNotApproved:
      code = 2205;
      break;
    case Failure::kBlacklisted:
      code = 2206;
      break;
    case Failure::kNoPermissionEco:
    case Failure::kNoPermissionFull:
    case Failure::kNoPermissionVoice:
    case Failure::kNoPermissionMms:
    case Failure::kNoPermissionFlash:
      code = 2208;
      break;
    default:
      code = 2203;
      break;
  }
  return {"-1", code, CodeDescription(code)};
}

Result<RowFlags> ParseFlags(const std::string& flags) {
  RowFlags out;
  std::string word;
  auto take = [&]() -> Result<void> {
    if (word.empty()) return Ok();
    std::string up = word;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    word.clear();
    if (up == "FLASH")
      out.flash = true;
    else if (up == "SPEED")
      out.speed = true;
    else if (up == "UTF")
      out.utf = true;
    else
      return Fail(ErrorCode::kInvalidArgument, "unknown flag '" + up + "' (FLASH, SPEED, UTF)");
    return Ok();
  };
  for (char c : flags) {
    if (c == ',' || c == ';' || c == '|' || std::isspace(static_cast<unsigned char>(c))) {
      BRAMKA_RETURN_IF_ERROR(take());
    } else {
      word += c;
    }
  }
  BRAMKA_RETURN_IF_ERROR(take());
  return out;
}

}  // namespace bramka::ingest::sql
