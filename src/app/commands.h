#pragma once
// The subcommands of the `bramka` binary. Each returns the process exit code.
// main.cc only parses the command line (CLI11) and calls these.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bramka::app {

struct InitOptions {
  std::string dir;
  bool demo = false;
  int http_port = 8080;
  int https_port = 8443;
  int smpp_port = 2775;
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

}  // namespace bramka::app
