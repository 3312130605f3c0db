// url_guard.h: public vs loopback/private/link-local addresses (SSRF guard).
#include "core/url_guard.h"

#include <gtest/gtest.h>

namespace bramka::core {
namespace {

TEST(UrlGuardTest, RefusesLoopbackPrivateLinkLocalAndReserved) {
  for (const char* a : {"127.0.0.1",
                        "127.255.0.9",
                        "0.0.0.0",
                        "10.1.2.3",
                        "172.16.0.1",
                        "172.31.255.255",
                        "192.168.1.1",
                        "169.254.169.254",
                        "100.64.0.1",
                        "224.0.0.1",
                        "255.255.255.255",
                        "198.18.0.1",
                        "::",
                        "::1",
                        "fe80::1",
                        "fc00::1",
                        "fd12:3456::1",
                        "ff02::1",
                        "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1",
                        "::127.0.0.1",
                        "64:ff9b::a9fe:a9fe",
                        "2002:7f00:1::",
                        "2001:db8::1"}) {
    EXPECT_FALSE(IsPublicAddress(std::string(a))) << a;
  }
}

TEST(UrlGuardTest, AcceptsPublicAddresses) {
  for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "193.0.6.139",
                        "2a00:1450:4001::200e", "::ffff:8.8.8.8", "2606:4700::1111"}) {
    EXPECT_TRUE(IsPublicAddress(std::string(a))) << a;
  }
}

TEST(UrlGuardTest, GarbageIsNotPublic) {
  EXPECT_FALSE(IsPublicAddress(std::string("localhost")));
  EXPECT_FALSE(IsPublicAddress(std::string("")));
  EXPECT_FALSE(IsPublicAddress(static_cast<const sockaddr*>(nullptr)));
}

}  // namespace
}  // namespace bramka::core
