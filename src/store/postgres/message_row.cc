#include "store/postgres/message_row.h"

namespace bramka::store::postgres {

void ReadMessage(const Stmt& s, int c, Message& m) {
  s.TextInto(c + 0, m.id);
  m.account_id = s.Int(c + 1);
  s.TextInto(c + 2, m.phone);
  s.TextInto(c + 3, m.sender);
  m.type = static_cast<MessageType>(s.Int(c + 4));
  s.TextInto(c + 5, m.text);
  m.unicode = s.Int(c + 6) != 0;
  m.flash = s.Int(c + 7) != 0;
  m.speed = s.Int(c + 8) != 0;
  m.parts = static_cast<int>(s.Int(c + 9));
  m.cost_units = s.Int(c + 10);
  m.status = static_cast<MessageStatus>(s.Int(c + 11));
  s.TextInto(c + 12, m.reason);
  s.TextInto(c + 13, m.unique_id);
  m.stat_id = s.Int(c + 14);
  s.TextInto(c + 15, m.source);
  s.TextInto(c + 16, m.dlr_url);
  m.queued_ms = s.Int(c + 17);
  m.due_ms = s.Int(c + 18);
  m.sent_ms = s.Int(c + 19);
  m.done_ms = s.Int(c + 20);
  m.attempts = static_cast<int>(s.Int(c + 21));
  s.TextInto(c + 22, m.connector);
  s.TextInto(c + 23, m.upstream_id);
  m.smpp_user_id = s.Int(c + 24);
  m.smpp_registered_delivery = static_cast<uint8_t>(s.Int(c + 25));
  m.attachments = SplitAttachments(s.Text(c + 26));
}

std::string JoinAttachments(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

std::vector<std::string> SplitAttachments(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find(',', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Message ReadMessage(const Stmt& stmt, int first) {
  Message m;
  ReadMessage(stmt, first, m);
  return m;
}

void BindNewMessage(Stmt& s, const Message& m, int64_t seq, AccountId account_id, int64_t charged,
                    const std::string& attachments) {
  s.BindText(1, m.id)
      .BindInt(2, account_id)
      .BindText(3, m.phone)
      .BindText(4, m.sender)
      .BindInt(5, static_cast<int64_t>(m.type))
      .BindText(6, m.text)
      .BindInt(7, m.unicode ? 1 : 0)
      .BindInt(8, m.flash ? 1 : 0)
      .BindInt(9, m.speed ? 1 : 0)
      .BindInt(10, m.parts)
      .BindInt(11, m.cost_units)
      .BindInt(12, charged)
      .BindInt(13, static_cast<int64_t>(m.status))
      .BindText(14, m.unique_id)
      .BindInt(15, m.stat_id)
      .BindText(16, m.source)
      .BindText(17, m.dlr_url)
      .BindInt(18, m.queued_ms)
      .BindInt(19, m.due_ms)
      .BindInt(20, seq)
      .BindInt(21, m.smpp_user_id)
      .BindInt(22, m.smpp_registered_delivery)
      .BindText(23, attachments);
}

}  // namespace bramka::store::postgres
