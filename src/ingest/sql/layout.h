#pragma once
// The customer's tables (spec §9): where bramka reads outgoing rows (MT) and
// writes their smsid, parts and report, and where it inserts incoming messages
// (MO). Defined once here for both engines: the STANDARD names, the INDIVIDUAL
// column mapping, the DDL of `bramka admin sql create-tables`, every statement
// the poller runs, and the report codes 2000-2208. Pure: no I/O.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/failure.h"
#include "store/model.h"

namespace bramka::ingest::sql {

enum class Engine { kMysql, kPostgres };
std::string_view EngineName(Engine e);  // "mysql", "postgres"
Result<Engine> ParseEngine(std::string_view name);

// Logical names (keys of the INDIVIDUAL mapping), with the STANDARD names as
// defaults: mt_table SerwerSMS_MT, mo_table SerwerSMS_MO, and for the MT
// columns id number sender message date flags smsid dlr dlr_date dlr_code
// dlr_description parts; MO columns mo_number mo_sender mo_message mo_date
// mo_smsid (named number sender message date smsid).
const std::vector<std::string>& LayoutKeys();

struct Layout {
  std::map<std::string, std::string> names;  // every key of LayoutKeys()
  const std::string& operator[](const std::string& key) const { return names.at(key); }
};

// "standard" (no mapping allowed) or "individual" with `mapping` as
// "key=name;key=name" (keys not given keep the standard name). Names must be
// 1-64 letters, digits or '_' (they are quoted into statements).
// kInvalidArgument naming the bad key or name.
Result<Layout> MakeLayout(const std::string& structure, const std::string& mapping);

// The statements, with '?' placeholders (the PostgreSQL client numbers them).
struct Statements {
  // Due unprocessed rows: SELECT id, number, sender, message, flags ... LIMIT n.
  std::string select_due;
  // smsid = ?, parts = ? WHERE id = ?
  std::string write_smsid;
  // dlr = ?, dlr_date = ?, dlr_code = ?, dlr_description = ? WHERE id = ?
  std::string write_report;
  // The MO insert. MariaDB/MySQL: number, sender, message, date, smsid as INSERT ...
  // VALUES (bulk-executable, docs/adr/0062), the ids already there found first with
  // find_mo. PostgreSQL: the same five, then smsid again (INSERT ... SELECT ... WHERE NOT
  // EXISTS: the check in the statement, pipelined, docs/adr/0055).
  std::string insert_mo;
  // MariaDB/MySQL only (empty on PostgreSQL): kMoCheckIds smsids in, one row of as many
  // 0/1 values out, 1 where the MO table holds that id (compared by the server, in the
  // column's collation) -- each a locking read (LOCK IN SHARE MODE), as the NOT EXISTS of
  // an INSERT ... SELECT is, so a concurrent insert of the same id waits. NULL = unused.
  std::string find_mo;
  // PostgreSQL only, set by SetWriteBacks (empty otherwise: the per-row statements above
  // are used): write_smsid / write_report for a whole batch in one statement,
  // UPDATE mt AS t SET smsid = v.smsid, ... FROM json_to_recordset(?::json) AS v(smsid
  // <its type>, ..., id <its type>) WHERE t.id = v.id; the one parameter a JSON array of
  // objects keyed by the customer's column names (SetRowsJson), docs/adr/0070.
  std::string write_smsid_set;
  std::string write_report_set;
};
inline constexpr int kMoCheckIds = 256;
Statements MakeStatements(Engine engine, const Layout& layout, int batch);

// PostgreSQL: the MT table's columns and their types as SQL spells them (two columns out:
// attname, format_type), read once per connection for SetWriteBacks.
std::string ColumnTypesQuery(const Layout& layout);
// Sets (or clears) write_smsid_set / write_report_set from ColumnTypesQuery's answer
// (column name -> type): each only when every column it writes and the id have a type.
void SetWriteBacks(Statements& s, const Layout& layout,
                   const std::map<std::string, std::string>& types);

// The one parameter of write_smsid_set / write_report_set: `rows` (each the per-row
// statement's parameters, id last) as a JSON array of objects keyed by `columns` (the
// customer's column names, in the same order), every value a JSON string or null:
// json_to_recordset hands each string to the declared (the column's) type's input
// function, as the per-row statement's untyped text parameter was (docs/adr/0070). A row whose id
// comes again later in `rows` is left out, so the last write wins as it did row by row (UPDATE ...
// FROM would pick either of two matches).
std::string SetRowsJson(const std::vector<std::string>& columns,
                        const std::vector<std::vector<std::optional<std::string>>>& rows);

// CREATE TABLE statements for both tables (IF NOT EXISTS), each ending in ";\n".
std::vector<std::string> CreateTablesDdl(Engine engine, const Layout& layout);

// What to write into dlr, dlr_code, dlr_description for a final outcome.
struct DlrValues {
  std::string dlr;          // "-1", "1", "2"
  std::optional<int> code;  // 2000-2208; none for delivered
  std::string description;
};
DlrValues DlrFor(const store::SqlPendingReport& report);
// The code for a row core refused (invalid row), with its description.
DlrValues InvalidRowDlr(core::Failure failure);
std::string CodeDescription(int code);

// The FLAGS column: FLASH, SPEED, UTF separated by commas, semicolons, '|' or
// spaces, any case. kInvalidArgument naming an unknown flag.
struct RowFlags {
  bool flash = false;
  bool speed = false;
  bool utf = false;
};
Result<RowFlags> ParseFlags(const std::string& flags);

}  // namespace bramka::ingest::sql
