#pragma once
// MediaFetcher: fetches a file a client names by URL (files/add with `url`,
// spec §4.10). An interface so that core's tests use a fake and the
// composition root wires the libcurl implementation.
//
// Contract: only http:// and https:// URLs (also after redirects); the body is
// refused once it passes `max_bytes`; the whole transfer is bounded in time.
// Synchronous: called from the HTTP worker pool, never from an I/O thread.
// Thread-safe.
//
// Errors (all with core::Failure in detail):
//   kInvalidArgument + kInvalidParameter  the URL is malformed or not http(s), or it
//                                         (or a redirect) resolves to a non-public
//                                         address (SSRF guard, url_guard.h)
//   kInvalidArgument + kFileTooLarge      the body is larger than max_bytes
//   kUnavailable     + kFileFetchFailed   connect/TLS/timeout failures, an HTTP
//                                         status other than 2xx, too many redirects

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"

namespace bramka::core {

struct FetchedMedia {
  std::string data;
  std::string content_type;  // as the server declared it; may be empty
  std::string file_name;     // the last path segment of the final URL; may be empty
};

class MediaFetcher {
 public:
  virtual ~MediaFetcher() = default;
  virtual Result<FetchedMedia> Fetch(const std::string& url, size_t max_bytes) = 0;
};

struct CurlFetcherOptions {
  std::chrono::seconds timeout{15};  // whole transfer
  std::chrono::seconds connect_timeout{5};
  long max_redirects = 3;
  // reliability area (docs/adr/0021): connections to loopback, private, link-local
  // and other non-public addresses (core/url_guard.h) are refused, for the first
  // request and every redirect, unless this is set ([media] allow_private_urls).
  bool allow_private_addresses = false;
};

// The libcurl implementation (media_fetcher_curl.cc). Certificates are verified
// against the system store.
std::unique_ptr<MediaFetcher> MakeCurlMediaFetcher(CurlFetcherOptions options = {});

// Whether `url` is http:// or https:// with a host (what Fetch accepts). Pure.
bool IsFetchableUrl(const std::string& url);

}  // namespace bramka::core
