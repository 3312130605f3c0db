#pragma once
// The accounts area of core (docs/adr/0008): what GatewayService's account
// methods take and return — API login with allowlist and throttling,
// subaccounts, sender names, signups (account/add), operator contact data
// (account/help) and operator messages (account/messages). The methods
// themselves are GatewayService's (accounts.cc, senders.cc).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"

namespace bramka::core {

// How an API v2 request authenticates (spec §1.4): a Bearer token wins over
// username/password.
struct ApiCredentials {
  std::string token;
  std::string username;
  std::string password;
};

// account/help (spec §4.12): the operator's contact data, from [operator] in
// the config file.
struct OperatorContact {
  std::string telephone;
  std::string email;
  std::string form;  // URL of a contact form
  std::string faq;   // URL
  std::string maintainer_name;
  std::string maintainer_email;
  std::string maintainer_telephone;
  std::string maintainer_photo;  // URL
};

// subaccounts/add (spec §4.17).
struct SubaccountRequest {
  std::string username;
  std::string password;
  std::optional<int64_t> template_id;  // subaccount_id: copy its permissions and limits
  std::string full_name;               // `name`
  std::string phone;
  std::string email;
};

// account/add (spec §4.12).
struct SignupRequest {
  std::string phone;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string company;
};

// senders/index (spec §4.13).
struct SenderListQuery {
  bool predefined = false;  // the system's ready-made senders instead of the account's
  std::string type;         // "", "ndi" or "mms"
  bool descending = false;  // by name
};

struct SenderView {
  std::string name;
  std::string agreement;  // delivered | required | not_required
  std::string status;     // pending_authorization | authorized | rejected | deactivated
};

// A sender name bramka accepts: 1 to 11 letters, digits, spaces or . - _ &
// (alphanumeric senders, GSM 03.40 TP-OA), or a number of up to 15 digits
// with an optional leading '+'.
bool IsValidSenderName(const std::string& name);

}  // namespace bramka::core
