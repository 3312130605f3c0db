// Framer tests: any chunking of a stream yields the same frames (one byte at a time,
// random chunkings, zero-copy Prepare/Commit); bad command_length is fatal and sticky.
#include "smpp/pdu/framer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "smpp/pdu/test_captures.h"
#include "smpp/pdu/test_hex.h"

namespace bramka::smpp {
namespace {

using testing::FromHex;

std::vector<std::string> CaptureFrames() {
  std::vector<std::string> frames;
  for (const char* hex :
       {testing::kBindTransceiverKannel, testing::kEnquireLink, testing::kSubmitSmUdh,
        testing::kDeliverSmReceipt, testing::kDeliverSmRespBare, testing::kSubmitMulti,
        testing::kDataSmSar, testing::kUnbind}) {
    frames.push_back(FromHex(hex));
  }
  return frames;
}

std::string Concat(const std::vector<std::string>& frames) {
  std::string out;
  for (const auto& f : frames) out += f;
  return out;
}

// Drains every available frame (copied, since views die on the next Feed).
std::vector<std::string> Drain(Framer& framer) {
  std::vector<std::string> out;
  for (;;) {
    const FrameResult r = framer.Next();
    if (r.status != FrameResult::kFrame) {
      EXPECT_EQ(r.status, FrameResult::kNeedMore);
      return out;
    }
    out.emplace_back(r.frame);
  }
}

TEST(FramerTest, EmptyFramerNeedsMore) {
  Framer framer;
  EXPECT_EQ(framer.Next().status, FrameResult::kNeedMore);
  framer.Feed("");
  EXPECT_EQ(framer.Next().status, FrameResult::kNeedMore);
  EXPECT_EQ(framer.buffered(), 0u);
  EXPECT_FALSE(framer.failed());
  EXPECT_EQ(framer.max_command_length(), kDefaultMaxCommandLength);
}

TEST(FramerTest, WholeStreamAtOnce) {
  const auto frames = CaptureFrames();
  Framer framer;
  framer.Feed(Concat(frames));
  EXPECT_EQ(Drain(framer), frames);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(FramerTest, OneByteAtATime) {
  const auto frames = CaptureFrames();
  const std::string stream = Concat(frames);
  Framer framer;
  std::vector<std::string> got;
  for (size_t i = 0; i < stream.size(); ++i) {
    framer.Feed(stream.substr(i, 1));
    for (auto& f : Drain(framer)) {
      // A frame completes exactly on its last byte.
      EXPECT_EQ(framer.buffered(), 0u);
      got.push_back(std::move(f));
    }
  }
  EXPECT_EQ(got, frames);
  for (const auto& f : got) EXPECT_TRUE(Decode(f).ok());
}

TEST(FramerTest, RandomChunkings) {
  const auto frames = CaptureFrames();
  std::string stream;
  for (int i = 0; i < 20; ++i) stream += Concat(frames);
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    std::uniform_int_distribution<size_t> chunk(1, 1 + round % 97);
    Framer framer;
    std::vector<std::string> got;
    for (size_t pos = 0; pos < stream.size();) {
      const size_t n = std::min(chunk(rng), stream.size() - pos);
      framer.Feed(std::string_view(stream).substr(pos, n));
      pos += n;
      for (auto& f : Drain(framer)) got.push_back(std::move(f));
    }
    ASSERT_EQ(got.size(), frames.size() * 20) << "round " << round;
    for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], frames[i % frames.size()]);
    EXPECT_EQ(framer.buffered(), 0u);
  }
}

TEST(FramerTest, PrepareCommitZeroCopy) {
  const std::string stream = Concat(CaptureFrames());
  Framer framer;
  std::vector<std::string> got;
  for (size_t pos = 0; pos < stream.size();) {
    std::span<char> space = framer.Prepare(64);                  // a read of up to 64 octets...
    const size_t n = std::min<size_t>(37, stream.size() - pos);  // ...that returned 37
    std::memcpy(space.data(), stream.data() + pos, n);
    framer.Commit(n);
    pos += n;
    for (auto& f : Drain(framer)) got.push_back(std::move(f));
  }
  EXPECT_EQ(got, CaptureFrames());
}

TEST(FramerTest, FramesStayValidUntilNextFeed) {
  Framer framer;
  framer.Feed(FromHex(testing::kEnquireLink) + FromHex(testing::kUnbind));
  const FrameResult a = framer.Next();
  const FrameResult b = framer.Next();
  ASSERT_EQ(a.status, FrameResult::kFrame);
  ASSERT_EQ(b.status, FrameResult::kFrame);
  EXPECT_EQ(a.frame, FromHex(testing::kEnquireLink));
  EXPECT_EQ(b.frame, FromHex(testing::kUnbind));
}

TEST(FramerTest, PartialFrameIsBuffered) {
  const std::string frame = FromHex(testing::kSubmitSmUdh);
  Framer framer;
  framer.Feed(frame.substr(0, 3));
  EXPECT_EQ(framer.Next().status, FrameResult::kNeedMore);  // length not even known
  framer.Feed(frame.substr(3, 20));
  EXPECT_EQ(framer.Next().status, FrameResult::kNeedMore);
  EXPECT_EQ(framer.buffered(), 23u);
  framer.Feed(frame.substr(23));
  const FrameResult r = framer.Next();
  ASSERT_EQ(r.status, FrameResult::kFrame);
  EXPECT_EQ(r.frame, frame);
}

TEST(FramerTest, MaximumLengthIsAcceptedOneMoreIsFatal) {
  Framer framer(64);
  std::string frame = FromHex("00000040 00000015 00000000 00000001");
  frame.resize(64, '\0');
  framer.Feed(frame);
  const FrameResult ok = framer.Next();
  ASSERT_EQ(ok.status, FrameResult::kFrame);
  EXPECT_EQ(ok.frame.size(), 64u);
  framer.Feed(FromHex("00000041"));
  const FrameResult bad = framer.Next();
  ASSERT_EQ(bad.status, FrameResult::kError);
  EXPECT_EQ(bad.error.kind, DecodeErrorKind::kCommandLengthTooLong);
  EXPECT_EQ(bad.error.command_length, 65u);
}

TEST(FramerTest, ShortLengthIsFatalAndSticky) {
  Framer framer;
  framer.Feed(FromHex(testing::kEnquireLink) + FromHex("0000000f 00000015 00000000 000000"));
  ASSERT_EQ(framer.Next().status, FrameResult::kFrame);  // frames before the error still come
  const FrameResult bad = framer.Next();
  ASSERT_EQ(bad.status, FrameResult::kError);
  EXPECT_EQ(bad.error.kind, DecodeErrorKind::kCommandLengthTooShort);
  EXPECT_EQ(bad.error.command_status, kEsmeRinvcmdlen);
  EXPECT_TRUE(framer.failed());
  framer.Feed(FromHex(testing::kEnquireLink));
  EXPECT_EQ(framer.Next().status, FrameResult::kError);  // no resynchronisation
}

TEST(FramerTest, NonSmppBytesAreRejectedAtOnce) {
  // An HTTP client on the SMPP port: "GET " is command_length 0x47455420.
  Framer framer;
  framer.Feed("GET / HTTP/1.1\r\n");
  const FrameResult r = framer.Next();
  ASSERT_EQ(r.status, FrameResult::kError);
  EXPECT_EQ(r.error.kind, DecodeErrorKind::kCommandLengthTooLong);
  // A TLS ClientHello: 16 03 01 ... is ~369 MB.
  Framer tls;
  tls.Feed(FromHex("16030100"));
  EXPECT_EQ(tls.Next().status, FrameResult::kError);
}

TEST(FramerTest, LongStreamKeepsBufferBounded) {
  const std::string frame = FromHex(testing::kDeliverSmReceipt);
  Framer framer;
  size_t frames = 0;
  for (int i = 0; i < 10000; ++i) {
    framer.Feed(frame.substr(0, 100));
    frames += Drain(framer).size();
    framer.Feed(frame.substr(100));
    frames += Drain(framer).size();
    ASSERT_LE(framer.buffered(), frame.size());
  }
  EXPECT_EQ(frames, 10000u);
}

}  // namespace
}  // namespace bramka::smpp
