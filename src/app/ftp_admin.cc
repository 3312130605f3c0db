// `bramka admin --config FILE ftp add|list|remove`: customers' FTP sources (SMS via
// FTP, src/ingest/ftp, ADR 0012). Passwords are sealed with <data_dir>/secret.key
// before they are stored and are never printed.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/time_format.h"
#include "ingest/ftp/secret_box.h"
#include "ingest/ftp/source_config.h"

namespace bramka::app {

int RunFtpAdmin(const std::string& config_path, const FtpAdminOptions& o) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  Runtime& rt = **rt_or;
  store::Store& store = *rt.store;
  auto account_id = [&](const std::string& name) -> Result<store::AccountId> {
    auto a = store.FindAccountByName(name);
    if (!a.ok() && a.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "no account '" + name + "'");
    }
    if (!a.ok()) return a.take_error();
    return a->id;
  };

  if (o.verb == "add") {
    auto id = account_id(o.account);
    if (!id.ok()) return Die(id.error());
    // Created here too for installations older than the key (ADR 0012).
    auto box = ingest::ftp::SecretBox::FromKeyFile(
        ingest::ftp::SecretKeyPath(rt.config.Resolve(rt.config.data_dir)), true);
    if (!box.ok()) return Die(box.error());
    ingest::ftp::SourceRequest r;
    r.url = o.url;
    r.tls = o.tls;
    r.ca_file = o.ca_file.empty() ? "" : rt.config.Resolve(o.ca_file);
    r.interval_s = o.interval_s;
    r.text = o.text;
    r.sender = o.sender;
    r.after = o.after;
    r.move_dir = o.move_dir;
    auto source = ingest::ftp::BuildSource(*id, r, *box, ToUnixMillis(rt.clock.Now()));
    if (!source.ok()) return Die(source.error());
    auto sid = store.AddFtpSource(*source);
    if (!sid.ok()) return Die(sid.error());
    std::cout << "ftp source " << *sid << " of " << o.account << ": "
              << ingest::ftp::DescribeSource(*source) << "\n";
    return 0;
  }
  if (o.verb == "list") {
    store::AccountId filter = 0;
    if (!o.account.empty()) {
      auto id = account_id(o.account);
      if (!id.ok()) return Die(id.error());
      filter = *id;
    }
    auto sources = store.ListFtpSources(filter);
    if (!sources.ok()) return Die(sources.error());
    std::cout << fmt::format("{:<5} {:<12} {:<20} {:>6} {:>8}  {}\n", "id", "account", "last_poll",
                             "files", "lines", "source / last_error");
    for (const auto& s : *sources) {
      std::string account = std::to_string(s.account_id);
      if (auto a = store.GetAccount(s.account_id); a.ok()) account = a->name;
      std::cout << fmt::format("{:<5} {:<12} {:<20} {:>6} {:>8}  {}\n", s.id, account,
                               s.last_poll_ms ? FormatApiTimeMs(s.last_poll_ms) : "never",
                               s.files_processed, s.lines_processed,
                               ingest::ftp::DescribeSource(s));
      std::cout << fmt::format("      last_error: {}\n",
                               s.last_error.empty() ? "(none)" : s.last_error);
    }
    return 0;
  }
  if (o.verb == "remove") {
    auto id = account_id(o.account);
    if (!id.ok()) return Die(id.error());
    auto r = store.RemoveFtpSource(*id, o.id);
    if (!r.ok() && r.error().code == ErrorCode::kNotFound) {
      return Die(fmt::format("account {} has no ftp source {}", o.account, o.id));
    }
    if (!r.ok()) return Die(r.error());
    std::cout << "ftp source " << o.id << " of " << o.account << " removed\n";
    return 0;
  }
  return Die("unknown ftp command");
}

}  // namespace bramka::app
