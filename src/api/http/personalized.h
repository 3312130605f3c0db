#pragma once
// The `messages` parameter of messages/send_personalized (spec §4.2), in all
// four wire shapes real clients send:
//  1. a JSON array of {"phone","text"} objects (PHP v2, Ruby, Symfony);
//  2. form brackets messages[0][phone]=…&messages[0][text]=… (Node, old PHP),
//     which decode to an array or to an object keyed "0", "1", …;
//  3. one string "500600700:First]|[600700800:Second", split at the first
//     colon of each entry (Java, Delphi, Bash, C#, Perl);
//  4. (3) with defects: a trailing "]|[" (C#, Perl) and a '"' before phones
//     after the first (Python's `]|["` separator).
// Pure; no I/O.

#include <string>
#include <vector>

#include "api/http/request.h"
#include "common/result.h"

namespace bramka::api::http {

struct PersonalizedMessage {
  std::string phone;
  std::string text;
};

// kInvalidArgument (1006) naming the entry that has no phone or no text.
Result<std::vector<PersonalizedMessage>> ParsePersonalizedMessages(const ParamTree& messages);

}  // namespace bramka::api::http
