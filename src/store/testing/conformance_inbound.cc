// Store conformance: the numbering plan, the inbox, premium answers, quizzes
// and injected incoming messages (store.h, docs/adr/0011).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {
InboundNumber Number(AccountId account, InboundKind kind, const std::string& number,
                     const std::string& keyword = "") {
  InboundNumber n;
  n.account_id = account;
  n.kind = kind;
  n.number = number;
  n.keyword = keyword;
  n.created_ms = 1000;
  return n;
}

InboxMessage Incoming(AccountId account, const std::string& type, const std::string& phone,
                      int64_t at_ms, const std::string& text = "hello") {
  InboxMessage m;
  m.account_id = account;
  m.type = type;
  m.phone = phone;
  m.to_number = "+48500000100";
  m.text = text;
  m.received_ms = at_ms;
  m.connector = "simnet";
  return m;
}
}  // namespace

TEST_P(StoreConformanceTest, InboundNumbersAreUniqueByNumberAndKeyword) {
  const AccountId a = NewAccount("in-a");
  auto nd = store().AddInboundNumber(Number(a, InboundKind::kNd, "+48500000100", "pizza"));
  ASSERT_TRUE(nd.ok()) << nd.error().ToString();
  ASSERT_TRUE(store().AddInboundNumber(Number(a, InboundKind::kNd, "+48500000100", "taxi")).ok());
  EXPECT_EQ(
      store().AddInboundNumber(Number(a, InboundKind::kNd, "+48500000100", "PIZZA")).error().code,
      ErrorCode::kAlreadyExists);
  auto pool = store().AddInboundNumber(Number(0, InboundKind::kPool, "+48500000200"));
  ASSERT_TRUE(pool.ok()) << pool.error().ToString();
  EXPECT_EQ(store().AddInboundNumber(Number(a, InboundKind::kNdi, "+48500000200")).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().AddInboundNumber(Number(0, InboundKind::kPool, "+48500000100")).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().AddInboundNumber(Number(9999, InboundKind::kNdi, "+485")).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().AddInboundNumber(Number(a, InboundKind::kPool, "+486")).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().AddInboundNumber(Number(0, InboundKind::kNdi, "+487")).error().code,
            ErrorCode::kInvalidArgument);

  auto list = store().ListInboundNumbers();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, *nd);
  EXPECT_EQ((*list)[0].keyword, "PIZZA");
  EXPECT_EQ((*list)[2].kind, InboundKind::kPool);
  EXPECT_EQ((*list)[2].account_id, 0);

  ASSERT_TRUE(store().DeleteInboundNumber(*nd).ok());
  EXPECT_EQ(store().DeleteInboundNumber(*nd).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().ListInboundNumbers()->size(), 2u);
}

TEST_P(StoreConformanceTest, ReplyTargetIsTheLatestMessageFromThePoolNumber) {
  const AccountId a = NewAccount("reply-a");
  const AccountId b = NewAccount("reply-b");
  Message m1 = NewMessage(a, "+48600100200");
  m1.sender = "+48500000200";
  m1.queued_ms = m1.due_ms = 1000;
  Message m2 = NewMessage(b, "+48600100200");
  m2.sender = "+48500000200";
  m2.queued_ms = m2.due_ms = 2000;
  Message other = NewMessage(a, "+48600100200");
  other.sender = "+48500000201";
  other.queued_ms = other.due_ms = 3000;
  const std::string id1 = AcceptOk(a, {m1}).items[0].id;
  const std::string id2 = AcceptOk(b, {m2}).items[0].id;
  AcceptOk(a, {other});

  auto t = store().FindReplyTarget("+48600100200", "+48500000200", 0);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->account_id, b);
  EXPECT_EQ((*t)->message_id, id2);
  EXPECT_FALSE(store().FindReplyTarget("+48600100200", "+48500000200", 2001)->has_value());
  EXPECT_FALSE(store().FindReplyTarget("+48600100999", "+48500000200", 0)->has_value());
  (void)id1;
}

TEST_P(StoreConformanceTest, IncomingMessagesQueueTheirMoCallbackAndAreScopedByAccount) {
  const AccountId a = NewAccount("inbox-a");
  const AccountId b = NewAccount("inbox-b");
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"", "http://a/mo?t=#WIADOMOSC#"}).ok());
  auto m1 = store().RecordIncoming(Incoming(a, "nd", "+48600000001", 1000, "PIZZA duza"));
  ASSERT_TRUE(m1.ok()) << m1.error().ToString();
  EXPECT_GT(m1->id, 0);
  EXPECT_FALSE(m1->read);
  auto m2 = store().RecordIncoming(Incoming(a, "ndi", "+48600000002", 2000));
  ASSERT_TRUE(m2.ok());
  EXPECT_GT(m2->id, m1->id);
  ASSERT_TRUE(store().RecordIncoming(Incoming(b, "nd", "+48600000001", 1500)).ok());
  ASSERT_TRUE(store().RecordIncoming(Incoming(0, "", "+48600000003", 1600)).ok());  // operator
  EXPECT_EQ(store().RecordIncoming(Incoming(9999, "nd", "+1", 1)).error().code,
            ErrorCode::kNotFound);

  auto callbacks = store().ListCallbacks(a, -1);
  ASSERT_TRUE(callbacks.ok());
  ASSERT_EQ(callbacks->size(), 2u);
  EXPECT_EQ((*callbacks)[0].kind, CallbackKind::kMo);
  EXPECT_EQ((*callbacks)[0].message_id, std::to_string(m1->id));
  EXPECT_EQ((*callbacks)[0].text, "PIZZA duza");
  EXPECT_EQ((*callbacks)[0].phone, "+48600000001");
  EXPECT_EQ((*callbacks)[0].url_template, "http://a/mo?t=#WIADOMOSC#");
  EXPECT_TRUE(store().ListCallbacks(b, -1)->empty());  // b has no MO template

  InboxQuery q;
  q.account_id = a;
  auto all = store().QueryInbox(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->total, 2);
  EXPECT_EQ(all->items[0].id, m2->id);  // newest first
  q.type = "nd";
  EXPECT_EQ(store().QueryInbox(q)->total, 1);
  q.type.clear();
  q.phones = {"+48600000002", "+48600000009"};
  EXPECT_EQ(store().QueryInbox(q)->total, 1);
  q.phones.clear();
  q.from_ms = 1500;
  EXPECT_EQ(store().QueryInbox(q)->total, 1);
  q.from_ms = 0;
  q.to_ms = 1500;
  EXPECT_EQ(store().QueryInbox(q)->total, 1);
  q.to_ms = 0;
  q.limit = 1;
  q.page = 2;
  auto page2 = store().QueryInbox(q);
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].id, m1->id);
  EXPECT_EQ(page2->total, 2);

  // Read marking: returned once, then no longer among the unread.
  InboxQuery unread;
  unread.account_id = a;
  unread.unread_only = true;
  unread.mark_read = true;
  auto first = store().QueryInbox(unread);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->items.size(), 2u);
  EXPECT_FALSE(first->items[0].read);
  EXPECT_TRUE(store().QueryInbox(unread)->items.empty());
  EXPECT_TRUE(store().GetInboxMessage(a, m1->id)->read);

  InboxQuery operator_inbox;
  EXPECT_EQ(store().QueryInbox(operator_inbox)->total, 1);

  EXPECT_EQ(store().GetInboxMessage(b, m1->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetInboxMessage(a, 424242).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, PremiumAnswersStopAtTheLimit) {
  const AccountId a = NewAccount("pre-a");
  const AccountId b = NewAccount("pre-b");
  InboxMessage pre = Incoming(a, "pre", "+48600000001", 1000);
  pre.answers_left = 2;
  auto m = store().RecordIncoming(pre);
  ASSERT_TRUE(m.ok());
  auto nd = store().RecordIncoming(Incoming(a, "nd", "+48600000001", 1000));
  EXPECT_EQ(store().TakePremiumAnswer(b, m->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().TakePremiumAnswer(a, nd->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*store().TakePremiumAnswer(a, m->id), 1);
  EXPECT_EQ(*store().TakePremiumAnswer(a, m->id), 0);
  EXPECT_EQ(store().TakePremiumAnswer(a, m->id).error().code, ErrorCode::kRejected);
  EXPECT_EQ(store().GetInboxMessage(a, m->id)->answers_left, 0);
}

TEST_P(StoreConformanceTest, QuizzesAndInjectedMo) {
  const AccountId a = NewAccount("quiz-a");
  const AccountId b = NewAccount("quiz-b");
  Quiz q;
  q.account_id = a;
  q.name = "Konkurs";
  q.number = "71200";
  q.keyword = "quiz";
  q.options = {"A", "B", "C"};
  auto id = store().AddQuiz(q);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto got = store().GetQuiz(a, *id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Konkurs");
  EXPECT_EQ(got->keyword, "QUIZ");
  EXPECT_EQ(got->options, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(store().GetQuiz(b, *id).error().code, ErrorCode::kNotFound);
  q.account_id = 9999;
  EXPECT_EQ(store().AddQuiz(q).error().code, ErrorCode::kNotFound);

  auto i1 = store().QueueInjectedMo({0, "+48600000001", "+48500000100", "one", 1});
  auto i2 = store().QueueInjectedMo({0, "+48600000002", "+48500000100", "two", 2});
  ASSERT_TRUE(i1.ok() && i2.ok());
  auto list = store().ListInjectedMo(-1);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].text, "one");
  EXPECT_EQ((*list)[1].from, "+48600000002");
  EXPECT_EQ(store().ListInjectedMo(1)->size(), 1u);
  ASSERT_TRUE(store().DeleteInjectedMo(*i1).ok());
  ASSERT_TRUE(store().DeleteInjectedMo(*i1).ok());
  EXPECT_EQ(store().ListInjectedMo(-1)->size(), 1u);
}

TEST_P(StoreConformanceTest, IncomingPartsAreHeldUntilTheWholeMessageIsRecorded) {
  const AccountId a = NewAccount("parts-a");
  IncomingPart p2{"simnet|+48600|+48500|7", 2, 2, "simnet", "+48600", "+48500", "world", 1000};
  auto held = store().AddIncomingPart(p2);
  ASSERT_TRUE(held.ok()) << held.error().ToString();
  ASSERT_EQ(held->size(), 1u);
  IncomingPart other = p2;
  other.key = "simnet|+48600|+48500|8";
  ASSERT_TRUE(store().AddIncomingPart(other).ok());
  IncomingPart p1 = p2;
  p1.number = 1;
  p1.text = "hello ";
  held = store().AddIncomingPart(p1);
  ASSERT_EQ(held->size(), 2u);
  EXPECT_EQ((*held)[0].text, "hello ");  // by number
  EXPECT_EQ((*held)[1].text, "world");
  EXPECT_EQ((*held)[1].from, "+48600");
  EXPECT_EQ((*held)[1].total, 2);
  p1.text = "Hello ";  // a repeated part replaces itself
  EXPECT_EQ(store().AddIncomingPart(p1)->size(), 2u);
  EXPECT_EQ(store().ListIncomingParts()->size(), 3u);

  InboxMessage whole = Incoming(a, "ndi", "+48600", 1000, "Hello world");
  whole.parts_key = p1.key;
  ASSERT_TRUE(store().RecordIncoming(whole).ok());
  auto left = store().ListIncomingParts();
  ASSERT_EQ(left->size(), 1u);  // only the other message's part
  EXPECT_EQ((*left)[0].key, other.key);
}

}  // namespace bramka::store
