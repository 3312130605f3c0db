#include "api/http/response_head.h"

#include <gtest/gtest.h>

namespace bramka::api::http {
namespace {

std::string Head(unsigned status, unsigned version, bool close, size_t length) {
  std::string out = "left over from the previous answer";
  BeginResponseHead(out, status, version);
  AppendField(out, "Content-Type", "application/json; charset=UTF-8");
  EndResponseHead(out, version, close, length);
  return out;
}

TEST(ResponseHeadTest, KeepAliveHttp11HasNoConnectionField) {
  EXPECT_EQ(Head(200, 11, false, 42),
            "HTTP/1.1 200 OK\r\nServer: bramka\r\nContent-Type: application/json; "
            "charset=UTF-8\r\nContent-Length: 42\r\n\r\n");
}

TEST(ResponseHeadTest, ClosingHttp11SaysClose) {
  EXPECT_EQ(Head(413, 11, true, 0),
            "HTTP/1.1 413 Payload Too Large\r\nServer: bramka\r\nContent-Type: "
            "application/json; charset=UTF-8\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

TEST(ResponseHeadTest, Http10KeepsAliveOnlyWhenAsked) {
  EXPECT_NE(Head(200, 10, false, 1).find("HTTP/1.0 200 OK\r\n"), std::string::npos);
  EXPECT_NE(Head(200, 10, false, 1).find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(Head(200, 10, true, 1).find("Connection:"), std::string::npos);
}

TEST(ResponseHeadTest, FieldsTheHeadWritesItselfAreNotCopiedTwice) {
  std::string out;
  BeginResponseHead(out, 503, 11);
  AppendField(out, "content-length", "999");
  AppendField(out, "Connection", "close");
  AppendField(out, "SERVER", "other");
  AppendField(out, "Transfer-Encoding", "chunked");
  AppendField(out, "Retry-After", "5");
  EndResponseHead(out, 11, false, 3);
  EXPECT_EQ(out,
            "HTTP/1.1 503 Service Unavailable\r\nServer: bramka\r\nRetry-After: 5\r\n"
            "Content-Length: 3\r\n\r\n");
  EXPECT_TRUE(IsHeadOwnedField("Content-Length"));
  EXPECT_FALSE(IsHeadOwnedField("Content-Type"));
}

}  // namespace
}  // namespace bramka::api::http
