#pragma once
// FtpClient: the few operations the poller needs on one customer directory.
// CurlFtpClient does them with libcurl (FTP, explicit FTPS = AUTH TLS, implicit
// FTPS); tests may substitute a fake. Not thread-safe: one poll at a time.
// Errors: kUnavailable (cannot connect, log in, or the transfer broke off —
// try again at the next poll), kRejected (the file is larger than allowed),
// kNotFound (no such file). Messages never contain the password.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace bramka::ingest::ftp {

class FtpClient {
 public:
  virtual ~FtpClient() = default;
  // Names in the directory (no "." or "..").
  virtual Result<std::vector<std::string>> List() = 0;
  // The file's bytes; kRejected when it has more than `max_bytes`.
  virtual Result<std::string> Download(const std::string& name, size_t max_bytes) = 0;
  // Writes (replaces) a file, atomically for readers (a temporary name, then renamed).
  virtual Result<void> Upload(const std::string& name, const std::string& data) = 0;
  virtual Result<void> Remove(const std::string& name) = 0;
  // Moves a file to `dir/name` (dir relative to the source's directory), creating dir.
  virtual Result<void> MoveTo(const std::string& name, const std::string& dir) = 0;
};

enum class FtpTlsMode { kNone, kExplicit, kImplicit };

struct FtpEndpoint {
  std::string host;
  int port = 21;
  std::string username;
  std::string password;
  std::string directory;  // "" = the login directory
  FtpTlsMode tls = FtpTlsMode::kNone;
  std::string ca_file;  // "" = the system's CAs
  int connect_timeout_s = 10;
  int stall_timeout_s = 15;  // a transfer slower than 1 byte/s for this long fails
  // When set and true, a transfer in progress is abandoned (kUnavailable): shutdown.
  const std::atomic<bool>* cancel = nullptr;
};

std::unique_ptr<FtpClient> MakeCurlFtpClient(const FtpEndpoint& endpoint);

}  // namespace bramka::ingest::ftp
