// `bramka admin --config FILE panel password (--password PW | --password-file F)`: the
// operator's web panel password, stored hashed (argon2id) through the Store
// (src/panel/session.h, docs/adr/0017).
#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "app/runtime.h"
#include "panel/session.h"

namespace bramka::app {

int RunPanelAdmin(const std::string& config_path, const PanelAdminOptions& o) {
  std::string password = o.password;
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file);
    if (!in || !std::getline(in, password)) return Die("cannot read " + o.password_file);
  }
  if (password.empty()) return Die("give --password or --password-file");
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  if (auto r = panel::SetOperatorPassword(*(*rt_or)->store, password); !r.ok())
    return Die(r.error());
  std::cout << "operator panel password set; log in at /panel/#/operator\n";
  return 0;
}

}  // namespace bramka::app
