#include "api/http/personalized.h"

#include <gtest/gtest.h>

namespace bramka::api::http {
namespace {

std::vector<std::string> Flat(const std::vector<PersonalizedMessage>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m.phone + "=" + m.text);
  return out;
}

const std::vector<std::string> kExpected = {"500600700=First", "600700800=Second: with colon"};

TEST(PersonalizedTest, JsonArrayOfObjects) {
  auto r = ParsePersonalizedMessages(ParamTree::parse(
      R"([{"phone":"500600700","text":"First"},{"phone":600700800,"text":"Second: with colon"}])"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Flat(*r), kExpected);
}

TEST(PersonalizedTest, FormBracketsDecodeToArraysOrIndexedObjects) {
  auto form = DecodeForm(
      "messages[0][phone]=500600700&messages[0][text]=First&messages[1][phone]=600700800&"
      "messages[1][text]=Second%3A+with+colon");
  ASSERT_TRUE(form.ok());
  auto r = ParsePersonalizedMessages((*form)["messages"]);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Flat(*r), kExpected);

  ParamTree indexed = ParamTree::object();
  for (int i = 0; i < 12; ++i) {
    indexed[std::to_string(i)] = {{"phone", "5006007" + std::to_string(10 + i)}, {"text", "t"}};
  }
  auto ordered = ParsePersonalizedMessages(indexed);
  ASSERT_TRUE(ordered.ok());
  ASSERT_EQ(ordered->size(), 12u);
  EXPECT_EQ((*ordered)[2].phone, "500600712");
  EXPECT_EQ((*ordered)[10].phone, "500600720");
}

TEST(PersonalizedTest, SeparatorStringsWithEveryClientsDefects) {
  for (const char* wire : {"500600700:First]|[600700800:Second: with colon",
                           "500600700:First]|[600700800:Second: with colon]|[",  // C#, Perl
                           "500600700:First]|[\"600700800:Second: with colon",   // Python
                           "[{\"phone\":\"500600700\",\"text\":\"First\"},"
                           "{\"phone\":\"600700800\",\"text\":\"Second: with colon\"}]"}) {
    auto r = ParsePersonalizedMessages(ParamTree(wire));
    ASSERT_TRUE(r.ok()) << wire << ": " << r.error().message;
    EXPECT_EQ(Flat(*r), kExpected) << wire;
  }
}

TEST(PersonalizedTest, BadEntriesAreNamed) {
  auto no_colon = ParsePersonalizedMessages(ParamTree("500600700:ok]|[no colon here"));
  ASSERT_FALSE(no_colon.ok());
  EXPECT_NE(no_colon.error().message.find("entry 2"), std::string::npos);
  auto no_text = ParsePersonalizedMessages(ParamTree::parse(R"([{"phone":"500600700"}])"));
  ASSERT_FALSE(no_text.ok());
  EXPECT_NE(no_text.error().message.find("messages[0] has no text"), std::string::npos);
  EXPECT_FALSE(ParsePersonalizedMessages(ParamTree(12)).ok());
}

}  // namespace
}  // namespace bramka::api::http
