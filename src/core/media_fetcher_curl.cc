// MediaFetcher over libcurl (easy interface, one handle per fetch).
#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "core/curl_guard.h"
#include "core/failure.h"
#include "core/media_fetcher.h"
#include "core/media_format.h"

namespace bramka::core {
namespace {

Unexpected FetchFailed(std::string message) {
  return Fail(ErrorCode::kUnavailable, std::move(message),
              static_cast<int>(Failure::kFileFetchFailed));
}

struct Sink {
  std::string data;
  size_t max_bytes = 0;
  bool too_large = false;
};

size_t Write(char* ptr, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * nmemb;
  if (sink->data.size() + n > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  sink->data.append(ptr, n);
  return n;
}

class CurlMediaFetcher final : public MediaFetcher {
 public:
  explicit CurlMediaFetcher(CurlFetcherOptions options) : options_(options) {
    // curl_global_init is not thread-safe; once per process.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Result<FetchedMedia> Fetch(const std::string& url, size_t max_bytes) override {
    if (!IsFetchableUrl(url)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "url must be an http:// or https:// address (other schemes are refused)",
                  static_cast<int>(Failure::kInvalidParameter));
    }
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return FetchFailed("libcurl could not start a transfer");
    Sink sink;
    sink.max_bytes = max_bytes;
    char error[CURL_ERROR_SIZE] = {0};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    // http/https only, for the first request and every redirect: no file://, ftp://,
    // gopher://, dict://... (a URL must not read the server's own files).
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, options_.max_redirects);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count() * 1000));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count() * 1000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "bramka");
    // SSRF guard (url_guard.h) on every socket; no proxy from the environment.
    CurlSocketGuard guard{options_.allow_private_addresses, {}};
    InstallCurlSocketGuard(h, &guard);
    const CURLcode rc = curl_easy_perform(h);
    if (!guard.refused.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "url is not allowed: " + RefusedAddressText(guard.refused),
                  static_cast<int>(Failure::kInvalidParameter));
    }
    if (sink.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the file at the URL is larger than " + std::to_string(max_bytes) + " bytes",
                  static_cast<int>(Failure::kFileTooLarge));
    }
    if (rc != CURLE_OK) {
      return FetchFailed("fetching the URL failed: " +
                         std::string(error[0] ? error : curl_easy_strerror(rc)));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
      return FetchFailed("fetching the URL failed: HTTP status " + std::to_string(status));
    }
    FetchedMedia out;
    out.data = std::move(sink.data);
    char* type = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
      out.content_type = type;
    }
    char* effective = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
      std::string_view path = effective;
      const size_t scheme = path.find("://");
      if (scheme != std::string_view::npos) path.remove_prefix(scheme + 3);
      const size_t slash = path.find('/');
      out.file_name = slash == std::string_view::npos ? "" : CleanFileName(path.substr(slash));
    }
    return out;
  }

 private:
  CurlFetcherOptions options_;
};

}  // namespace

bool IsFetchableUrl(const std::string& url) {
  std::string lower;
  for (char c : url.substr(0, 8))
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  size_t host;
  if (lower.rfind("http://", 0) == 0) {
    host = 7;
  } else if (lower.rfind("https://", 0) == 0) {
    host = 8;
  } else {
    return false;
  }
  if (url.size() <= host || url[host] == '/') return false;
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

std::unique_ptr<MediaFetcher> MakeCurlMediaFetcher(CurlFetcherOptions options) {
  return std::make_unique<CurlMediaFetcher>(options);
}

}  // namespace bramka::core
