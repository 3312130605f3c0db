// bramka: the composition root. Parses the command line and runs a subcommand.
#include <CLI/CLI.hpp>

#include "app/commands.h"

int main(int argc, char** argv) {
  using bramka::app::AdminOptions;
  CLI::App app{"bramka: a self-hosted SMS gateway"};
  app.require_subcommand(1);

  bramka::app::InitOptions init;
  auto* init_cmd = app.add_subcommand("init", "Write DIR/bramka.toml, the data folder and a TLS certificate");
  init_cmd->add_option("dir", init.dir, "Folder to create")->required();
  init_cmd->add_flag("--demo", init.demo, "Create the demo account (demo/demo) with balances and a token");
  init_cmd->add_option("--http-port", init.http_port, "HTTP port (0 = any free port)");
  init_cmd->add_option("--https-port", init.https_port, "HTTPS port (0 = any free port)");
  init_cmd->add_option("--smpp-port", init.smpp_port, "SMPP port (0 = any free port)");

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
      cmd->add_option_function<int64_t>(std::string("--") + type,
                                        [&admin, type](int64_t v) { admin.units[type] = v; },
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

  CLI11_PARSE(app, argc, argv);

  if (init_cmd->parsed()) return bramka::app::RunInit(init);
  if (serve_cmd->parsed()) return bramka::app::RunServe(serve_config);
  if (admin_cmd->parsed()) {
    if (!name.empty()) admin.words.push_back(name);
    if (!sender.empty()) admin.words.push_back(sender);
    return bramka::app::RunAdmin(admin);
  }
  return 2;
}
