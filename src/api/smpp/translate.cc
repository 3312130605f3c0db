#include "api/smpp/translate.h"

#include <ctime>
#include <utility>

#include "api/smpp/status.h"
#include "common/time_format.h"
#include "smpp/pdu/command_status.h"
#include "smpp/pdu/short_message.h"
#include "sms/gsm7.h"
#include "sms/receipt.h"
#include "sms/transliterate.h"
#include "sms/ucs2.h"

namespace bramka::api::smpp {

namespace wire = bramka::smpp;

namespace {

enum class Alphabet { kGsm7, kAscii, kLatin1, kUcs2, kBinary };

// data_coding -> alphabet (SMPP 3.4 §5.2.19 and GSM 03.38 §4 for the class forms).
std::optional<Alphabet> AlphabetOf(uint8_t dc) {
  switch (dc) {
    case wire::kDataCodingDefault:
      return Alphabet::kGsm7;
    case wire::kDataCodingIa5:
      return Alphabet::kAscii;
    case wire::kDataCodingLatin1:
      return Alphabet::kLatin1;
    case wire::kDataCodingUcs2:
      return Alphabet::kUcs2;
    case wire::kDataCodingBinary8:
    case wire::kDataCodingBinary:
      return Alphabet::kBinary;
    default:
      break;
  }
  if ((dc & 0xF0) == 0xF0) return (dc & 0x04) ? Alphabet::kBinary : Alphabet::kGsm7;
  // General data coding 00xx with a message class (bit 4), uncompressed (bit 5 clear).
  if ((dc & 0xF0) == 0x10) {
    switch ((dc >> 2) & 0x03) {
      case 0:
        return Alphabet::kGsm7;
      case 1:
        return Alphabet::kBinary;
      case 2:
        return Alphabet::kUcs2;
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

// Message class 0 ("flash", displayed at once and not stored).
bool IsClass0(uint8_t dc) {
  return ((dc & 0xF0) == 0xF0 || (dc & 0xF0) == 0x10) && (dc & 0x03) == 0;
}

bool HasHighBit(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return true;
  }
  return false;
}

template <typename T>
void FillCommon(const T& b, WireMessage& m) {
  m.source_addr = b.source_addr;
  m.esm_class = b.esm_class;
  m.registered_delivery = b.registered_delivery;
  m.data_coding = b.data_coding;
}

std::string ReceiptDate(int64_t ms) {
  // "YYYY-MM-DD HH:MM:SS" local -> "YYMMDDhhmm"
  const std::string t = FormatApiTimeMs(ms);
  if (t.size() < 16) return "0000000000";
  return t.substr(2, 2) + t.substr(5, 2) + t.substr(8, 2) + t.substr(11, 2) + t.substr(14, 2);
}

}  // namespace

std::variant<WireMessage, Refusal> ExtractMessage(const Pdu& pdu) {
  WireMessage m;
  if (const auto* s = pdu.get<wire::SubmitSm>()) {
    FillCommon(*s, m);
    m.destinations.push_back({s->dest_addr_ton, s->destination_addr});
    m.schedule_delivery_time = s->schedule_delivery_time;
  } else if (const auto* multi = pdu.get<wire::SubmitMulti>()) {
    FillCommon(*multi, m);
    m.schedule_delivery_time = multi->schedule_delivery_time;
    for (const auto& d : multi->dest_addresses) {
      if (d.dest_flag != wire::DestAddress::kSmeAddress) {
        return Refusal{wire::kEsmeRinvdstadr, "distribution lists are not supported"};
      }
      m.destinations.push_back({d.dest_addr_ton, d.address});
    }
  } else if (const auto* d = pdu.get<wire::DataSm>()) {
    FillCommon(*d, m);
    m.destinations.push_back({d->dest_addr_ton, d->destination_addr});
  } else {
    return Refusal{wire::kEsmeRsyserr, "not a message"};
  }
  const std::string_view content = wire::MessageContent(pdu);
  auto split = wire::SplitUserData(m.esm_class, content);
  if (!split) return Refusal{wire::kEsmeRinvesmclass, "UDHI set but the UDH is malformed"};
  m.user_data = std::string(split->payload);
  m.concat = wire::ConcatInfoOf(pdu);
  if (m.concat && m.concat->total <= 1) m.concat.reset();
  m.flash = IsClass0(m.data_coding);
  if (auto subunit = pdu.tlvs.dest_addr_subunit(); subunit && *subunit == 1) m.flash = true;
  return m;
}

std::variant<DecodedText, Refusal> DecodeText(uint8_t data_coding, std::string_view octets) {
  auto alphabet = AlphabetOf(data_coding);
  if (!alphabet || *alphabet == Alphabet::kBinary) {
    return Refusal{wire::kEsmeRsubmitfail,
                   "data_coding " + std::to_string(data_coding) + " is not a text coding"};
  }
  DecodedText out;
  switch (*alphabet) {
    case Alphabet::kGsm7:
      // ADR 0004: octets >= 0x80 cannot be unpacked GSM 03.38; valid UTF-8 is taken as
      // UTF-8 (the provider documents "UTF-8"), anything else as Latin-1.
      if (HasHighBit(octets)) {
        out.utf8 = sms::IsValidUtf8(octets) ? std::string(octets) : *sms::DecodeLatin1(octets);
      } else {
        out.utf8 = sms::DecodeGsm7(octets);
      }
      break;
    case Alphabet::kAscii:
      out.utf8 = *sms::DecodeLatin1(octets);  // 7-bit ASCII is Latin-1's lower half
      break;
    case Alphabet::kLatin1:
      out.utf8 = *sms::DecodeLatin1(octets);
      break;
    case Alphabet::kUcs2: {
      auto u = sms::DecodeUcs2(octets);
      if (!u.ok()) return Refusal{wire::kEsmeRsubmitfail, "invalid UCS-2: " + u.error().message};
      out.utf8 = std::move(*u);
      out.unicode = true;
      return out;
    }
    case Alphabet::kBinary:
      break;
  }
  out.unicode = !sms::IsGsm7Encodable(out.utf8);
  return out;
}

std::optional<SystemTime> ParseSmppTime(std::string_view t, SystemTime now) {
  if (t.size() != 16) return std::nullopt;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 12 && (t[i] < '0' || t[i] > '9')) return std::nullopt;
    if (i == 12 && (t[i] < '0' || t[i] > '9')) return std::nullopt;
  }
  auto num = [&](size_t pos) { return (t[pos] - '0') * 10 + (t[pos + 1] - '0'); };
  const int yy = num(0), mo = num(2), dd = num(4), hh = num(6), mi = num(8), ss = num(10);
  if (t[15] == 'R') {
    using std::chrono::hours;
    using std::chrono::minutes;
    using std::chrono::seconds;
    auto days = 365 * yy + 30 * mo + dd;
    return now + hours(24 * days + hh) + minutes(mi) + seconds(ss);
  }
  if (t[15] != '+' && t[15] != '-') return std::nullopt;
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = 100 + yy;
  tm.tm_mon = mo - 1;
  tm.tm_mday = dd;
  tm.tm_hour = hh;
  tm.tm_min = mi;
  tm.tm_sec = ss;
  const time_t as_utc = timegm(&tm);
  // nn quarter hours ahead of (+) or behind (-) UTC: UTC = local - offset.
  const int offset_s = num(13) * 15 * 60 * (t[15] == '+' ? 1 : -1);
  return SystemTime(std::chrono::seconds(as_utc - offset_s)) +
         std::chrono::milliseconds(100 * (t[12] - '0'));
}

std::variant<core::SubmitRequest, Refusal> ToSubmitRequest(const WireMessage& m,
                                                           const DecodedText& text,
                                                           const store::SmppUser& user,
                                                           SystemTime now) {
  core::SubmitRequest r;
  for (const auto& d : m.destinations) {
    // TON 1 (international): the digits carry the country code; keep core's reading.
    r.phones.push_back(d.ton == 1 && !d.address.empty() && d.address[0] != '+' ? "+" + d.address
                                                                               : d.address);
  }
  r.text = text.utf8;
  r.utf = text.unicode;
  r.flash = m.flash;
  r.source = "smpp";
  r.smpp_user_id = user.id;
  r.smpp_registered_delivery = m.registered_delivery;
  if (m.source_addr == kEcoSource || m.source_addr.empty()) {
    r.sender.reset();  // ECO: no sender name
  } else if (m.source_addr == kVoiceSource && text.unicode &&
             AlphabetOf(m.data_coding) == Alphabet::kUcs2) {
    r.kind = core::SubmitKind::kVoice;
  } else {
    r.sender = m.source_addr;
  }
  if (!m.schedule_delivery_time.empty()) {
    auto at = ParseSmppTime(m.schedule_delivery_time, now);
    if (!at) {
      return Refusal{wire::kEsmeRinvsched,
                     "schedule_delivery_time '" + m.schedule_delivery_time + "' is not valid"};
    }
    r.schedule = *at;
  }
  return r;
}

uint8_t MessageStateOf(store::MessageStatus status) {
  using S = store::MessageStatus;
  using wire::MessageState;
  switch (status) {
    case S::kSaved:
    case S::kQueued:
      return static_cast<uint8_t>(MessageState::kAccepted);
    case S::kSent:
      return static_cast<uint8_t>(MessageState::kEnroute);
    case S::kDelivered:
      return static_cast<uint8_t>(MessageState::kDelivered);
    case S::kUndelivered:
      return static_cast<uint8_t>(MessageState::kUndeliverable);
    case S::kUnsent:
      return static_cast<uint8_t>(MessageState::kRejected);
    case S::kCancelled:
      return static_cast<uint8_t>(MessageState::kDeleted);
  }
  return static_cast<uint8_t>(MessageState::kUnknown);
}

std::optional<Pdu> MakeReceipt(const store::Message& m) {
  const uint8_t wanted = m.smpp_registered_delivery & wire::kRegisteredDeliveryReceiptMask;
  if (m.smpp_user_id == 0 || wanted == 0 || wanted == 3) return std::nullopt;
  const bool delivered = m.status == store::MessageStatus::kDelivered;
  if (wanted == wire::kReceiptOnFailure && delivered) return std::nullopt;
  const uint8_t state = MessageStateOf(m.status);

  sms::DeliveryReceipt r;
  r.id = m.id;
  r.submitted = 1;
  r.delivered = delivered ? 1 : 0;
  r.submit_date = ReceiptDate(m.queued_ms);
  r.done_date = ReceiptDate(m.done_ms != 0 ? m.done_ms : m.queued_ms);
  r.stat = std::string(wire::ReceiptStat(static_cast<wire::MessageState>(state)));
  r.err = delivered ? "000" : "001";
  r.text = sms::TransliterateForGsm7(m.text);
  auto septets = sms::EncodeGsm7(sms::FormatReceipt(r));
  if (!septets.ok()) {
    r.text.clear();
    septets = sms::EncodeGsm7(sms::FormatReceipt(r));
  }

  wire::DeliverSm d;
  d.source_addr_ton = 1;
  d.source_addr_npi = 1;
  d.source_addr = m.phone.size() > 1 && m.phone[0] == '+' ? m.phone.substr(1) : m.phone;
  d.dest_addr_ton = 5;  // alphanumeric, as the client sent it
  d.destination_addr = m.type == store::MessageType::kEco     ? std::string(kEcoSource)
                       : m.type == store::MessageType::kVoice ? std::string(kVoiceSource)
                                                              : m.sender;
  d.esm_class = wire::kEsmClassDeliveryReceipt;
  d.data_coding = wire::kDataCodingDefault;
  d.short_message = septets.ok() ? *septets : std::string();
  Pdu pdu{.body = std::move(d)};
  pdu.tlvs.set_receipted_message_id(m.id);
  pdu.tlvs.set_message_state(state);
  return pdu;
}

std::optional<Reassembler::Group> Reassembler::Add(Part part, Clock::time_point now,
                                                   std::optional<Part>* replaced) {
  const auto& msg = part.message;
  const sms::ConcatInfo& c = *msg.concat;
  Key key{msg.source_addr, msg.destinations.empty() ? "" : msg.destinations[0].address, c.reference,
          c.total};
  auto [it, inserted] = groups_.try_emplace(key);
  Group& g = it->second;
  if (inserted) g.started = now;
  part.sequence = c.sequence;
  for (auto& p : g.parts) {
    if (p.sequence == part.sequence) {
      if (replaced) *replaced = std::move(p);
      p = std::move(part);
      return std::nullopt;
    }
  }
  g.parts.push_back(std::move(part));
  if (g.parts.size() < c.total) return std::nullopt;
  Group done = std::move(g);
  groups_.erase(it);
  std::sort(done.parts.begin(), done.parts.end(),
            [](const Part& a, const Part& b) { return a.sequence < b.sequence; });
  return done;
}

std::vector<Reassembler::Group> Reassembler::Expire(Clock::time_point deadline) {
  std::vector<Group> out;
  for (auto it = groups_.begin(); it != groups_.end();) {
    if (it->second.started < deadline) {
      out.push_back(std::move(it->second));
      it = groups_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<Reassembler::Group> Reassembler::TakeAll() {
  std::vector<Group> out;
  for (auto& [k, g] : groups_) out.push_back(std::move(g));
  groups_.clear();
  return out;
}

// The answer to one request of a submit (a part of a long message, or the whole).
wire::Pdu SubmitResponse(wire::CommandId command, uint32_t sequence_number,
                         const Result<core::SubmitResult>& r,
                         const std::vector<WireMessage::Destination>& destinations) {
  if (!r.ok()) return wire::MakeResponse(command, sequence_number, CommandStatusFor(r.error()));
  const auto& items = r->items;
  if (command == wire::CommandId::kSubmitMulti) {
    wire::SubmitMultiResp body;
    uint32_t first_failure = wire::kEsmeRok;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].queued) {
        if (body.message_id.empty()) body.message_id = items[i].id;
        continue;
      }
      const uint32_t status = CommandStatusFor(items[i].failure);
      if (first_failure == wire::kEsmeRok) first_failure = status;
      wire::UnsuccessSme u;
      if (i < destinations.size()) {
        u.dest_addr_ton = destinations[i].ton;
        u.destination_addr = destinations[i].address.substr(0, 20);
      }
      u.error_status_code = status;
      body.unsuccess_smes.push_back(std::move(u));
    }
    if (body.message_id.empty()) {
      return wire::MakeResponse(command, sequence_number, first_failure);
    }
    wire::Pdu resp = wire::MakeResponse(command, sequence_number, wire::kEsmeRok);
    resp.body = std::move(body);
    return resp;
  }
  if (items.empty() || !items[0].queued) {
    const uint32_t status =
        items.empty() ? wire::kEsmeRsubmitfail : CommandStatusFor(items[0].failure);
    return wire::MakeResponse(command, sequence_number, status);
  }
  wire::Pdu resp = wire::MakeResponse(command, sequence_number, wire::kEsmeRok);
  if (auto* s = resp.get<wire::SubmitSmResp>()) s->message_id = items[0].id;
  if (auto* d = resp.get<wire::DataSmResp>()) d->message_id = items[0].id;
  return resp;
}

}  // namespace bramka::api::smpp
