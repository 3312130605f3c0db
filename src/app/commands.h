#pragma once
// The subcommands of the `bramka` binary. Each returns the process exit code.
// main.cc only parses the command line (CLI11) and calls these.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bramka::app {

struct InitOptions {
  std::string dir;
  bool demo = false;
  int http_port = 8080;
  int https_port = 8443;
  int smpp_port = 2775;
  int smpp_tls_port = 3550;
  std::string store_url;  // --store postgres://...: [store] engine = "postgres" (ADR 0022)
};
int RunInit(const InitOptions& options);

int RunServe(const std::string& config_path);

// `bramka admin --config FILE <words...>`: account add|list|passwd|topup,
// token add, sender approve|reject. Balances as {"eco": N, ...}.
struct AdminOptions {
  std::string config_path;
  std::vector<std::string> words;  // e.g. {"account", "add", "NAME"}
  std::string password;
  std::string label;
  std::map<std::string, int64_t> units;  // --eco N --full N ...
};
int RunAdmin(const AdminOptions& options);

// `bramka admin --config FILE smpp-user add ACCOUNT --system-id ID --password PW
// [--allow-ip CIDR]... [--max-binds N] [--tps N]` and `smpp-user list`
// (smpp_user_admin.cc).
struct SmppUserAdminOptions {
  std::string verb;  // "add" or "list"
  std::string account;
  std::string system_id;
  std::string password;
  std::vector<std::string> allow_ips;
  int max_binds = 10;
  int tps = 50;
};
int RunSmppUserAdmin(const std::string& config_path, const SmppUserAdminOptions& options);

// `bramka admin --config FILE payment add ACCOUNT --type T --units N --price PLN
// [--unpaid] [--due-days N] [--note TEXT]`, `payment paid ID`, `payment list ACCOUNT`:
// top-ups sold with an invoice (payment_admin.cc).
struct PaymentAdminOptions {
  std::string verb;  // "add", "paid" or "list"
  std::string account;
  int64_t id = 0;
  std::string type = "full";
  int64_t units = 0;
  std::string price;  // gross PLN, "123.45" or "123,45"
  bool unpaid = false;
  int due_days = 14;
  std::string note;
};
int RunPaymentAdmin(const std::string& config_path, const PaymentAdminOptions& options);

// `bramka smsc`: the SMSC simulator (src/smsc). See smsc_command.cc.
struct SmscCommandOptions {
  std::string bind = "127.0.0.1";
  int port = 2775;  // 0 = any free port
  int tls_port = -1;
  std::string cert_file;
  std::string key_file;
  std::string system_id;  // empty: any credentials bind
  std::string password;
  int receipt_delay_ms = 200;
  std::vector<std::string> misbehave;  // smsc::ParseMisbehaviour modes
  bool quiet = false;
  int window = 100;  // delivery: deliver_sm unanswered per bind (docs/adr/0031)
};
int RunSmsc(const SmscCommandOptions& options);

// `bramka admin --config FILE connector add|remove|set|list`, `route add|remove|list`: edit the
// [[connector]] / [[route]] tables of bramka.toml (connector_admin.cc).
struct ConnectorAdminOptions {
  std::string verb;  // "connector add", "connector list", "route add", "route list"
  std::string name;
  std::string host = "127.0.0.1";
  int port = 2775;
  std::string system_id;
  std::string password;
  double tps = 0;
  int window = 10;
  std::vector<std::string> prefixes;
  std::vector<std::string> types;
  std::vector<std::string> connectors;
  bool round_robin = false;
  std::string route_name;
  std::vector<std::string> senders;
  std::vector<int64_t> accounts;
  std::vector<int64_t> weights;
  double price = 0;
  // ---- live connectors (docs/adr/0015) ----
  // verbs also "connector remove", "connector set", "route remove" (route_name: its
  // name or 1-based number)
  std::string bind_mode = "transceiver";  // connector add --bind-mode
  // connector set: (key, TOML literal) in the order given
  std::vector<std::pair<std::string, std::string>> settings;
};
int RunConnectorAdmin(const std::string& config_path, const ConnectorAdminOptions& options);

// `bramka admin --config FILE account callbacks NAME [--dlr-url T] [--mo-url T]
// [--retry-failed]`: set (an empty T clears) and show an account's callback URL
// templates and its callback outbox (callbacks_admin.cc).
struct CallbacksAdminOptions {
  bool chosen = false;
  std::string account;
  std::optional<std::string> dlr_url;
  std::optional<std::string> mo_url;
  bool retry_failed = false;
};
int RunCallbacksAdmin(const std::string& config_path, const CallbacksAdminOptions& options);
// ---- accounts area (account_admin.cc; docs/adr/0008) ----
// `bramka admin --config FILE account allow-ip NAME [CIDR...]` (none = any address),
// `account message NAME TEXT`, `signup list`, `signup approve ID --name NAME
// --password PW`, `signup reject ID`.
struct AccountAdminOptions {
  std::string verb;  // "allow-ip", "message", "signup list", "signup approve", "signup reject"
  std::string account;
  std::vector<std::string> cidrs;
  std::string text;
  int64_t signup_id = 0;
  std::string name;
  std::string password;
};
int RunAccountAdmin(const std::string& config_path, const AccountAdminOptions& options);
// ---- SMS via FTP (ftp_admin.cc; ADR 0012) ----
// `bramka admin --config FILE ftp add ACCOUNT --url ftp://USER:PASSWORD@HOST:PORT/DIR
// [--tls none|explicit|implicit] [--ca FILE] [--interval S] [--text T] [--sender S]
// [--after delete|move|keep] [--move-dir DIR]`, `ftp list [ACCOUNT]`,
// `ftp remove ACCOUNT ID`.
struct FtpAdminOptions {
  std::string verb;  // "add", "list", "remove"
  std::string account;
  int64_t id = 0;
  std::string url;
  std::string tls;
  std::string ca_file;
  int interval_s = 60;
  std::string text;
  std::string sender;
  std::string after = "delete";
  std::string move_dir = "processed";
};
int RunFtpAdmin(const std::string& config_path, const FtpAdminOptions& options);
// ---- inbound (inbound_admin.cc; docs/adr/0011) ----
// `bramka admin --config FILE inbound add --kind nd|ndi|sc|sci|premium|pool --number N
// [--keyword K] [--account NAME] [--price PLN] [--answers N]`, `inbound list`,
// `inbound remove ID`, `inbound inbox [--limit N]` (the operator inbox),
// `quiz add --account NAME --name NAME --number N [--keyword K] --options A,B,C`,
// `simnet mo --from NUMBER --to NUMBER --text TEXT` (queued in the store; the running
// serve's simnet delivers it within its poll interval).
struct InboundAdminOptions {
  std::string verb;  // "add", "list", "remove", "inbox", "quiz add", "simnet mo"
  std::string kind;
  std::string number;
  std::string keyword;
  std::string account;
  std::string price = "0";
  int answers = 0;
  int64_t id = 0;
  int limit = 50;
  std::string name;
  std::vector<std::string> options;
  std::string from;
  std::string to;
  std::string text;
};
int RunInboundAdmin(const std::string& config_path, const InboundAdminOptions& options);

// ---- SQL API sources (sql_admin.cc; docs/adr/0013) ----
// `bramka admin --config FILE sql add ACCOUNT --url mysql://USER:PASSWORD@HOST:PORT/DB
// [--password-file F] [--structure standard|individual] [--map KEY=NAME]... [--interval S]
// [--tls MODE]`,
// `sql list [ACCOUNT]`, `sql remove ACCOUNT ID`, `sql create-tables --engine E
// [--url URL] [--structure ...] [--map ...]` (prints the DDL, or runs it with --url),
// `sql mo ACCOUNT --from N --to N --text T [--id ID]` (queues an incoming message for
// the account's sources through the entry point issue 6 calls).
struct SqlAdminOptions {
  std::string verb;  // "add", "list", "remove", "create-tables", "mo"
  std::string account;
  std::string url;
  std::string structure = "standard";
  std::vector<std::string> maps;
  int interval_s = 10;
  std::string tls = "prefer";
  int64_t id = 0;
  std::string engine;
  std::string from, to, text, message_id;
  std::string password_file;  // add: the password from this file (first line), not the URL
};
int RunSqlAdmin(const std::string& config_path, const SqlAdminOptions& options);

// ---- operator (status_admin.cc; docs/adr/0018) ----
// `bramka admin --config FILE status`: store, queue, callbacks outbox, the running
// serve's health, connectors and binds, FTP/SQL sources. Exit 0 when all is well,
// 1 when anything is down or failing (serve not running included).
int RunStatusAdmin(const std::string& config_path);

// ---- web panel (panel_admin.cc; docs/adr/0017) ----
// `bramka admin --config FILE panel password (--password PW | --password-file F)`.
struct PanelAdminOptions {
  bool chosen = false;
  std::string password;
  std::string password_file;
};
int RunPanelAdmin(const std::string& config_path, const PanelAdminOptions& options);

}  // namespace bramka::app
