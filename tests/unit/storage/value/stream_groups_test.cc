// StreamGroups: pending entries move between consumers as Redis moves NACKs, deleting a
// consumer drops its entries, and the counted memory always equals a fresh count.
#include "storage/value/stream_groups.h"

#include <gtest/gtest.h>

#include <string>

namespace ember::storage {
namespace {

TEST(StreamGroupsTest, DeliveriesClaimsAndAcksKeepBothListsInStep) {
  StreamGroups groups;
  StreamGroup* group = groups.Create("g", {0, 0}, 0);
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(groups.Create("g", {0, 0}, 0), nullptr);  // BUSYGROUP
  groups.Consumer(*group, "alice", 100);
  groups.Deliver(*group, {1, 0}, "alice", 200);
  groups.Deliver(*group, {2, 0}, "alice", 200);
  EXPECT_EQ(group->consumers.at("alice").pending.size(), 2u);
  // Delivered again to another consumer: it moves, its count starts over.
  StreamPending& moved = groups.Deliver(*group, {2, 0}, "bob", 300);
  EXPECT_EQ(moved.consumer, "bob");
  EXPECT_EQ(moved.delivery_count, 1u);
  EXPECT_EQ(group->consumers.at("alice").pending.size(), 1u);
  EXPECT_EQ(group->consumers.at("bob").pending.size(), 1u);
  groups.Assign(*group, {2, 0}, "a-consumer-name-longer-than-fifteen", 400, 7);
  EXPECT_TRUE(group->consumers.at("bob").pending.empty());
  EXPECT_EQ(groups.bytes(), groups.Recount());
  EXPECT_TRUE(groups.Acknowledge(*group, {1, 0}));
  EXPECT_FALSE(groups.Acknowledge(*group, {1, 0}));
  EXPECT_TRUE(group->consumers.at("alice").pending.empty());
  EXPECT_EQ(groups.bytes(), groups.Recount());
}

TEST(StreamGroupsTest, DeletingAConsumerDropsItsPendingEntries) {
  StreamGroups groups;
  StreamGroup* group = groups.Create("g", {0, 0}, kUnknownEntriesRead);
  for (uint64_t i = 1; i <= 5; ++i) groups.Deliver(*group, {i, 0}, i % 2 ? "odd" : "even", 10);
  EXPECT_EQ(groups.DeleteConsumer(*group, "odd"), std::optional<size_t>(3));
  EXPECT_EQ(groups.DeleteConsumer(*group, "odd"), std::nullopt);
  EXPECT_EQ(group->pending.size(), 2u);
  EXPECT_EQ(groups.bytes(), groups.Recount());
  EXPECT_TRUE(groups.Destroy("g"));
  EXPECT_FALSE(groups.Destroy("g"));
  EXPECT_EQ(groups.bytes(), 0u);
}

}  // namespace
}  // namespace ember::storage
