// bramka: the composition root. Parses the command line and runs a subcommand.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/toml_tables.h"
#include "loadgen/bench_command.h"

int main(int argc, char** argv) {
  using bramka::app::AdminOptions;
  CLI::App app{"bramka: a self-hosted SMS gateway"};
  app.require_subcommand(1);

  bramka::app::InitOptions init;
  auto* init_cmd =
      app.add_subcommand("init", "Write DIR/bramka.toml, the data folder and a TLS certificate");
  init_cmd->add_option("dir", init.dir, "Folder to create")->required();
  init_cmd->add_flag("--demo", init.demo,
                     "Create the demo account (demo/demo) with balances and a token");
  init_cmd->add_option("--http-port", init.http_port, "HTTP port (0 = any free port)");
  init_cmd->add_option("--https-port", init.https_port, "HTTPS port (0 = any free port)");
  init_cmd->add_option("--smpp-port", init.smpp_port, "SMPP port (0 = any free port)");
  init_cmd->add_option("--smpp-tls-port", init.smpp_tls_port,
                       "SMPP over TLS port (0 = any free port)");
  init_cmd->add_option("--store", init.store_url,
                       "PostgreSQL instead of SQLite: postgres://user@host:port/db (password: "
                       "PGPASSWORD or ~/.pgpass)");

  std::string serve_config;
  auto* serve_cmd = app.add_subcommand("serve", "Run the gateway in the foreground");
  serve_cmd->add_option("--config", serve_config, "Path to bramka.toml")->required();

  AdminOptions admin;
  auto* admin_cmd = app.add_subcommand("admin", "Operator commands");
  admin_cmd->add_option("--config", admin.config_path, "Path to bramka.toml")->required();
  admin_cmd->require_subcommand(1);
  auto words = [&admin](std::vector<std::string> w) {
    return [&admin, w] { admin.words.insert(admin.words.begin(), w.begin(), w.end()); };
  };
  std::string name, sender;
  auto add_units = [&admin](CLI::App* cmd) {
    for (const char* type : {"eco", "full", "voice", "mms", "hlr", "lookup"}) {
      cmd->add_option_function<int64_t>(
          std::string("--") + type, [&admin, type](int64_t v) { admin.units[type] = v; },
          std::string("Units of ") + type);
    }
  };

  auto* account = admin_cmd->add_subcommand("account", "Accounts")->require_subcommand(1);
  auto* account_add = account->add_subcommand("add", "Create an account");
  account_add->add_option("name", name)->required();
  account_add->add_option("--password", admin.password)->required();
  add_units(account_add);
  account_add->callback(words({"account", "add"}));
  account->add_subcommand("list", "List accounts")->callback(words({"account", "list"}));
  auto* passwd = account->add_subcommand("passwd", "Set an account's password");
  passwd->add_option("name", name)->required();
  passwd->add_option("--password", admin.password)->required();
  passwd->callback(words({"account", "passwd"}));
  auto* topup = account->add_subcommand("topup", "Add units to an account's balances");
  topup->add_option("name", name)->required();
  add_units(topup);
  topup->callback(words({"account", "topup"}));

  // Callback URL templates and the callback outbox (callbacks_admin.cc).
  bramka::app::CallbacksAdminOptions callbacks;
  auto* account_callbacks = account->add_subcommand(
      "callbacks", "Show or set an account's callback URLs (spec §6 placeholders; \"\" clears)");
  account_callbacks->add_option("name", callbacks.account)->required();
  account_callbacks->add_option_function<std::string>(
      "--dlr-url", [&callbacks](const std::string& v) { callbacks.dlr_url = v; },
      "Delivery-report URL template, e.g. 'https://shop.example/dlr?id=#SMSID#&stan=#STAN#'");
  account_callbacks->add_option_function<std::string>(
      "--mo-url", [&callbacks](const std::string& v) { callbacks.mo_url = v; },
      "Incoming-message URL template, e.g. 'https://shop.example/mo?od=#NUMER#&t=#WIADOMOSC#'");
  account_callbacks->add_flag("--retry-failed", callbacks.retry_failed,
                              "Queue the account's given-up callbacks again");
  account_callbacks->callback([&callbacks] { callbacks.chosen = true; });

  auto* token = admin_cmd->add_subcommand("token", "API tokens")->require_subcommand(1);
  auto* token_add = token->add_subcommand("add", "Create an API token (prints only the token)");
  token_add->add_option("name", name)->required();
  token_add->add_option("--label", admin.label);
  token_add->callback(words({"token", "add"}));

  auto* senders = admin_cmd->add_subcommand("sender", "Sender names")->require_subcommand(1);
  for (const char* verb : {"approve", "reject"}) {
    auto* cmd = senders->add_subcommand(verb, std::string(verb) + " a sender name");
    cmd->add_option("name", name, "Account")->required();
    cmd->add_option("sender", sender, "Sender name")->required();
    cmd->callback(words({"sender", verb}));
  }

  // Connectors and routes in the TOML file (connector_admin.cc).
  bramka::app::ConnectorAdminOptions conn;
  auto* connector =
      admin_cmd->add_subcommand("connector", "SMPP connectors to SMSCs")->require_subcommand(1);
  auto* connector_add =
      connector->add_subcommand("add", "Add a [[connector]] to the config file (serve binds it)");
  connector_add->add_option("name", conn.name)->required();
  connector_add->add_option("--host", conn.host)->required();
  connector_add->add_option("--port", conn.port)->required();
  connector_add->add_option("--system-id", conn.system_id)->required();
  connector_add->add_option("--password", conn.password)->required();
  connector_add->add_option("--tps", conn.tps, "Submits per second (0 = unlimited)");
  connector_add->add_option("--window", conn.window, "Outstanding submits");
  connector_add->add_option("--bind-mode", conn.bind_mode,
                            "transceiver, transmitter or pair (tx + rx binds)");
  connector_add->callback([&conn] { conn.verb = "connector add"; });
  // ---- live connectors (docs/adr/0015): a running serve applies these within a second.
  auto* connector_remove =
      connector->add_subcommand("remove", "Remove a [[connector]] (serve drains and unbinds it)");
  connector_remove->add_option("name", conn.name)->required();
  connector_remove->callback([&conn] { conn.verb = "connector remove"; });
  auto* connector_set =
      connector->add_subcommand("set", "Change settings of a [[connector]] (serve replaces it)");
  connector_set->add_option("name", conn.name)->required();
  auto set_text = [&conn, connector_set](const char* flag, const char* key, const char* help) {
    connector_set->add_option_function<std::string>(
        flag,
        [&conn, key](const std::string& v) {
          conn.settings.emplace_back(key, bramka::app::TomlQuote(v));
        },
        help);
  };
  auto set_number = [&conn, connector_set](const char* flag, const char* key, const char* help) {
    connector_set->add_option_function<double>(
        flag, [&conn, key](double v) { conn.settings.emplace_back(key, fmt::format("{:g}", v)); },
        help);
  };
  auto set_int = [&conn, connector_set](const char* flag, const char* key, const char* help) {
    connector_set->add_option_function<int>(
        flag, [&conn, key](int v) { conn.settings.emplace_back(key, std::to_string(v)); }, help);
  };
  set_text("--host", "host", "SMSC host");
  set_int("--port", "port", "SMSC port");
  set_text("--system-id", "system_id", "system_id");
  set_text("--password", "password", "password");
  set_text("--system-type", "system_type", "system_type");
  set_text("--bind-mode", "bind_mode", "transceiver, transmitter or pair");
  set_number("--tps", "tps", "Submits per second (0 = unlimited)");
  set_int("--window", "window", "Outstanding submits");
  connector_set->callback([&conn] { conn.verb = "connector set"; });
  connector->add_subcommand("list", "Configured connectors, with live state when serve runs")
      ->callback([&conn] { conn.verb = "connector list"; });
  auto* route = admin_cmd->add_subcommand("route", "Routes to connectors")->require_subcommand(1);
  auto* route_add = route->add_subcommand("add", "Append a [[route]] to the config file");
  route_add->add_option("--prefix", conn.prefixes, "E.164 prefix (repeatable)");
  route_add->add_option("--type", conn.types, "Message type: eco, full, ... (repeatable)");
  route_add->add_option("--connector", conn.connectors, "Connector, in failover order (repeatable)")
      ->required();
  route_add->add_flag("--round-robin", conn.round_robin);
  route_add->add_option("--name", conn.route_name, "Name (logs, cost metrics)");
  route_add->add_option("--sender", conn.senders, "Sender name; \"\" = ECO (repeatable)");
  route_add->add_option("--account", conn.accounts, "Account id (repeatable)");
  route_add->add_option("--weight", conn.weights, "Weight per --connector, in order (repeatable)");
  route_add->add_option("--price", conn.price, "PLN per SMS part on this route (cost metrics)");
  route_add->callback([&conn] { conn.verb = "route add"; });
  route->add_subcommand("list", "Configured routes")->callback([&conn] {
    conn.verb = "route list";
  });
  auto* route_remove =
      route->add_subcommand("remove", "Remove a [[route]] by name or number (route list)");
  route_remove->add_option("route", conn.route_name, "Its name or 1-based number")->required();
  route_remove->callback([&conn] { conn.verb = "route remove"; });

  // SMPP logins of the SMPP server (smpp_user_admin.cc).
  bramka::app::SmppUserAdminOptions smpp_user;
  auto* smpp_users =
      admin_cmd->add_subcommand("smpp-user", "SMPP server logins")->require_subcommand(1);
  auto* smpp_user_add = smpp_users->add_subcommand("add", "Create an SMPP login for an account");
  smpp_user_add->add_option("account", smpp_user.account)->required();
  smpp_user_add->add_option("--system-id", smpp_user.system_id)->required();
  smpp_user_add->add_option("--password", smpp_user.password, "At most 8 characters (SMPP 3.4)")
      ->required();
  smpp_user_add->add_option("--allow-ip", smpp_user.allow_ips,
                            "Allowed client CIDR (repeatable; none = any)");
  smpp_user_add->add_option("--max-binds", smpp_user.max_binds, "Concurrent binds (0 = unlimited)");
  smpp_user_add->add_option("--tps", smpp_user.tps, "Submits per second (0 = unlimited)");
  smpp_user_add->callback([&smpp_user] { smpp_user.verb = "add"; });
  smpp_users->add_subcommand("list", "List SMPP logins")->callback([&smpp_user] {
    smpp_user.verb = "list";
  });

  // Top-ups sold with an invoice (payment_admin.cc).
  bramka::app::PaymentAdminOptions payment;
  auto* payments =
      admin_cmd->add_subcommand("payment", "Top-ups with invoices")->require_subcommand(1);
  auto* payment_add =
      payments->add_subcommand("add", "Sell units: issue an invoice and credit the balance");
  payment_add->add_option("account", payment.account)->required();
  payment_add->add_option("--type", payment.type, "Balance: eco, full, voice, mms, hlr, lookup");
  payment_add->add_option("--units", payment.units)->required();
  payment_add->add_option("--price", payment.price, "Gross price in PLN, e.g. 123.00")->required();
  payment_add->add_flag("--unpaid", payment.unpaid, "Not paid yet (payable within --due-days)");
  payment_add->add_option("--due-days", payment.due_days);
  payment_add->add_option("--note", payment.note, "Printed on the invoice");
  payment_add->callback([&payment] { payment.verb = "add"; });
  auto* payment_paid = payments->add_subcommand("paid", "Mark an invoice paid");
  payment_paid->add_option("id", payment.id)->required();
  payment_paid->callback([&payment] { payment.verb = "paid"; });
  auto* payment_list = payments->add_subcommand("list", "An account's invoices");
  payment_list->add_option("account", payment.account)->required();
  payment_list->callback([&payment] { payment.verb = "list"; });
  // Accounts area (account_admin.cc): API allowlists, operator messages, signups.
  bramka::app::AccountAdminOptions acct;
  auto* allow_ip = account->add_subcommand(
      "allow-ip", "Set the API IP allowlist of an account (no CIDR = any address)");
  allow_ip->add_option("name", acct.account)->required();
  allow_ip->add_option("cidrs", acct.cidrs, "Allowed CIDRs, e.g. 10.0.0.0/8 127.0.0.1/32");
  allow_ip->callback([&acct] { acct.verb = "allow-ip"; });
  auto* message = account->add_subcommand(
      "message", "Post an operator message to an account (account/messages)");
  message->add_option("name", acct.account)->required();
  message->add_option("text", acct.text)->required();
  message->callback([&acct] { acct.verb = "message"; });
  auto* signup = admin_cmd->add_subcommand("signup", "Account requests made with account/add")
                     ->require_subcommand(1);
  signup->add_subcommand("list", "List signups")->callback([&acct] { acct.verb = "signup list"; });
  auto* signup_approve =
      signup->add_subcommand("approve", "Create the account for a pending signup");
  signup_approve->add_option("id", acct.signup_id)->required();
  signup_approve->add_option("--name", acct.name, "Login of the new account")->required();
  signup_approve->add_option("--password", acct.password)->required();
  signup_approve->callback([&acct] { acct.verb = "signup approve"; });
  auto* signup_reject = signup->add_subcommand("reject", "Reject a pending signup");
  signup_reject->add_option("id", acct.signup_id)->required();
  signup_reject->callback([&acct] { acct.verb = "signup reject"; });

  // SMS via FTP (ftp_admin.cc; ADR 0012).
  bramka::app::FtpAdminOptions ftp;
  auto* ftp_cmd = admin_cmd->add_subcommand("ftp", "Customers' FTP/FTPS sources (SMS via FTP)")
                      ->require_subcommand(1);
  auto* ftp_add =
      ftp_cmd->add_subcommand("add", "Poll an account's FTP folder for files of messages");
  ftp_add->add_option("account", ftp.account)->required();
  ftp_add
      ->add_option("--url", ftp.url, "ftp://USER:PASSWORD@HOST:PORT/DIR (ftps:// = implicit TLS)")
      ->required();
  ftp_add->add_option("--tls", ftp.tls, "none, explicit (AUTH TLS) or implicit");
  ftp_add->add_option("--ca", ftp.ca_file,
                      "PEM file of the CA or self-signed certificate to trust");
  ftp_add->add_option("--interval", ftp.interval_s, "Seconds between polls (default 60)");
  ftp_add->add_option("--text", ftp.text, "Text sent to the numbers of numbers-only files");
  ftp_add->add_option("--sender", ftp.sender, "Sender of numbers-only files (default: ECO)");
  ftp_add->add_option("--after", ftp.after, "delete (default), move or keep processed files");
  ftp_add->add_option("--move-dir", ftp.move_dir, "Folder for --after move (default processed)");
  ftp_add->callback([&ftp] { ftp.verb = "add"; });
  auto* ftp_list = ftp_cmd->add_subcommand("list", "Sources with their status");
  ftp_list->add_option("account", ftp.account);
  ftp_list->callback([&ftp] { ftp.verb = "list"; });
  auto* ftp_remove = ftp_cmd->add_subcommand("remove", "Stop polling a source");
  ftp_remove->add_option("account", ftp.account)->required();
  ftp_remove->add_option("id", ftp.id)->required();
  ftp_remove->callback([&ftp] { ftp.verb = "remove"; });
  // SQL API sources (sql_admin.cc; docs/adr/0013).
  bramka::app::SqlAdminOptions sql;
  auto* sql_cmd = admin_cmd->add_subcommand("sql", "SQL API sources (customers' MySQL/PostgreSQL)")
                      ->require_subcommand(1);
  auto* sql_add = sql_cmd->add_subcommand("add", "Add a customer database to poll for an account");
  sql_add->add_option("account", sql.account)->required();
  sql_add->add_option("--url", sql.url, "mysql://USER:PASSWORD@HOST:PORT/DB or postgres://...")
      ->required();
  sql_add->add_option("--password-file", sql.password_file,
                      "Read the password from this file (keeps it out of ps)");
  sql_add->add_option("--structure", sql.structure, "standard (SerwerSMS_MT/MO) or individual");
  sql_add->add_option("--map", sql.maps,
                      "individual: KEY=NAME, e.g. mt_table=outbox number=phone (repeatable)");
  sql_add->add_option("--interval", sql.interval_s, "Poll interval in seconds (default 10)");
  sql_add->add_option("--tls", sql.tls, "disable, prefer (default), require or verify");
  sql_add->callback([&sql] { sql.verb = "add"; });
  auto* sql_list = sql_cmd->add_subcommand("list", "SQL sources and their status");
  sql_list->add_option("account", sql.account);
  sql_list->callback([&sql] { sql.verb = "list"; });
  auto* sql_remove = sql_cmd->add_subcommand("remove", "Remove an account's SQL source");
  sql_remove->add_option("account", sql.account)->required();
  sql_remove->add_option("id", sql.id)->required();
  sql_remove->callback([&sql] { sql.verb = "remove"; });
  auto* sql_ddl =
      sql_cmd->add_subcommand("create-tables", "Print the tables' DDL, or create them with --url");
  sql_ddl->add_option("--engine", sql.engine, "mysql or postgres (default: from --url)");
  sql_ddl->add_option("--url", sql.url, "Create the tables in this database");
  sql_ddl->add_option("--structure", sql.structure);
  sql_ddl->add_option("--map", sql.maps, "individual: KEY=NAME (repeatable)");
  sql_ddl->callback([&sql] { sql.verb = "create-tables"; });
  auto* sql_mo =
      sql_cmd->add_subcommand("mo", "Queue an incoming message for the account's SQL sources");
  sql_mo->add_option("account", sql.account)->required();
  sql_mo->add_option("--from", sql.from)->required();
  sql_mo->add_option("--to", sql.to)->required();
  sql_mo->add_option("--text", sql.text)->required();
  sql_mo->add_option("--id", sql.message_id, "The incoming message's id (default: a new one)");
  sql_mo->callback([&sql] { sql.verb = "mo"; });

  // operator (status_admin.cc; docs/adr/0018).
  bool status_chosen = false;
  admin_cmd
      ->add_subcommand("status", "Health: store, queue, the running serve, connectors, sources")
      ->callback([&status_chosen] { status_chosen = true; });
  // ---- web panel (panel_admin.cc; docs/adr/0017) ----
  bramka::app::PanelAdminOptions panel_admin;
  auto* panel_cmd = admin_cmd->add_subcommand("panel", "The web panel")->require_subcommand(1);
  auto* panel_password = panel_cmd->add_subcommand("password", "Set the operator's panel password");
  panel_password->add_option("--password", panel_admin.password, "At least 8 characters");
  panel_password->add_option("--password-file", panel_admin.password_file,
                             "Read it from this file (keeps it out of ps)");
  panel_password->callback([&panel_admin] { panel_admin.chosen = true; });

  bramka::app::SmscCommandOptions smsc;
  // Inbound (inbound_admin.cc; docs/adr/0011): the numbering plan, quizzes, simnet MO.
  bramka::app::InboundAdminOptions inb;
  auto* inbound =
      admin_cmd
          ->add_subcommand("inbound",
                           "Numbering plan: access numbers, short codes, premium, reply pool")
          ->require_subcommand(1);
  auto* inbound_add = inbound->add_subcommand("add", "Add a number to the plan");
  inbound_add->add_option("--kind", inb.kind, "nd, ndi, sc, sci, premium or pool")->required();
  inbound_add->add_option("--number", inb.number, "The number (+48...) or short code")->required();
  inbound_add->add_option("--keyword", inb.keyword, "Keyword (nd, sc, premium)");
  inbound_add->add_option("--account", inb.account, "The account it belongs to (not for pool)");
  inbound_add->add_option("--price", inb.price, "Premium: price in PLN, e.g. 2.46");
  inbound_add->add_option("--answers", inb.answers,
                          "Premium: answers allowed per incoming message");
  inbound_add->callback([&inb] { inb.verb = "add"; });
  inbound->add_subcommand("list", "The numbering plan")->callback([&inb] { inb.verb = "list"; });
  auto* inbound_remove = inbound->add_subcommand("remove", "Remove a number of the plan");
  inbound_remove->add_option("id", inb.id)->required();
  inbound_remove->callback([&inb] { inb.verb = "remove"; });
  auto* inbound_inbox =
      inbound->add_subcommand("inbox", "The operator inbox (incoming messages no route matched)");
  inbound_inbox->add_option("--limit", inb.limit);
  inbound_inbox->callback([&inb] { inb.verb = "inbox"; });
  auto* quiz = admin_cmd->add_subcommand("quiz", "Quizzes on premium numbers and short codes")
                   ->require_subcommand(1);
  auto* quiz_add = quiz->add_subcommand("add", "Define a quiz (quiz/view counts the answers)");
  quiz_add->add_option("--account", inb.account)->required();
  quiz_add->add_option("--name", inb.name)->required();
  quiz_add->add_option("--number", inb.number)->required();
  quiz_add->add_option("--keyword", inb.keyword);
  quiz_add->add_option("--options", inb.options, "Answer options, e.g. A,B,C")
      ->delimiter(',')
      ->required();
  quiz_add->callback([&inb] { inb.verb = "quiz add"; });
  auto* simnet_cmd =
      admin_cmd->add_subcommand("simnet", "The simulated network")->require_subcommand(1);
  auto* simnet_mo = simnet_cmd->add_subcommand(
      "mo", "Send an incoming message (MO) through the running serve's simnet");
  simnet_mo->add_option("--from", inb.from)->required();
  simnet_mo->add_option("--to", inb.to)->required();
  simnet_mo->add_option("--text", inb.text)->required();
  simnet_mo->callback([&inb] { inb.verb = "simnet mo"; });

  auto* smsc_cmd =
      app.add_subcommand("smsc", "Run an SMSC simulator speaking SMPP (simnet behind it)");
  smsc_cmd->add_option("--bind", smsc.bind);
  smsc_cmd->add_option("--port", smsc.port, "SMPP port (0 = any free port)");
  smsc_cmd->add_option("--tls-port", smsc.tls_port, "SMPP over TLS port (needs --cert/--key)");
  smsc_cmd->add_option("--cert", smsc.cert_file);
  smsc_cmd->add_option("--key", smsc.key_file);
  smsc_cmd->add_option("--system-id", smsc.system_id, "Required system_id (default: any)");
  smsc_cmd->add_option("--password", smsc.password);
  smsc_cmd->add_option("--receipt-delay-ms", smsc.receipt_delay_ms);
  smsc_cmd->add_option("--misbehave", smsc.misbehave,
                       "refuse_bind, no_response, generic_nack, throttle=N, unbind_after=N, "
                       "slow=MS, duplicate_receipts, out_of_order_receipts, decimal_receipt_ids, "
                       "no_receipt_tlvs, hold_last_part, last_part_fails");
  smsc_cmd->add_flag("--quiet", smsc.quiet, "No event lines on stdout");
  smsc_cmd->add_option("--window", smsc.window, "deliver_sm unanswered per bind (default 100)");

  // Load generators (src/loadgen): bramka bench smpp|http.
  bramka::loadgen::BenchCommand bench;
  auto* bench_cmd = bramka::loadgen::AddBenchCommand(app, bench);

  CLI11_PARSE(app, argc, argv);

  if (init_cmd->parsed()) return bramka::app::RunInit(init);
  if (serve_cmd->parsed()) return bramka::app::RunServe(serve_config);
  if (smsc_cmd->parsed()) return bramka::app::RunSmsc(smsc);
  if (bench_cmd->parsed()) return bramka::loadgen::RunBench(bench);
  if (admin_cmd->parsed() && !smpp_user.verb.empty()) {
    return bramka::app::RunSmppUserAdmin(admin.config_path, smpp_user);
  }
  if (admin_cmd->parsed() && !payment.verb.empty()) {
    return bramka::app::RunPaymentAdmin(admin.config_path, payment);
  }
  if (admin_cmd->parsed() && callbacks.chosen) {
    return bramka::app::RunCallbacksAdmin(admin.config_path, callbacks);
  }
  if (admin_cmd->parsed() && !acct.verb.empty()) {
    return bramka::app::RunAccountAdmin(admin.config_path, acct);
  }
  if (admin_cmd->parsed() && !ftp.verb.empty()) {
    return bramka::app::RunFtpAdmin(admin.config_path, ftp);
  }
  if (admin_cmd->parsed() && !inb.verb.empty()) {
    return bramka::app::RunInboundAdmin(admin.config_path, inb);
  }
  if (admin_cmd->parsed() && !sql.verb.empty()) {
    return bramka::app::RunSqlAdmin(admin.config_path, sql);
  }
  if (admin_cmd->parsed() && status_chosen) return bramka::app::RunStatusAdmin(admin.config_path);
  if (admin_cmd->parsed() && panel_admin.chosen) {
    return bramka::app::RunPanelAdmin(admin.config_path, panel_admin);
  }
  if (admin_cmd->parsed() && !conn.verb.empty()) {
    return bramka::app::RunConnectorAdmin(admin.config_path, conn);
  }
  if (admin_cmd->parsed()) {
    if (!name.empty()) admin.words.push_back(name);
    if (!sender.empty()) admin.words.push_back(sender);
    return bramka::app::RunAdmin(admin);
  }
  return 2;
}
