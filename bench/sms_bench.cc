// Micro-benchmarks for the pure SMS text library (src/sms/): GSM-7 encoding, part
// counting and phone number normalisation, the per-recipient work of every submit.
#include <benchmark/benchmark.h>

#include <string>

#include "sms/gsm7.h"
#include "sms/phone.h"
#include "sms/segmentation.h"
#include "sms/transliterate.h"

namespace {

using bramka::sms::Encoding;

const std::string& Gsm160() {
  static const std::string text =
      "Twoja wizyta w dniu 20.05 o godz. 12:00 zostala potwierdzona. Cena: 150€ [rabat 10%]. "
      "Odpowiedz TAK aby potwierdzic lub NIE aby odwolac. Pozdrawiamy!";
  return text;
}

std::string Long(const std::string& unit, size_t units) {
  std::string out;
  while (out.size() < units) out += unit;
  return out;
}

void BM_EncodeGsm7(benchmark::State& state) {
  const std::string& text = Gsm160();
  for (auto _ : state) {
    auto septets = bramka::sms::EncodeGsm7(text);
    benchmark::DoNotOptimize(septets);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_EncodeGsm7);

void BM_PackSeptets(benchmark::State& state) {
  const std::string septets = *bramka::sms::EncodeGsm7(Gsm160());
  for (auto _ : state) benchmark::DoNotOptimize(bramka::sms::PackSeptets(septets, 1));
}
BENCHMARK(BM_PackSeptets);

void BM_AnalyzeTextGsm7(benchmark::State& state) {
  const std::string text = Long(Gsm160(), static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    auto info = bramka::sms::AnalyzeText(text, Encoding::kGsm7);
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_AnalyzeTextGsm7)->Arg(160)->Arg(918);

void BM_AnalyzeTextUcs2(benchmark::State& state) {
  const std::string text = Long("Zażółć gęślą jaźń 😀 ", static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    auto info = bramka::sms::AnalyzeText(text, Encoding::kUcs2);
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_AnalyzeTextUcs2)->Arg(70)->Arg(800);

void BM_DetectAndSplit918(benchmark::State& state) {
  const std::string text = Long(Gsm160(), 900);
  for (auto _ : state) {
    auto parts = bramka::sms::SplitIntoParts(text, bramka::sms::DetectEncoding(text));
    benchmark::DoNotOptimize(parts);
  }
}
BENCHMARK(BM_DetectAndSplit918);

void BM_Transliterate(benchmark::State& state) {
  const std::string text = "Zażółć gęślą jaźń — „cytat” … Przyjadę o 16:00, będę czekał.";
  for (auto _ : state) benchmark::DoNotOptimize(bramka::sms::TransliterateForGsm7(text));
}
BENCHMARK(BM_Transliterate);

void BM_NormalizePhone(benchmark::State& state) {
  static const char* const kInputs[] = {"+48500600700", "500600700", "0048 500 600 700",
                                        " 48600700800", "+4915123456789"};
  const bramka::sms::PhoneNormalizer normalizer;
  size_t i = 0;
  for (auto _ : state) {
    auto e164 = normalizer.Normalize(kInputs[i++ % 5]);
    benchmark::DoNotOptimize(e164);
  }
}
BENCHMARK(BM_NormalizePhone)->ThreadRange(1, 4);

void BM_NormalizePhoneInvalid(benchmark::State& state) {
  const bramka::sms::PhoneNormalizer normalizer;
  for (auto _ : state) {
    auto e164 = normalizer.Normalize("+48111111111");
    benchmark::DoNotOptimize(e164);
  }
}
BENCHMARK(BM_NormalizePhoneInvalid);

}  // namespace
