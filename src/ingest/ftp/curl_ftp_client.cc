// CurlFtpClient: FtpClient over libcurl's easy interface. One easy handle per
// client, so that a poll's listing, downloads and uploads share one control
// connection (curl_easy_reset keeps the connection cache).
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

#include "ingest/ftp/ftp_client.h"

namespace bramka::ingest::ftp {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  std::string data;
  size_t max = 0;
  bool too_large = false;
};

size_t WriteToSink(char* p, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t bytes = size * n;
  if (sink->data.size() + bytes > sink->max) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  sink->data.append(p, bytes);
  return bytes;
}

struct Source {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadFromSource(char* p, size_t size, size_t n, void* user) {
  auto* src = static_cast<Source*>(user);
  const size_t bytes = std::min(size * n, src->data->size() - src->offset);
  std::memcpy(p, src->data->data() + src->offset, bytes);
  src->offset += bytes;
  return bytes;
}

int Cancelled(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

class CurlFtpClient final : public FtpClient {
 public:
  explicit CurlFtpClient(FtpEndpoint e) : e_(std::move(e)) {
    GlobalInit();
    curl_ = curl_easy_init();
  }
  ~CurlFtpClient() override {
    if (curl_) curl_easy_cleanup(curl_);
  }

  Result<std::vector<std::string>> List() override {
    Sink sink;
    sink.max = 16 * 1024 * 1024;
    Prepare(DirUrl());
    curl_easy_setopt(curl_, CURLOPT_DIRLISTONLY, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, WriteToSink);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
    BRAMKA_RETURN_IF_ERROR(Perform("list"));
    std::vector<std::string> names;
    size_t start = 0;
    while (start < sink.data.size()) {
      size_t end = sink.data.find('\n', start);
      if (end == std::string::npos) end = sink.data.size();
      std::string name = sink.data.substr(start, end - start);
      if (!name.empty() && name.back() == '\r') name.pop_back();
      if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
      if (!name.empty() && name != "." && name != "..") names.push_back(std::move(name));
      start = end + 1;
    }
    return names;
  }

  Result<std::string> Download(const std::string& name, size_t max_bytes) override {
    Sink sink;
    sink.max = max_bytes;
    Prepare(DirUrl() + Escape(name));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, WriteToSink);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
    auto r = Perform("download " + name);
    if (sink.too_large) {
      return Fail(ErrorCode::kRejected,
                  name + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    if (!r.ok()) return r.take_error();
    return std::move(sink.data);
  }

  Result<void> Upload(const std::string& name, const std::string& data) override {
    // Written under a temporary name, its size checked (a TLS data connection cut
    // short can look like a clean end), then renamed: nobody reads half a file.
    const std::string part = name + ".part";
    Source src{&data};
    Prepare(DirUrl() + Escape(part));
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, ReadFromSource);
    curl_easy_setopt(curl_, CURLOPT_READDATA, &src);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
    BRAMKA_RETURN_IF_ERROR(Perform("upload " + name));
    Prepare(DirUrl() + Escape(part));
    curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);  // SIZE
    BRAMKA_RETURN_IF_ERROR(Perform("size of " + part));
    curl_off_t size = -1;
    curl_easy_getinfo(curl_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
    if (size >= 0 && size != static_cast<curl_off_t>(data.size())) {
      return Fail(ErrorCode::kUnavailable, "FTP upload " + name + ": the server stored " +
                                               std::to_string(size) + " of " +
                                               std::to_string(data.size()) + " bytes");
    }
    return Quote({"RNFR " + part, "RNTO " + name}, "rename " + part);
  }

  Result<void> Remove(const std::string& name) override {
    return Quote({"DELE " + name}, "delete " + name);
  }

  Result<void> MoveTo(const std::string& name, const std::string& dir) override {
    // MKD fails harmlessly when the folder exists ("*" prefix: ignore its error).
    return Quote({"*MKD " + dir, "RNFR " + name, "RNTO " + dir + "/" + name}, "move " + name);
  }

 private:
  std::string Escape(const std::string& s) {
    char* e = curl_easy_escape(curl_, s.data(), static_cast<int>(s.size()));
    std::string out = e ? e : "";
    curl_free(e);
    return out;
  }

  std::string DirUrl() {
    std::string url = (e_.tls == FtpTlsMode::kImplicit ? "ftps://" : "ftp://") + e_.host + ":" +
                      std::to_string(e_.port) + "/";
    size_t start = 0;
    const std::string& d = e_.directory;
    while (start < d.size()) {
      size_t end = d.find('/', start);
      if (end == std::string::npos) end = d.size();
      if (end > start) url += Escape(d.substr(start, end - start)) + "/";
      start = end + 1;
    }
    return url;
  }

  // libcurl's debug callback: keeps the verb of each FTP command sent (never its argument:
  // PASS carries the password), so that an error names the step it stopped at.
  static int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
    if (type != CURLINFO_HEADER_OUT) return 0;
    size_t n = 0;
    while (n < size && n < 8 && std::isalpha(static_cast<unsigned char>(data[n]))) ++n;
    static_cast<CurlFtpClient*>(user)->last_command_.assign(data, n);
    return 0;
  }

  void Prepare(const std::string& url) {
    curl_easy_reset(curl_);
    error_[0] = '\0';
    last_command_.clear();
    curl_easy_setopt(curl_, CURLOPT_DEBUGFUNCTION, OnDebug);
    curl_easy_setopt(curl_, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(curl_, CURLOPT_VERBOSE, 1L);  // only feeds OnDebug, prints nothing
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_USERNAME, e_.username.c_str());
    curl_easy_setopt(curl_, CURLOPT_PASSWORD, e_.password.c_str());
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, static_cast<long>(e_.connect_timeout_s));
    curl_easy_setopt(curl_, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(e_.stall_timeout_s));
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, static_cast<long>(e_.stall_timeout_s));
    curl_easy_setopt(curl_, CURLOPT_FTP_FILEMETHOD, static_cast<long>(CURLFTPMETHOD_SINGLECWD));
    if (e_.cancel) {
      curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, Cancelled);
      curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, e_.cancel);
    }
    if (e_.tls != FtpTlsMode::kNone) {
      // Explicit: AUTH TLS and refuse to go on in plain (PEERS.md: --ssl-reqd).
      curl_easy_setopt(curl_, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
      if (!e_.ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, e_.ca_file.c_str());
    }
  }

  Result<void> Quote(std::vector<std::string> commands, const std::string& what) {
    curl_slist* list = nullptr;
    for (const auto& c : commands) list = curl_slist_append(list, c.c_str());
    Prepare(DirUrl());
    curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTQUOTE, list);
    auto r = Perform(what);
    curl_slist_free_all(list);
    return r;
  }

  Result<void> Perform(const std::string& what) {
    if (!curl_) return Fail(ErrorCode::kInternal, "curl_easy_init failed");
    const CURLcode rc = curl_easy_perform(curl_);
    if (rc == CURLE_OK) return Ok();
    std::string detail = error_[0] ? error_ : curl_easy_strerror(rc);
    const ErrorCode code =
        rc == CURLE_REMOTE_FILE_NOT_FOUND ? ErrorCode::kNotFound : ErrorCode::kUnavailable;
    // The step: a log-in that timed out reads "(last command PASS)", not just "list".
    std::string step;
    if (!last_command_.empty()) {
      step = " (last command " + last_command_ + ")";
    } else {
      curl_off_t connected_us = 0;
      curl_easy_getinfo(curl_, CURLINFO_CONNECT_TIME_T, &connected_us);
      if (connected_us > 0) step = " (connected, no greeting from the server)";
    }
    return Fail(code, "FTP " + what + " at " + e_.host + ":" + std::to_string(e_.port) + step +
                          ": " + detail);
  }

  FtpEndpoint e_;
  CURL* curl_ = nullptr;
  char error_[CURL_ERROR_SIZE] = {0};
  std::string last_command_;  // of the transfer under way (OnDebug)
};

}  // namespace

std::unique_ptr<FtpClient> MakeCurlFtpClient(const FtpEndpoint& endpoint) {
  return std::make_unique<CurlFtpClient>(endpoint);
}

}  // namespace bramka::ingest::ftp
