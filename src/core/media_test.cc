// Media files, MMS/voice-file sends and number checks over InMemoryStore.
#include <gtest/gtest.h>

#include <map>

#include "common/time_format.h"
#include "core/gateway_service.h"
#include "core/media_fetcher.h"
#include "core/media_format.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

using store::MessageType;

void Put16(std::string& s, uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}
void Put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A PCM WAV of `seconds` of silence.
std::string Wav(uint32_t rate, uint16_t channels, uint16_t bits, double seconds,
                uint16_t format = 1) {
  const uint32_t data =
      static_cast<uint32_t>(rate * seconds) * channels * static_cast<uint32_t>(bits / 8);
  std::string s = "RIFF";
  Put32(s, 36 + data);
  s += "WAVEfmt ";
  Put32(s, 16);
  Put16(s, format);
  Put16(s, channels);
  Put32(s, rate);
  Put32(s, rate * channels * bits / 8);
  Put16(s, static_cast<uint16_t>(channels * bits / 8));
  Put16(s, bits);
  s += "data";
  Put32(s, data);
  s.append(data, '\0');
  return s;
}

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

TEST(MediaFormatTest, ParsesWavHeaders) {
  auto w = ParseWav(Wav(8000, 1, 16, 1.5));
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  EXPECT_EQ(w->sample_rate, 8000u);
  EXPECT_EQ(w->channels, 1);
  EXPECT_EQ(w->bits_per_sample, 16);
  EXPECT_NEAR(w->seconds, 1.5, 1e-9);
  EXPECT_FALSE(ParseWav("RIFF1234WAVE").ok());  // no chunks
  EXPECT_FALSE(ParseWav(kPng).ok());
  EXPECT_FALSE(ParseWav("").ok());
  std::string truncated = Wav(8000, 1, 16, 0.1).substr(0, 30);
  EXPECT_FALSE(ParseWav(truncated).ok());
}

TEST(MediaFormatTest, VoiceFilesFollowSpec43) {
  EXPECT_TRUE(CheckVoiceWav(Wav(8000, 1, 16, 60)).ok());
  auto rate = CheckVoiceWav(Wav(22050, 1, 16, 1));
  ASSERT_FALSE(rate.ok());
  EXPECT_EQ(static_cast<Failure>(rate.error().detail), Failure::kFileTypeNotAllowed);
  EXPECT_NE(rate.error().message.find("22050"), std::string::npos);
  EXPECT_FALSE(CheckVoiceWav(Wav(8000, 2, 16, 1)).ok());
  EXPECT_FALSE(CheckVoiceWav(Wav(8000, 1, 8, 1)).ok());
  EXPECT_FALSE(CheckVoiceWav(Wav(8000, 1, 16, 61)).ok());
  EXPECT_FALSE(CheckVoiceWav(Wav(8000, 1, 16, 1, /*format=*/3)).ok());
}

TEST(MediaFormatTest, SniffsMmsTypesByContent) {
  EXPECT_EQ(*SniffMmsContentType("GIF89a..."), "image/gif");
  EXPECT_EQ(*SniffMmsContentType("\xFF\xD8\xFF\xE0rest"), "image/jpeg");
  EXPECT_EQ(*SniffMmsContentType(kPng), "image/png");
  EXPECT_EQ(*SniffMmsContentType("Zażółć gęślą jaźń\n"), "text/plain");
  EXPECT_EQ(*SniffMmsContentType(Wav(8000, 1, 16, 0.1)), "audio/wav");
  EXPECT_EQ(*SniffMmsContentType("%PDF-1.4"), "application/pdf");
  EXPECT_FALSE(SniffMmsContentType(std::string("\x7f"
                                               "ELF\x02\x01",
                                               6))
                   .ok());
  EXPECT_FALSE(SniffMmsContentType("").ok());
  EXPECT_FALSE(SniffMmsContentType(std::string("MZ\x90\0", 4)).ok());
}

TEST(MediaFormatTest, FetchableUrlsAreHttpOnly) {
  EXPECT_TRUE(IsFetchableUrl("http://127.0.0.1:8000/a.wav"));
  EXPECT_TRUE(IsFetchableUrl("HTTPS://example.invalid/demo.wav"));
  EXPECT_FALSE(IsFetchableUrl("file:///etc/passwd"));
  EXPECT_FALSE(IsFetchableUrl("ftp://example.invalid/a.wav"));
  EXPECT_FALSE(IsFetchableUrl("gopher://x"));
  EXPECT_FALSE(IsFetchableUrl("http:///etc/passwd"));
  EXPECT_FALSE(IsFetchableUrl("http://a b/"));
  EXPECT_EQ(CleanFileName("/dir/sub/plik1.wav?x=1"), "plik1.wav");
}

class FakeFetcher : public MediaFetcher {
 public:
  Result<FetchedMedia> Fetch(const std::string& url, size_t max_bytes) override {
    auto it = files.find(url);
    if (it == files.end()) {
      return Fail(ErrorCode::kUnavailable, "404", static_cast<int>(Failure::kFileFetchFailed));
    }
    if (it->second.size() > max_bytes) {
      return Fail(ErrorCode::kInvalidArgument, "big", static_cast<int>(Failure::kFileTooLarge));
    }
    return FetchedMedia{it->second, "application/octet-stream", "remote.bin"};
  }
  std::map<std::string, std::string> files;
};

class FakeHlr : public delivery::HlrProvider {
 public:
  const std::string& name() const override { return name_; }
  Result<delivery::HlrAnswer> Lookup(const std::string& phone, bool) override {
    if (phone == "+48600700800") return Fail(ErrorCode::kUnavailable, "down");
    delivery::HlrAnswer a;
    a.imsi = 26003;
    a.network = "Orange";
    return a;
  }
  std::string name_ = "fake";
};

class MediaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    gw_->SetMediaFetcher(&fetcher_);
    gw_->SetHlrProvider(&hlr_);
    for (const char* name : {"a", "b"}) {
      ASSERT_TRUE(gw_->CreateAccount(name, "secret").ok());
      for (MessageType t : {MessageType::kMms, MessageType::kVoice, MessageType::kHlr}) {
        ASSERT_TRUE(gw_->TopUp(name, t, 3, "").ok());
      }
    }
    a_ = *gw_->AuthenticatePassword("a", "secret");
    b_ = *gw_->AuthenticatePassword("b", "secret");
  }
  Failure FailureOf(const Error& e) { return static_cast<Failure>(e.detail); }
  int64_t Units(const Caller& c, MessageType t) {
    auto balances = gw_->Limits(c);
    if (!balances.ok()) return -1;
    for (const auto& b : *balances) {
      if (b.type == t) return b.units;
    }
    return -1;
  }
  store::MediaFile Add(const Caller& c, MessageType type, std::string data) {
    AddFileRequest r;
    r.type = type;
    r.data = std::move(data);
    r.name = "x";
    auto f = gw_->AddFile(c, std::move(r));
    EXPECT_TRUE(f.ok()) << f.error().ToString();
    return f.ok() ? *f : store::MediaFile{};
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  FakeFetcher fetcher_;
  FakeHlr hlr_;
  std::unique_ptr<GatewayService> gw_;
  Caller a_, b_;
};

TEST_F(MediaServiceTest, AddsFilesByUrlAndUploadAndScopesThem) {
  fetcher_.files["http://h/demo.wav"] = Wav(8000, 1, 16, 1);
  AddFileRequest r;
  r.type = MessageType::kVoice;
  r.url = "http://h/demo.wav";
  auto voice = gw_->AddFile(a_, r);
  ASSERT_TRUE(voice.ok()) << voice.error().ToString();
  EXPECT_EQ(voice->id.size(), 10u);
  EXPECT_EQ(voice->name, "remote.bin");
  EXPECT_EQ(voice->content_type, "audio/wav");
  const store::MediaFile png = Add(a_, MessageType::kMms, kPng);
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_EQ(gw_->ListFiles(a_, std::nullopt)->size(), 2u);
  EXPECT_EQ(gw_->ListFiles(a_, MessageType::kMms)->size(), 1u);
  EXPECT_TRUE(gw_->ListFiles(b_, std::nullopt)->empty());

  auto foreign = gw_->ViewFile(b_, png.id, std::nullopt);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(FailureOf(foreign.error()), Failure::kInvalidId);
  EXPECT_FALSE(gw_->DeleteFile(b_, png.id, std::nullopt).ok());
  EXPECT_FALSE(gw_->ViewFile(a_, png.id, MessageType::kVoice).ok());  // wrong type
  ASSERT_TRUE(gw_->DeleteFile(a_, png.id, MessageType::kMms).ok());
  EXPECT_FALSE(gw_->ViewFile(a_, png.id, std::nullopt).ok());
}

TEST_F(MediaServiceTest, RefusesBadFiles) {
  AddFileRequest r;
  r.type = MessageType::kVoice;
  r.data = Wav(16000, 1, 16, 1);
  EXPECT_EQ(FailureOf(gw_->AddFile(a_, r).error()), Failure::kFileTypeNotAllowed);
  r.type = MessageType::kMms;
  r.data = std::string(2 << 20, 'a');
  EXPECT_EQ(FailureOf(gw_->AddFile(a_, r).error()), Failure::kFileTooLarge);
  r.data.reset();
  r.url = "file:///etc/passwd";
  EXPECT_EQ(FailureOf(gw_->AddFile(a_, r).error()), Failure::kInvalidParameter);
  r.url = "http://h/missing";
  EXPECT_EQ(FailureOf(gw_->AddFile(a_, r).error()), Failure::kFileFetchFailed);
  r.url.clear();
  EXPECT_EQ(FailureOf(gw_->AddFile(a_, r).error()), Failure::kMissingParameter);
}

TEST_F(MediaServiceTest, SendsMmsAndVoiceFilesWithTheirOwnFilesOnly) {
  const store::MediaFile png = Add(a_, MessageType::kMms, kPng);
  const store::MediaFile wav = Add(a_, MessageType::kVoice, Wav(8000, 1, 16, 2));

  SubmitRequest mms;
  mms.kind = SubmitKind::kMms;
  mms.phones = {"500600700"};
  mms.title = "MMS Title";
  mms.file_ids = {png.id};
  mms.inline_files = {"GIF89a inline"};
  auto sent = gw_->Submit(a_, mms);
  ASSERT_TRUE(sent.ok()) << sent.error().ToString();
  auto m = gw_->ViewMessage(a_, sent->items[0].id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, MessageType::kMms);
  EXPECT_EQ(m->text, "MMS Title");
  ASSERT_EQ(m->attachments.size(), 2u);
  EXPECT_EQ(m->attachments[0], png.id);
  EXPECT_EQ(Units(a_, MessageType::kMms), 2);
  EXPECT_EQ(gw_->ListFiles(a_, MessageType::kMms)->size(), 2u);  // the inline file is kept

  mms.inline_files.clear();
  mms.title = std::string(41, 'x');
  EXPECT_EQ(FailureOf(gw_->Submit(a_, mms).error()), Failure::kTextTooLong);
  mms.title = "t";
  mms.file_ids = {wav.id};  // a voice file is not an MMS file
  EXPECT_EQ(FailureOf(gw_->Submit(a_, mms).error()), Failure::kInvalidId);
  mms.file_ids = {png.id};
  EXPECT_EQ(FailureOf(gw_->Submit(b_, mms).error()), Failure::kInvalidId);  // B cannot use it

  SubmitRequest voice;
  voice.kind = SubmitKind::kVoice;
  voice.phones = {"500600700"};
  voice.file_ids = {wav.id};
  auto v = gw_->Submit(a_, voice);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  auto vm = gw_->ViewMessage(a_, v->items[0].id);
  EXPECT_EQ(vm->type, MessageType::kVoice);
  EXPECT_EQ(vm->attachments, std::vector<std::string>{wav.id});
  EXPECT_EQ(Units(a_, MessageType::kVoice), 2);
  voice.text = "and text";
  EXPECT_EQ(FailureOf(gw_->Submit(a_, voice).error()), Failure::kInvalidParameter);
}

TEST_F(MediaServiceTest, ChecksNumbersAndChargesTheHlrBalance) {
  auto one = gw_->CheckNumbers(a_, {"500600700"}, NumberCheck::kHlr);
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  EXPECT_EQ((*one)[0].phone, "+48500600700");
  EXPECT_EQ((*one)[0].answer.imsi, 26003);
  EXPECT_EQ(Units(a_, MessageType::kHlr), 2);

  // An invalid number is not charged; a provider failure is refunded.
  auto many = gw_->CheckNumbers(a_, {"500600701", "12", "600700800"}, NumberCheck::kHlr);
  ASSERT_TRUE(many.ok()) << many.error().ToString();
  EXPECT_FALSE((*many)[1].valid);
  EXPECT_EQ((*many)[1].answer.description, "INVALID_NUMBER");
  EXPECT_EQ((*many)[2].answer.description, "SYSTEM_FAILURE");
  EXPECT_EQ(Units(a_, MessageType::kHlr), 1);

  auto low = gw_->CheckNumbers(a_, {"500600700", "500600701"}, NumberCheck::kHlr);
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(FailureOf(low.error()), Failure::kHlrLimitExhausted);
  EXPECT_EQ(Units(a_, MessageType::kHlr), 1);
  auto lookup = gw_->CheckNumbers(a_, {"500600700"}, NumberCheck::kLookup);
  ASSERT_FALSE(lookup.ok());  // the lookup balance is 0
  EXPECT_EQ(FailureOf(lookup.error()), Failure::kLookupLimitExhausted);
  EXPECT_EQ(FailureOf(gw_->CheckNumbers(a_, {"12"}, NumberCheck::kHlr).error()),
            Failure::kInvalidPhone);
}

}  // namespace
}  // namespace bramka::core
