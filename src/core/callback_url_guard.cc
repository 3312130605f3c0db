// reliability (issue 12, ADR 0025): the SSRF rule for callback URLs at the moment a
// customer gives one (send_sms dlr_url, the account's dlr/mo templates). The address
// is checked again when the callback is made (notify/sender.cc, on the resolved
// address); this early check only catches what is visible in the text: a literal
// loopback/private/link-local IP or localhost, answered with a clear error.

#include <algorithm>
#include <cctype>
#include <string>

#include "core/callback_url.h"
#include "core/curl_guard.h"
#include "core/url_guard.h"

namespace bramka::core {

Result<void> CheckCallbackHost(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return Ok();  // ValidateCallbackUrl's business
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string host;
  if (!rest.empty() && rest.front() == '[') {
    host = std::string(rest.substr(
        1, rest.find(']') == std::string_view::npos ? std::string_view::npos : rest.find(']') - 1));
  } else {
    host = std::string(rest.substr(0, rest.find(':')));
  }
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!host.empty() && host.back() == '.') host.pop_back();
  const bool local_name = host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"));
  const bool literal_inward = !IsPublicAddress(host) && IsIpLiteral(host);
  if (local_name || literal_inward) {
    return Fail(ErrorCode::kInvalidArgument,
                "callback URL is not allowed: " + RefusedAddressText(host) +
                    " (the operator may allow them: [notify] allow_private_urls)");
  }
  return Ok();
}

}  // namespace bramka::core
