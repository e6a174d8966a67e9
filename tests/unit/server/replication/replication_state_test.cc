// ReplicationState: the stream's encoding (SELECT only when the database changes), what a
// primary with no replica and no backlog does (nothing), how replicas in each stage of
// their sync receive it, and the ID bookkeeping of promotion and continuation.
#include "server/replication/replication_state.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

namespace ember::server {
namespace {

const std::array<std::string_view, 3> kSet = {"SET", "k", "v"};
constexpr std::string_view kSetBytes = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";
constexpr std::string_view kSelect0 = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n";

TEST(ReplicationStateTest, WithoutBacklogOrReplicaNothingIsEncoded) {
  ReplicationState state;
  WakeQueue wakeups;
  state.Feed(0, kSet, wakeups);
  EXPECT_EQ(state.master_repl_offset(), 0);
}

TEST(ReplicationStateTest, TheStreamSelectsOnlyWhenTheDatabaseChanges) {
  ReplicationState state;
  WakeQueue wakeups;
  const std::string old_id = state.replid();
  state.CreateBacklog(1 << 16);
  EXPECT_NE(state.replid(), old_id);  // a new history starts with the backlog
  state.Feed(0, kSet, wakeups);
  state.Feed(0, kSet, wakeups);
  state.Feed(3, kSet, wakeups);
  const std::string expected = std::string(kSelect0) + std::string(kSetBytes) +
                               std::string(kSetBytes) + "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n" +
                               std::string(kSetBytes);
  EXPECT_EQ(state.master_repl_offset(), static_cast<int64_t>(expected.size()));
  EXPECT_EQ(state.backlog()->CopyFrom(1), expected);
  state.ForgetStreamDb();
  state.Feed(3, kSet, wakeups);
  EXPECT_TRUE(state.backlog()
                  ->CopyFrom(static_cast<int64_t>(expected.size()) + 1)
                  .starts_with("*2\r\n$6\r\nSELECT"));
}

TEST(ReplicationStateTest, ReplicasGetTheStreamByTheirStage) {
  ReplicationState state;
  WakeQueue wakeups;
  state.CreateBacklog(1 << 16);
  ClientState waiting, receiving, online;
  ReplicaLink& waiting_link = state.LinkFor(waiting, 0);
  waiting_link.state = ReplicaSyncState::kWaitSnapshotStart;
  ReplicaLink& receiving_link = state.LinkFor(receiving, 0);
  receiving_link.state = ReplicaSyncState::kReceivingSnapshot;
  ReplicaLink& online_link = state.LinkFor(online, 0);
  online_link.state = ReplicaSyncState::kOnline;
  ClientState handshaking;
  state.LinkFor(handshaking, 0);  // REPLCONF only: not a replica yet
  EXPECT_EQ(state.replica_count(), 3u);
  state.Feed(0, kSet, wakeups);
  EXPECT_TRUE(waiting.outbox.empty());  // its snapshot will hold the write
  EXPECT_TRUE(receiving.outbox.empty());
  EXPECT_EQ(receiving_link.held_stream, std::string(kSelect0) + std::string(kSetBytes));
  EXPECT_EQ(online.outbox, std::string(kSelect0) + std::string(kSetBytes));
  EXPECT_TRUE(handshaking.outbox.empty());
  state.PutOnline(receiving_link, wakeups, 5);
  EXPECT_EQ(receiving.outbox, std::string(kSelect0) + std::string(kSetBytes));
  EXPECT_TRUE(receiving_link.held_stream.empty());
}

TEST(ReplicationStateTest, AcknowledgementsCountForWait) {
  ReplicationState state;
  ClientState a, b;
  ReplicaLink& first = state.LinkFor(a, 0);
  ReplicaLink& second = state.LinkFor(b, 0);
  first.state = second.state = ReplicaSyncState::kOnline;
  first.ack_offset = 100;
  second.ack_offset = 50;
  EXPECT_EQ(state.ReplicasAcked(50), 2);
  EXPECT_EQ(state.ReplicasAcked(51), 1);
  ClientState waiter;
  state.AddWaiter({&waiter, 80, 2});
  EXPECT_TRUE(state.TakeSatisfiedWaiters().empty());
  second.ack_offset = 90;
  EXPECT_EQ(state.TakeSatisfiedWaiters().size(), 1u);
  EXPECT_FALSE(state.has_waiters());
  state.ForgetClient(a, 7);
  EXPECT_EQ(state.replica_count(), 1u);
}

TEST(ReplicationStateTest, PromotionKeepsTheOldHistoryAsIdTwo) {
  ReplicationState state;
  WakeQueue wakeups;
  state.AdoptPrimaryHistory(std::string(40, 'a'), 1000, 1 << 10);
  EXPECT_EQ(state.backlog()->first_byte_offset(), 1001);
  state.ShiftReplicationId();
  EXPECT_EQ(state.replid2(), std::string(40, 'a'));
  EXPECT_EQ(state.second_replid_offset(), 1001);
  EXPECT_NE(state.replid(), std::string(40, 'a'));
  state.ContinueWithNewId(std::string(40, 'b'));
  EXPECT_EQ(state.replid(), std::string(40, 'b'));
  EXPECT_EQ(state.second_replid_offset(), 1001);
}

TEST(ReplicationStateTest, AReplicaFeedsNothingOfItsOwn) {
  ReplicationState state;
  WakeQueue wakeups;
  state.CreateBacklog(1 << 10);
  state.set_primary("127.0.0.1", 6379);
  state.Feed(0, kSet, wakeups);
  EXPECT_EQ(state.master_repl_offset(), 0);
  state.FeedBytes(kSetBytes, wakeups);  // what it proxies from its primary
  EXPECT_EQ(state.master_repl_offset(), static_cast<int64_t>(kSetBytes.size()));
}

}  // namespace
}  // namespace ember::server
