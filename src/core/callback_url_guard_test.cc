// reliability (ADR 0025): CheckCallbackHost refuses visibly inward callback hosts.
#include <gtest/gtest.h>

#include "core/callback_url.h"

namespace bramka::core {
namespace {

TEST(CallbackUrlGuardTest, InwardHostsAreRefused) {
  for (const char* url :
       {"http://127.0.0.1/dlr", "https://127.0.0.1:8443/x?id=#SMSID#", "http://[::1]:80/",
        "http://10.1.2.3/", "http://192.168.0.1", "http://172.16.0.1/", "http://169.254.169.254/",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/",
        "http://localhost/", "http://LOCALHOST:9000/", "http://api.localhost/",
        "http://user:pw@127.0.0.1/", "http://localhost./"}) {
    auto r = CheckCallbackHost(url);
    EXPECT_FALSE(r.ok()) << url;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("allow_private_urls"), std::string::npos);
    }
  }
}

TEST(CallbackUrlGuardTest, PublicHostsAndNamesPass) {
  // Names are checked on the resolved address when called (notify/sender.cc).
  for (const char* url :
       {"https://shop.example/dlr?id=#SMSID#", "http://8.8.8.8/", "http://[2001:4860:4860::8888]/",
        "http://2130706433/", "http://127.0.0.1.nip.io/", "https://user@shop.example:8443/x"}) {
    EXPECT_TRUE(CheckCallbackHost(url).ok()) << url;
  }
}

}  // namespace
}  // namespace bramka::core
