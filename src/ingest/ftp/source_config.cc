#include "ingest/ftp/source_config.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "ingest/ftp/file_format.h"

namespace bramka::ingest::ftp {
namespace {

Unexpected Bad(std::string what) { return Fail(ErrorCode::kInvalidArgument, std::move(what)); }

bool PercentDecode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      return false;
    }
    out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
    i += 2;
  }
  return true;
}

}  // namespace

Result<store::FtpSource> BuildSource(store::AccountId account, const SourceRequest& r,
                                     const SecretBox& box, int64_t now_ms) {
  store::FtpSource s;
  s.account_id = account;
  s.created_ms = now_ms;
  std::string_view url = r.url;
  bool implicit = false;
  if (url.rfind("ftp://", 0) == 0) {
    url.remove_prefix(6);
  } else if (url.rfind("ftps://", 0) == 0) {
    url.remove_prefix(7);
    implicit = true;
  } else {
    return Bad("--url must start with ftp:// or ftps://");
  }
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : url.substr(slash + 1);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return Bad("--url needs USER:PASSWORD@ before the host");
  std::string_view userinfo = authority.substr(0, at);
  std::string_view hostport = authority.substr(at + 1);
  const size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return Bad("--url needs USER:PASSWORD@ (no password given)");
  std::string password;
  if (!PercentDecode(userinfo.substr(0, colon), s.username) ||
      !PercentDecode(userinfo.substr(colon + 1), password)) {
    return Bad("--url: bad %-escape in the user or password");
  }
  if (s.username.empty()) return Bad("--url: empty user name");
  s.port = implicit ? 990 : 21;
  const size_t bracket = hostport.find(']');  // [IPv6]:port
  const size_t c = hostport.rfind(':');
  if (c != std::string_view::npos && (bracket == std::string_view::npos || c > bracket)) {
    const std::string port(hostport.substr(c + 1));
    hostport = hostport.substr(0, c);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }) ||
        std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return Bad("--url: the port must be 1..65535");
    }
    s.port = std::stoi(port);
  }
  s.host = std::string(hostport);
  if (s.host.empty()) return Bad("--url: no host");
  if (!PercentDecode(path, s.directory)) return Bad("--url: bad %-escape in the folder");
  while (!s.directory.empty() && s.directory.back() == '/') s.directory.pop_back();

  if (r.tls.empty()) {
    s.tls = implicit ? store::FtpTls::kImplicit : store::FtpTls::kNone;
  } else if (r.tls == "none") {
    if (implicit) return Bad("--tls none contradicts an ftps:// URL");
    s.tls = store::FtpTls::kNone;
  } else if (r.tls == "explicit") {
    s.tls = store::FtpTls::kExplicit;
  } else if (r.tls == "implicit") {
    s.tls = store::FtpTls::kImplicit;
  } else {
    return Bad("--tls must be none, explicit or implicit");
  }
  if (!r.ca_file.empty() && s.tls == store::FtpTls::kNone) {
    return Bad("--ca is for FTPS: add --tls explicit or implicit");
  }
  s.ca_file = r.ca_file;
  if (r.interval_s < 1 || r.interval_s > 86400) return Bad("--interval must be 1..86400 seconds");
  s.interval_s = r.interval_s;
  size_t chars = 0;
  for (unsigned char ch : r.text) chars += (ch & 0xC0) != 0x80;
  if (chars > kMaxTextChars) return Bad("--text is longer than 918 characters");
  s.text = r.text;
  if (r.sender.size() > 11) return Bad("--sender: at most 11 characters");
  s.sender = r.sender;
  if (r.after == "delete") {
    s.after = store::FtpAfter::kDelete;
  } else if (r.after == "move") {
    s.after = store::FtpAfter::kMove;
    if (r.move_dir.empty() || r.move_dir.find("..") != std::string::npos) {
      return Bad("--move-dir must name a folder inside the source's folder");
    }
  } else if (r.after == "keep") {
    s.after = store::FtpAfter::kKeep;
  } else {
    return Bad("--after must be delete, move or keep");
  }
  s.move_dir = r.move_dir;
  s.password_sealed = box.Seal(password);
  return s;
}

std::string DescribeSource(const store::FtpSource& s) {
  const char* tls = s.tls == store::FtpTls::kExplicit   ? "explicit TLS"
                    : s.tls == store::FtpTls::kImplicit ? "implicit TLS"
                                                        : "no TLS";
  const char* after = s.after == store::FtpAfter::kDelete ? "delete"
                      : s.after == store::FtpAfter::kMove ? "move"
                                                          : "keep";
  return fmt::format("{}@{}:{}/{} ({}{}, every {} s, then {}{})", s.username, s.host, s.port,
                     s.directory, tls, s.ca_file.empty() ? "" : ", CA " + s.ca_file, s.interval_s,
                     after, s.after == store::FtpAfter::kMove ? " to " + s.move_dir : "");
}

}  // namespace bramka::ingest::ftp
