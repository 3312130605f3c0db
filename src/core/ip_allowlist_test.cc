#include "core/ip_allowlist.h"

#include <gtest/gtest.h>

namespace bramka::core {
namespace {

TEST(IpAllowlistTest, EmptyAllowsEveryone) { EXPECT_TRUE(IpAllowed({}, "203.0.113.9")); }

TEST(IpAllowlistTest, Ipv4Ranges) {
  const std::vector<std::string> list = {"10.0.0.0/8", "192.168.1.7", "172.16.0.0/12"};
  EXPECT_TRUE(IpAllowed(list, "10.255.0.1"));
  EXPECT_TRUE(IpAllowed(list, "192.168.1.7"));
  EXPECT_FALSE(IpAllowed(list, "192.168.1.8"));
  EXPECT_TRUE(IpAllowed(list, "172.31.255.255"));
  EXPECT_FALSE(IpAllowed(list, "172.32.0.0"));
  EXPECT_FALSE(IpAllowed(list, "127.0.0.1"));
  EXPECT_TRUE(IpAllowed(list, "::ffff:10.1.2.3"));  // v4-mapped
  EXPECT_FALSE(IpAllowed(list, "not an ip"));
  EXPECT_TRUE(IpAllowed({"0.0.0.0/0"}, "8.8.8.8"));
}

TEST(IpAllowlistTest, Ipv6Ranges) {
  EXPECT_TRUE(IpAllowed({"2001:db8::/32"}, "2001:db8:1::5"));
  EXPECT_FALSE(IpAllowed({"2001:db8::/32"}, "2001:db9::5"));
  EXPECT_FALSE(IpAllowed({"2001:db8::/32"}, "10.0.0.1"));
  EXPECT_TRUE(IpAllowed({"::1"}, "::1"));
}

TEST(IpAllowlistTest, Validate) {
  EXPECT_TRUE(ValidateCidr("10.0.0.0/8").ok());
  EXPECT_TRUE(ValidateCidr("127.0.0.1").ok());
  EXPECT_TRUE(ValidateCidr("::1/128").ok());
  EXPECT_FALSE(ValidateCidr("10.0.0.0/33").ok());
  EXPECT_FALSE(ValidateCidr("10.0.0/8").ok());
  EXPECT_FALSE(ValidateCidr("10.0.0.0/").ok());
  EXPECT_FALSE(ValidateCidr("localhost").ok());
}

}  // namespace
}  // namespace bramka::core
