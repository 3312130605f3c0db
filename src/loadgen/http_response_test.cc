#include "loadgen/http_response.h"

#include <gtest/gtest.h>

#include <string>

namespace bramka::loadgen {
namespace {

using State = HttpAnswer::State;

constexpr std::string_view kOk =
    "HTTP/1.1 200 OK\r\nServer: bramka\r\nContent-Type: application/json\r\n"
    "Content-Length: 38\r\n\r\n{\"success\":true,\"queued\":1,\"unsent\":0}";

TEST(ReadHttpAnswerTest, ReadsAWholeAnswer) {
  const HttpAnswer a = ReadHttpAnswer(kOk);
  ASSERT_EQ(a.state, State::kDone);
  EXPECT_EQ(a.status, 200u);
  EXPECT_TRUE(a.keep_alive);
  EXPECT_EQ(a.body, R"({"success":true,"queued":1,"unsent":0})");
  EXPECT_EQ(a.consumed, kOk.size());
}

TEST(ReadHttpAnswerTest, NeedsMoreUntilTheLastByte) {
  for (size_t n = 0; n < kOk.size(); ++n) {
    EXPECT_EQ(ReadHttpAnswer(kOk.substr(0, n)).state, State::kNeedMore) << n;
  }
}

TEST(ReadHttpAnswerTest, LeavesTheNextAnswerAlone) {
  const std::string two = std::string(kOk) + std::string(kOk);
  const HttpAnswer a = ReadHttpAnswer(two);
  ASSERT_EQ(a.state, State::kDone);
  EXPECT_EQ(a.consumed, kOk.size());
}

TEST(ReadHttpAnswerTest, KeepAliveFollowsVersionAndConnection) {
  EXPECT_FALSE(ReadHttpAnswer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                   .keep_alive);
  EXPECT_FALSE(ReadHttpAnswer(
                   "HTTP/1.1 200 OK\r\nconnection: Keep-Alive, CLOSE\r\ncontent-length: 0\r\n\r\n")
                   .keep_alive);
  EXPECT_FALSE(ReadHttpAnswer("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_TRUE(
      ReadHttpAnswer("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
          .keep_alive);
}

TEST(ReadHttpAnswerTest, StatusWithoutReasonAndErrors) {
  const HttpAnswer a = ReadHttpAnswer("HTTP/1.1 413\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_EQ(a.state, State::kDone);
  EXPECT_EQ(a.status, 413u);
  EXPECT_EQ(a.body, "{}");
}

TEST(ReadHttpAnswerTest, SkipsInterimAnswers) {
  const std::string s = "HTTP/1.1 100 Continue\r\n\r\n" + std::string(kOk);
  const HttpAnswer a = ReadHttpAnswer(s);
  ASSERT_EQ(a.state, State::kDone);
  EXPECT_EQ(a.status, 200u);
  EXPECT_EQ(a.consumed, s.size());
}

TEST(ReadHttpAnswerTest, NoBodyFor204) {
  const HttpAnswer a = ReadHttpAnswer("HTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_EQ(a.state, State::kDone);
  EXPECT_TRUE(a.body.empty());
}

TEST(ReadHttpAnswerTest, RefusesWhatItCannotFrame) {
  EXPECT_EQ(ReadHttpAnswer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").state,
            State::kUnsupported);
  EXPECT_EQ(ReadHttpAnswer("HTTP/1.1 200 OK\r\n\r\nuntil close").state, State::kUnsupported);
  EXPECT_EQ(ReadHttpAnswer("HTTP/1.1 101 Switching Protocols\r\n\r\n").state, State::kUnsupported);
}

TEST(ReadHttpAnswerTest, RefusesMalformedHeads) {
  EXPECT_EQ(ReadHttpAnswer("HTTP/2 200 OK\r\n\r\n").state, State::kMalformed);
  EXPECT_EQ(ReadHttpAnswer("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n").state,
            State::kMalformed);
  EXPECT_EQ(ReadHttpAnswer("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n").state,
            State::kMalformed);
  EXPECT_EQ(
      ReadHttpAnswer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab").state,
      State::kMalformed);
  EXPECT_EQ(ReadHttpAnswer("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").state, State::kMalformed);
  EXPECT_EQ(ReadHttpAnswer("HTTP/1.1 200 OK\r\n folded: x\r\n\r\n").state, State::kMalformed);
  EXPECT_EQ(ReadHttpAnswer(std::string(100, 'x'), 64).state, State::kMalformed);
}

}  // namespace
}  // namespace bramka::loadgen
