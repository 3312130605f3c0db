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

}  // namespace bramka::core
