// StreamValue: Redis's node layout (master entries, same-fields compression, node limits),
// deletion as tombstones, exact and approximate trimming, ranges both ways, and memory
// accounting that stays exact through every change (a clone recounts from the nodes).
#include "storage/value/stream_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ember::storage {
namespace {

void Add(StreamValue& stream, uint64_t ms, std::string_view field = "f",
         std::string_view value = "v", StreamNodeLimits limits = {}) {
  const std::string_view pair[] = {field, value};
  stream.Append({ms, 0}, pair, limits);
}

std::vector<uint64_t> Ids(const StreamValue& stream, bool reverse = false, size_t count = 0,
                          StreamId start = StreamId::Min(), StreamId end = StreamId::Max()) {
  std::vector<uint64_t> ids;
  stream.Range(start, end, reverse, count, [&](const StreamValue::EntryView& entry) {
    ids.push_back(entry.id.ms);
    return true;
  });
  return ids;
}

// heap_bytes() after any sequence of changes equals a fresh count of the nodes.
void ExpectExactAccounting(const StreamValue& stream) {
  EXPECT_EQ(stream.Clone()->heap_bytes(), stream.heap_bytes());
}

TEST(StreamValueTest, NodesSplitAtTheEntryLimitAndTheByteLimit) {
  StreamValue stream;
  for (uint64_t i = 1; i <= 250; ++i) Add(stream, i);
  EXPECT_EQ(stream.nodes().size(), 3u);  // 100 + 100 + 50
  EXPECT_EQ(stream.nodes().begin()->first, (StreamId{1, 0}));
  EXPECT_EQ(std::next(stream.nodes().begin())->first, (StreamId{101, 0}));
  StreamValue small;
  for (uint64_t i = 1; i <= 10; ++i) Add(small, i, "f", std::string(100, 'x'), {.max_bytes = 256});
  EXPECT_GT(small.nodes().size(), 3u);
  ExpectExactAccounting(stream);
  ExpectExactAccounting(small);
}

TEST(StreamValueTest, EntriesWithOtherFieldsKeepTheirNames) {
  StreamValue stream;
  Add(stream, 1, "name", "a");
  Add(stream, 2, "other", "b");
  const std::string_view three[] = {"name", "c", "x", "y"};
  stream.Append({3, 0}, three, {});
  std::vector<std::string> seen;
  stream.Range(StreamId::Min(), StreamId::Max(), false, 0, [&](const StreamValue::EntryView& e) {
    for (const auto& field : e.fields)
      seen.push_back(std::string(field.name) + "=" + std::string(field.value));
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"name=a", "other=b", "name=c", "x=y"}));
}

TEST(StreamValueTest, RangesGoBothWaysWithinBoundsAndCount) {
  StreamValue stream;
  for (uint64_t i = 1; i <= 250; ++i) Add(stream, i);
  EXPECT_EQ(Ids(stream, false, 3), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(Ids(stream, true, 3), (std::vector<uint64_t>{250, 249, 248}));
  EXPECT_EQ(Ids(stream, false, 0, {99, 0}, {102, 0}), (std::vector<uint64_t>{99, 100, 101, 102}));
  EXPECT_EQ(Ids(stream, true, 2, {99, 0}, {102, 0}), (std::vector<uint64_t>{102, 101}));
  EXPECT_TRUE(Ids(stream, false, 0, {300, 0}, {400, 0}).empty());
}

TEST(StreamValueTest, DeletesLeaveTombstonesUntilTheNodeEmpties) {
  StreamValue stream;
  for (uint64_t i = 1; i <= 150; ++i) Add(stream, i);
  EXPECT_TRUE(stream.Delete({1, 0}));
  EXPECT_FALSE(stream.Delete({1, 0}));
  EXPECT_FALSE(stream.Delete({999, 0}));
  EXPECT_EQ(stream.Size(), 149u);
  EXPECT_EQ(stream.first_id(), (StreamId{2, 0}));
  EXPECT_EQ(stream.FirstEntryId(), (StreamId{1, 0}));  // the tombstone is still there
  for (uint64_t i = 101; i <= 150; ++i) EXPECT_TRUE(stream.Delete({i, 0}));
  EXPECT_EQ(stream.nodes().size(), 1u);  // the second node emptied and went
  EXPECT_EQ(*stream.LastLiveId(), (StreamId{100, 0}));
  EXPECT_EQ(stream.last_id(), (StreamId{150, 0}));
  ExpectExactAccounting(stream);
}

TEST(StreamValueTest, ExactTrimsMarkEntriesApproximateOnesDropWholeNodes) {
  StreamValue exact;
  for (uint64_t i = 1; i <= 250; ++i) Add(exact, i);
  EXPECT_EQ(exact.TrimToLength(120, false, 0), 130);
  EXPECT_EQ(exact.Size(), 120u);
  EXPECT_EQ(exact.first_id(), (StreamId{131, 0}));
  EXPECT_EQ(exact.nodes().size(), 2u);  // the first node went whole, the second in part

  StreamValue approx;
  for (uint64_t i = 1; i <= 250; ++i) Add(approx, i);
  EXPECT_EQ(approx.TrimToLength(120, true, 0), 100);  // one whole node only
  EXPECT_EQ(approx.Size(), 150u);
  EXPECT_EQ(approx.TrimToLength(0, true, 50), 0);  // a limit below one node removes nothing

  StreamValue by_id;
  for (uint64_t i = 1; i <= 250; ++i) Add(by_id, i);
  EXPECT_EQ(by_id.TrimBefore({205, 0}, false, 0), 204);
  EXPECT_EQ(Ids(by_id, false, 1), (std::vector<uint64_t>{205}));
  ExpectExactAccounting(exact);
  ExpectExactAccounting(approx);
  ExpectExactAccounting(by_id);
}

TEST(StreamValueTest, AnEmptiedStreamIsKeptWithItsLastId) {
  StreamValue stream;
  Add(stream, 7);
  EXPECT_TRUE(stream.Delete({7, 0}));
  EXPECT_EQ(stream.Size(), 0u);
  EXPECT_TRUE(stream.KeptWhenEmpty());
  EXPECT_EQ(stream.last_id(), (StreamId{7, 0}));
  EXPECT_EQ(stream.first_id(), (StreamId{}));
  EXPECT_TRUE(stream.nodes().empty());
  ExpectExactAccounting(stream);
}

TEST(StreamIdTest, ParsesRedisForms) {
  bool seq_given = true;
  EXPECT_EQ(ParseStreamId("5", 7, false), (StreamId{5, 7}));
  EXPECT_EQ(ParseStreamId("5-3", 0, true), (StreamId{5, 3}));
  EXPECT_EQ(ParseStreamId("-", 0, false), StreamId::Min());
  EXPECT_EQ(ParseStreamId("+", 0, false), StreamId::Max());
  EXPECT_FALSE(ParseStreamId("+", 0, true).has_value());
  EXPECT_EQ(ParseStreamId("5-*", 0, true, true, &seq_given), (StreamId{5, 0}));
  EXPECT_FALSE(seq_given);
  EXPECT_FALSE(ParseStreamId("5-*", 0, true).has_value());
  EXPECT_EQ(ParseStreamId(" 5", 0, true), (StreamId{5, 0}));  // strtoull's leniency
  EXPECT_EQ(ParseStreamId("+6", 0, true), (StreamId{6, 0}));
  EXPECT_FALSE(ParseStreamId("8-0x1", 0, true).has_value());
  EXPECT_FALSE(ParseStreamId("", 0, true).has_value());
  EXPECT_FALSE(ParseStreamId("18446744073709551616", 0, true).has_value());
  char key[16];
  EncodeStreamIdKey({0x0102030405060708, 9}, key);
  EXPECT_EQ(key[0], 1);
  EXPECT_EQ(key[15], 9);
  EXPECT_EQ(DecodeStreamIdKey(key), (StreamId{0x0102030405060708, 9}));
}

}  // namespace
}  // namespace ember::storage
