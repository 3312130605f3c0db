// PostgresStore's cluster tables (issue 13, docs/adr/0023) against a real PostgreSQL:
// heartbeats, named leases, reaping a dead node, route hints in ClaimDue and SMPP
// outbox leases between two stores (two nodes) on one database.

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "common/ids.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/test_server.h"

namespace bramka::store {
namespace {

using postgres::TestServer;

struct TwoNodes {
  std::unique_ptr<PostgresStore> a, b;
};

// Two stores on one fresh schema, as nodes "a" and "b"; false to skip.
bool OpenTwo(TwoNodes& nodes, std::string* why) {
  TestServer* server = TestServer::Get(why);
  if (server == nullptr) return false;
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  options.connections = 3;
  options.async_workers = 1;
  options.outbox_lease_ms = 10'000;
  options.node_id = "a";
  auto a = PostgresStore::Open(options);
  options.node_id = "b";
  auto b = PostgresStore::Open(options);
  EXPECT_TRUE(a.ok() && b.ok());
  if (!a.ok() || !b.ok()) return false;
  nodes.a = std::move(*a);
  nodes.b = std::move(*b);
  return true;
}

#define OPEN_TWO_OR_SKIP(nodes)                 \
  TwoNodes nodes;                               \
  if (std::string why; !OpenTwo(nodes, &why)) { \
    if (!why.empty()) GTEST_SKIP() << why;      \
    return;                                     \
  }

TEST(PostgresCluster, HeartbeatsLeasesAndReaping) {
  OPEN_TWO_OR_SKIP(n);
  auto va = n.a->Heartbeat("a", "http=1", 5'000);
  ASSERT_TRUE(va.ok()) << va.error().ToString();
  ASSERT_EQ(va->nodes.size(), 1u);
  auto vb = n.b->Heartbeat("b", "http=2", 5'000);
  ASSERT_TRUE(vb.ok());
  ASSERT_EQ(vb->nodes.size(), 2u);
  EXPECT_EQ(vb->nodes[0].id, "a");
  EXPECT_EQ(vb->nodes[0].info, "http=1");
  EXPECT_GT(vb->now_ms, 0);

  // One of two racing nodes gets a free lease; the holder renews it.
  EXPECT_TRUE(*n.a->AcquireLease("connector:x", "a", 60'000, false));
  EXPECT_FALSE(*n.b->AcquireLease("connector:x", "b", 60'000, true));
  EXPECT_TRUE(*n.a->AcquireLease("connector:x", "a", 60'000, true));
  auto view = n.b->Heartbeat("b", "", 5'000);
  ASSERT_EQ(view->leases.size(), 1u);
  EXPECT_EQ(view->leases[0].owner, "a");
  EXPECT_TRUE(view->leases[0].ready);
  // Reading the view registers nobody and refreshes no heartbeat.
  auto read = n.a->ReadClusterView(5'000);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  ASSERT_EQ(read->nodes.size(), 2u);
  EXPECT_EQ(read->nodes[1].heartbeat_ms, view->nodes[1].heartbeat_ms);
  ASSERT_EQ(read->leases.size(), 1u);
  EXPECT_EQ(read->leases[0].owner, "a");
  EXPECT_TRUE(n.a->ReadClusterView(-60'000)->nodes.empty());  // nobody beat in the future
  // An expired lease is anyone's.
  EXPECT_TRUE(*n.a->AcquireLease("connector:y", "a", 1, false));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(*n.b->AcquireLease("connector:y", "b", 60'000, false));
  // Release only by the holder.
  ASSERT_TRUE(n.a->ReleaseLease("connector:y", "a").ok());
  EXPECT_FALSE(*n.a->AcquireLease("connector:y", "a", 60'000, false));
  ASSERT_TRUE(n.b->ReleaseLease("connector:y", "b").ok());
  EXPECT_TRUE(*n.a->AcquireLease("connector:y", "a", 60'000, false));

  // "a" claims a message and dies: "b" reaps it (timeout 0: any older heartbeat),
  // which frees its message, its leases and its row.
  auto acct = n.a->CreateAccount("reap", "h", 0, 1);
  ASSERT_TRUE(acct.ok());
  ASSERT_TRUE(n.a->SetBalanceMode(*acct, MessageType::kEco, true, true).ok());
  MessageIdCodec codec;
  Message m;
  m.id = codec.Encode(*n.a->ReserveIdBlock(1));
  m.phone = "+48500000001";
  m.type = MessageType::kEco;
  m.text = "hi";
  m.parts = 1;
  m.status = MessageStatus::kQueued;
  m.queued_ms = m.due_ms = 10;
  ASSERT_TRUE(n.a->Accept(AcceptRequest{*acct, {m}}).ok());
  ASSERT_EQ(n.a->ClaimDue(100, 10, "a", 1'000'000)->size(), 1u);
  EXPECT_TRUE(n.b->ClaimDue(100, 10, "b", 1'000'000)->empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto reaped = n.b->ReapDeadNodes("b", 1);
  ASSERT_TRUE(reaped.ok()) << reaped.error().ToString();
  ASSERT_EQ(*reaped, std::vector<std::string>{"a"});
  EXPECT_TRUE(n.b->ReapDeadNodes("b", 1)->empty());  // once
  EXPECT_EQ(n.b->ClaimDue(100, 10, "b", 1'000'000)->size(), 1u);
  EXPECT_TRUE(*n.b->AcquireLease("connector:x", "b", 60'000, false));
  ASSERT_TRUE(n.b->LeaveCluster("b").ok());
  EXPECT_TRUE(n.a->Heartbeat("a", "", 60'000)->leases.empty());
}

TEST(PostgresCluster, RouteHintLeavesMessagesToTheConnectorsOwner) {
  OPEN_TWO_OR_SKIP(n);
  auto acct = n.a->CreateAccount("hint", "h", 0, 1);
  ASSERT_TRUE(acct.ok());
  ASSERT_TRUE(n.a->SetBalanceMode(*acct, MessageType::kEco, true, true).ok());
  MessageIdCodec codec;
  const uint64_t base = *n.a->ReserveIdBlock(2);
  std::vector<Message> ms(2);
  for (int i = 0; i < 2; ++i) {
    ms[i].id = codec.Encode(base + i);
    ms[i].phone = "+48500000001";
    ms[i].type = MessageType::kEco;
    ms[i].text = "hi";
    ms[i].parts = 1;
    ms[i].status = MessageStatus::kQueued;
    ms[i].queued_ms = ms[i].due_ms = 10 + i;
  }
  ASSERT_TRUE(n.a->Accept(AcceptRequest{*acct, ms}).ok());
  ASSERT_TRUE(*n.b->AcquireLease("connector:x", "b", 60'000, true));
  // "a" claims both, hands them to x's owner: "a" claims neither again, "b" both, with
  // the attempt of the hand-over given back.
  ASSERT_EQ(n.a->ClaimDue(100, 10, "a", 1'000'000)->size(), 2u);
  ASSERT_TRUE(n.a->HandOverMessages({ms[0].id, ms[1].id}, "x", 100).ok());
  EXPECT_TRUE(n.a->ClaimDue(100, 10, "a", 1'000'000)->empty());
  auto got = n.b->ClaimDue(100, 10, "b", 1'000'000);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].attempts, 1);
  // Once x's lease is gone (its owner died or let go), anyone claims them.
  ASSERT_TRUE(n.b->HandOverMessages({ms[0].id}, "x", 100).ok());
  ASSERT_TRUE(n.b->ReleaseLease("connector:x", "b").ok());
  EXPECT_EQ(n.a->ClaimDue(100, 10, "a", 1'000'000)->size(), 1u);
}

TEST(PostgresCluster, OutboxEntryGoesToOneNodeUntilItsLeaseExpires) {
  OPEN_TWO_OR_SKIP(n);
  ASSERT_TRUE(n.a->AddSmppOutbox(SmppOutboxEntry{0, 5, "m1", "", 1}).ok());
  ASSERT_TRUE(n.a->AddSmppOutbox(SmppOutboxEntry{0, 5, "m2", "", 1}).ok());
  auto a1 = n.a->ClaimSmppOutbox(5, 1, 1'000);
  ASSERT_TRUE(a1.ok()) << a1.error().ToString();
  ASSERT_EQ(a1->size(), 1u);
  auto b1 = n.b->ClaimSmppOutbox(5, 10, 1'000);
  ASSERT_EQ(b1->size(), 1u);
  EXPECT_NE((*a1)[0].id, (*b1)[0].id);
  EXPECT_EQ(n.a->ClaimSmppOutbox(5, 10, 2'000)->size(), 1u);  // its own again
  // After the lease (10 s), b takes a's entry.
  EXPECT_EQ(n.b->ClaimSmppOutbox(5, 10, 20'000)->size(), 2u);
  EXPECT_TRUE(n.a->ClaimSmppOutbox(5, 10, 20'000)->empty());
}

}  // namespace
}  // namespace bramka::store
