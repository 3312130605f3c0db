#pragma once
// An FTP source as the operator describes it (`bramka admin ftp add`), checked and
// turned into the stored record with its password sealed. Pure but for the seal.

#include <string>

#include "common/result.h"
#include "ingest/ftp/secret_box.h"
#include "store/model.h"

namespace bramka::ingest::ftp {

struct SourceRequest {
  std::string url;      // ftp://USER:PASSWORD@HOST[:PORT]/DIR (ftps:// = implicit TLS)
  std::string tls;      // "" (from the URL), none, explicit, implicit
  std::string ca_file;  // PEM of the CA (or the self-signed certificate) to trust
  int interval_s = 60;
  std::string text;  // numbers-only files
  std::string sender;
  std::string after = "delete";  // delete, move, keep
  std::string move_dir = "processed";
};

// kInvalidArgument naming what is wrong (never echoing the password).
Result<store::FtpSource> BuildSource(store::AccountId account, const SourceRequest& request,
                                     const SecretBox& box, int64_t now_ms);

// "user@host:port/dir (explicit TLS)" — what `ftp list` shows; no password.
std::string DescribeSource(const store::FtpSource& source);

}  // namespace bramka::ingest::ftp
