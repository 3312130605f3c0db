// Micro-benchmarks for the SMPP protocol library (src/smpp/): the per-message codec work
// of the SMPP server and client (encode/decode submit_sm, decode a receipt), framer
// throughput over a TCP-like stream, and the session's per-request bookkeeping.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "smpp/pdu/codec.h"
#include "smpp/pdu/framer.h"
#include "smpp/session/session.h"

namespace {

using namespace bramka::smpp;

Pdu SampleSubmit() {
  Pdu pdu{.sequence_number = 12345,
          .body = SubmitSm{.source_addr_ton = 5,
                           .source_addr = "Bramka",
                           .dest_addr_ton = 1,
                           .dest_addr_npi = 1,
                           .destination_addr = "48500600700",
                           .registered_delivery = 1,
                           .short_message =
                               "Twoja wizyta w dniu 20.05 o godz. 12:00 zostala potwierdzona. "
                               "Odpowiedz TAK aby potwierdzic lub NIE aby odwolac."}};
  pdu.tlvs.set_user_message_reference(7);
  return pdu;
}

Pdu SampleReceipt() {
  Pdu pdu{.sequence_number = 777,
          .body = DeliverSm{.source_addr_ton = 1,
                            .source_addr_npi = 1,
                            .source_addr = "48500600700",
                            .dest_addr_ton = 5,
                            .destination_addr = "Bramka",
                            .esm_class = 0x04,
                            .short_message = "id:0a1b2c3d4e sub:001 dlvrd:001 submit date:"
                                             "2401151030 done date:2401151031 stat:DELIVRD "
                                             "err:000 Text:Twoja wizyta w dn"}};
  pdu.tlvs.set_receipted_message_id("0a1b2c3d4e");
  pdu.tlvs.set_message_state(2);
  return pdu;
}

void BM_EncodeSubmitSm(benchmark::State& state) {
  const Pdu pdu = SampleSubmit();
  size_t bytes = 0;
  for (auto _ : state) {
    auto out = Encode(pdu);
    bytes += out->size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_EncodeSubmitSm);

void BM_EncodeToReusedBuffer(benchmark::State& state) {
  const Pdu pdu = SampleSubmit();
  std::string out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(EncodeTo(pdu, out).ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_EncodeToReusedBuffer);

void BM_DecodeSubmitSm(benchmark::State& state) {
  const std::string frame = *Encode(SampleSubmit());
  for (auto _ : state) {
    DecodeResult r = Decode(frame);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeSubmitSm);

void BM_DecodeDeliverSmReceipt(benchmark::State& state) {
  const std::string frame = *Encode(SampleReceipt());
  for (auto _ : state) {
    DecodeResult r = Decode(frame);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeDeliverSmReceipt);

// A stream of submit_sm fed in chunks of range(0) octets (TCP reads), framed only.
void BM_FramerThroughput(benchmark::State& state) {
  const std::string one = *Encode(SampleSubmit());
  std::string stream;
  while (stream.size() < (1 << 20)) stream += one;
  const size_t chunk = static_cast<size_t>(state.range(0));
  int64_t frames = 0;
  for (auto _ : state) {
    Framer framer;
    for (size_t pos = 0; pos < stream.size(); pos += chunk) {
      framer.Feed(std::string_view(stream).substr(pos, chunk));
      for (FrameResult r = framer.Next(); r.status == FrameResult::kFrame; r = framer.Next()) {
        benchmark::DoNotOptimize(r.frame.data());
        ++frames;
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(frames);
}
BENCHMARK(BM_FramerThroughput)->Arg(64)->Arg(1500)->Arg(16384);

// Framer + Decode: what the server does per received submit_sm.
void BM_FrameAndDecodeStream(benchmark::State& state) {
  const std::string one = *Encode(SampleSubmit());
  std::string stream;
  while (stream.size() < (1 << 20)) stream += one;
  int64_t pdus = 0;
  for (auto _ : state) {
    Framer framer;
    for (size_t pos = 0; pos < stream.size(); pos += 16384) {
      framer.Feed(std::string_view(stream).substr(pos, 16384));
      for (FrameResult r = framer.Next(); r.status == FrameResult::kFrame; r = framer.Next()) {
        DecodeResult d = Decode(r.frame);
        benchmark::DoNotOptimize(d);
        ++pdus;
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(pdus);
}
BENCHMARK(BM_FrameAndDecodeStream);

// SMSC side, per message: bytes in -> RequestReceived -> Respond -> bytes out.
void BM_SessionSubmitRoundTrip(benchmark::State& state) {
  const TimePoint t0{};
  Session session(SessionOptions{.role = Role::kSmsc}, t0);
  Pdu bind{.sequence_number = 1, .body = BindTransceiver{.system_id = "c", .password = "p"}};
  session.OnBytes(*Encode(bind), t0);
  while (session.NextAction()) {
  }
  (void)session.Respond(MakeResponse(bind), t0);
  while (session.NextAction()) {
  }
  Pdu submit = SampleSubmit();
  uint32_t seq = 1;
  for (auto _ : state) {
    submit.sequence_number = ++seq;
    const std::string bytes = *Encode(submit);
    session.OnBytes(bytes, t0);
    while (auto a = session.NextAction()) {
      if (auto* r = std::get_if<action::RequestReceived>(&*a)) {
        Pdu resp = MakeResponse(r->pdu);
        resp.get<SubmitSmResp>()->message_id = "0a1b2c3d4e";
        (void)session.Respond(std::move(resp), t0);
      }
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionSubmitRoundTrip);

}  // namespace
