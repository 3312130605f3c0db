#pragma once
// The SSRF guard (core/url_guard.h) for a libcurl handle: every socket libcurl opens
// (first request, redirects) is checked on the address it resolved, and environment
// proxies are ignored so that the guard sees the real destination. Used by the media
// fetcher (files/add, ADR 0021) and the callback sender (dlr_url / mo_url, ADR 0025).
//
// The guard must outlive the transfer. Not thread-safe per guard (one per transfer).

#include <curl/curl.h>

#include <string>

namespace bramka::core {

struct CurlSocketGuard {
  bool allow_private = false;  // the operator's switch ([media] / [notify] allow_private_urls)
  std::string refused;         // the address refused, for the error message ("" = none)
};

// Sets CURLOPT_OPENSOCKETFUNCTION/DATA and an empty CURLOPT_PROXY on `handle`.
void InstallCurlSocketGuard(CURL* handle, CurlSocketGuard* guard);

// "it leads to ADDRESS, a loopback, private or link-local address".
std::string RefusedAddressText(const std::string& address);

}  // namespace bramka::core
