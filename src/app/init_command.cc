// `bramka init DIR [--demo]`: a ready-to-serve folder.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/ids.h"
#include "common/tls_cert.h"
#include "ingest/ftp/secret_box.h"

namespace bramka::app {
namespace {

namespace fs = std::filesystem;

// The demo account of spec §1.4 ("demo"/"demo"), with a balance of every type.
int CreateDemo(const std::string& config_path, const fs::path& dir) {
  auto rt = OpenRuntime(config_path);
  if (!rt.ok()) return Die(rt.error());
  core::GatewayService& gw = *(*rt)->gateway;
  if (auto id = gw.CreateAccount("demo", "demo"); !id.ok()) return Die(id.error());
  const std::pair<store::MessageType, int64_t> balances[] = {
      {store::MessageType::kEco, 1000},  {store::MessageType::kFull, 1000},
      {store::MessageType::kVoice, 100}, {store::MessageType::kMms, 100},
      {store::MessageType::kHlr, 100},   {store::MessageType::kLookup, 100}};
  for (const auto& [type, units] : balances) {
    if (auto r = gw.TopUp("demo", type, units, "demo balance"); !r.ok()) return Die(r.error());
  }
  for (const char* sender : {"INFORMACJA", "Bramka"}) {
    if (auto r = gw.SetSenderStatus("demo", sender, store::SenderStatus::kAuthorized); !r.ok()) {
      return Die(r.error());
    }
  }
  // The SMPP login of the demo account (api/smpp): system_id demo, password demo.
  if (auto r = gw.CreateSmppUser("demo", "demo", "demo", {}, 10, 100); !r.ok()) {
    return Die(r.error());
  }
  auto token = gw.CreateToken("demo", "demo");
  if (!token.ok()) return Die(token.error());
  std::ofstream(dir / "demo-token.txt") << *token << "\n";
  std::cout << "account: demo (password demo), senders INFORMACJA and Bramka approved\n";
  std::cout << "smpp: system_id demo, password demo\n";
  std::cout << "token: " << *token << "\n";
  return 0;
}

}  // namespace

int RunInit(const InitOptions& options) {
  fs::path dir = fs::absolute(options.dir).lexically_normal();
  fs::path config_path = dir / "bramka.toml";
  std::error_code ec;
  if (fs::exists(config_path, ec)) return Die(config_path.string() + " already exists");
  for (const char* sub : {"data", "tls"}) {
    fs::create_directories(dir / sub, ec);
    if (ec) return Die("cannot create " + (dir / sub).string() + ": " + ec.message());
  }
  config::Config c;
  c.http.port = options.http_port;
  c.http.https_port = options.https_port;
  c.smpp.port = options.smpp_port;
  c.smpp.tls_port = options.smpp_tls_port;
  c.core.id_key = std::stoull(RandomHex(8), nullptr, 16);
  if (!options.store_url.empty()) {  // PostgreSQL (docs/adr/0022)
    c.store.engine = "postgres";
    c.store.url = options.store_url;
  }
  c.simnet.seed = std::stoull(RandomHex(4), nullptr, 16);
  if (auto r = WriteSelfSignedCertificate((dir / c.http.cert_file).string(),
                                          (dir / c.http.key_file).string());
      !r.ok()) {
    return Die(r.error());
  }
  // SMS via FTP: the key that seals customers' FTP passwords (ADR 0012).
  if (auto key = ingest::ftp::SecretBox::FromKeyFile(
          ingest::ftp::SecretKeyPath((dir / c.data_dir).string()), true);
      !key.ok()) {
    return Die(key.error());
  }
  {
    std::ofstream out(config_path);
    out << config::RenderDefaultConfig(c);
    if (!out) return Die("cannot write " + config_path.string());
  }
  std::cout << "wrote " << config_path.string() << "\n";
  if (options.demo) return CreateDemo(config_path.string(), dir);
  if (!options.store_url.empty()) {
    // Reach the server and create the schema now, so that a wrong URL or a
    // missing permission shows here rather than at the first serve.
    auto rt = OpenRuntime(config_path.string());
    if (!rt.ok()) return Die(rt.error());
    std::cout << "store: PostgreSQL schema ready\n";
  }
  return 0;
}

}  // namespace bramka::app
