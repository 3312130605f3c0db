// MO deliver_sm for SMPP clients (api/smpp/mo.h; docs/adr/0011).
#include "api/smpp/mo.h"

#include <gtest/gtest.h>

#include "smpp/pdu/codec.h"
#include "smpp/pdu/short_message.h"

namespace bramka::api::smpp {
namespace {

namespace wire = bramka::smpp;

store::InboxMessage Mo(const std::string& text) {
  store::InboxMessage m;
  m.id = 7;
  m.account_id = 1;
  m.phone = "+48600100200";
  m.to_number = "7100";
  m.text = text;
  return m;
}

TEST(MakeMoDeliver, GsmTextInShortMessage) {
  wire::Pdu pdu = MakeMoDeliver(Mo("Hello @"));
  const auto* d = pdu.get<wire::DeliverSm>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->esm_class, 0);  // not a receipt
  EXPECT_EQ(d->source_addr, "48600100200");
  EXPECT_EQ(d->source_addr_ton, 1);
  EXPECT_EQ(d->destination_addr, "7100");
  EXPECT_EQ(d->dest_addr_ton, 0);
  EXPECT_EQ(d->data_coding, wire::kDataCodingDefault);
  EXPECT_EQ(d->short_message, std::string("Hello \0", 7));  // '@' is GSM 0x00
  auto bytes = wire::Encode(pdu);
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
}

TEST(MakeMoDeliver, Ucs2AndLongTextInMessagePayload) {
  wire::Pdu ucs2 = MakeMoDeliver(Mo("zażółć"));
  EXPECT_EQ(ucs2.get<wire::DeliverSm>()->data_coding, wire::kDataCodingUcs2);
  EXPECT_EQ(ucs2.get<wire::DeliverSm>()->short_message.size(), 12u);
  wire::Pdu long_text = MakeMoDeliver(Mo(std::string(300, 'x')));
  EXPECT_TRUE(long_text.get<wire::DeliverSm>()->short_message.empty());
  EXPECT_EQ(wire::MessageContent(long_text).size(), 300u);
  EXPECT_TRUE(wire::Encode(long_text).ok());
}

}  // namespace
}  // namespace bramka::api::smpp
