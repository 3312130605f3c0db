#pragma once
// The rule for callback URLs (templates) bramka accepts from an operator or a
// customer (spec §6): http:// or https:// with a host, at most 2048
// characters, no spaces or control characters (placeholders are #WORD#s and
// need no escaping). Pure.

#include <string_view>

#include "common/result.h"

namespace bramka::core {

// kInvalidArgument naming what is wrong.
Result<void> ValidateCallbackUrl(std::string_view url);

// ---- reliability: SSRF (issue 12, ADR 0025; callback_url_guard.cc) ----
// kInvalidArgument when the URL's host is visibly inward: localhost or a literal
// loopback, private, shared, link-local, multicast or reserved IP (url_guard.h). Names
// that resolve inward are refused when the callback is made (notify/sender.cc).
Result<void> CheckCallbackHost(std::string_view url);

}  // namespace bramka::core
