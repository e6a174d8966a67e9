// Streams in RDB files: saved as Redis 7.0's STREAM_LISTPACKS_2 (node keys and listpacks as
// they are, then the metadata, then no groups) and loaded back to the same entries and
// metadata; malformed nodes and streams with consumer groups are refused with the offset.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "persistence/rdb_format.h"
#include "storage/value/stream_value.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using storage::StreamId;
using storage::StreamValue;
using testing::LoadFromMemory;
using testing::SaveToMemory;

// 250 entries over several nodes (100 per node), two field layouts, some deleted.
std::unique_ptr<StreamValue> SampleStream() {
  auto stream = std::make_unique<StreamValue>();
  for (uint64_t i = 1; i <= 250; ++i) {
    const std::string value = "value-" + std::to_string(i);
    if (i % 7 == 0) {
      const std::string_view fields[] = {"other", value, "n", "12345"};
      stream->Append({i, 0}, fields, {});
    } else {
      const std::string_view fields[] = {"name", value};
      stream->Append({i, 0}, fields, {});
    }
  }
  for (uint64_t i = 1; i <= 250; i += 11) EXPECT_TRUE(stream->Delete({i, 0}));
  stream->set_max_deleted_id({243, 0});
  return stream;
}

std::vector<std::string> Entries(const StreamValue& stream) {
  std::vector<std::string> out;
  stream.Range(StreamId::Min(), StreamId::Max(), false, 0, [&](const StreamValue::EntryView& e) {
    std::string line = storage::FormatStreamId(e.id);
    for (const StreamValue::Field& field : e.fields) {
      line += " " + std::string(field.name) + "=" + std::string(field.value);
    }
    out.push_back(line);
    return true;
  });
  return out;
}

TEST(RdbStreamTest, StreamsRoundTripWithTheirMetadata) {
  storage::Keyspace original;
  std::unique_ptr<StreamValue> stream = SampleStream();
  const std::vector<std::string> expected = Entries(*stream);
  const size_t length = stream->Size();
  original.db(0).Add("s", storage::Value::Box(std::move(stream)));
  original.db(0).Add("empty", storage::Value::Box(std::make_unique<StreamValue>()));
  const std::string data = SaveToMemory(original);
  storage::Keyspace loaded;
  Status s = LoadFromMemory(data, &loaded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const storage::Entry* entry = loaded.db(0).Find("s", testing::kNowMs);
  ASSERT_NE(entry, nullptr);
  const auto view = entry->value().Read<StreamValue>();
  EXPECT_EQ(view->Size(), length);
  EXPECT_EQ(Entries(*view), expected);
  EXPECT_EQ(view->last_id(), (StreamId{250, 0}));
  EXPECT_EQ(view->first_id(), (StreamId{2, 0}));
  EXPECT_EQ(view->max_deleted_id(), (StreamId{243, 0}));
  EXPECT_EQ(view->entries_added(), 250u);
  EXPECT_EQ(view->nodes().size(), 3u);
  const storage::Entry* empty = loaded.db(0).Find("empty", testing::kNowMs);
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->value().Read<StreamValue>()->Size(), 0u);
}

// Groups come back with their position, entries-read, pending entries (owner, delivery time
// and count) and consumers (seen time), including an empty consumer and an unknown counter.
TEST(RdbStreamTest, ConsumerGroupsRoundTrip) {
  std::unique_ptr<StreamValue> stream = SampleStream();
  stream->EditGroups([](storage::StreamGroups& groups) {
    storage::StreamGroup* g = groups.Create("workers", {100, 0}, 87);
    groups.Consumer(*g, "alice", 1'700'000'000'000);
    groups.Deliver(*g, {2, 0}, "alice", 1'700'000'000'500);
    groups.Assign(*g, {3, 0}, "bob", 1'700'000'000'700, 4);
    groups.Consumer(*g, "idle", 1'700'000'001'000);
    groups.Create("late", {0, 0}, storage::kUnknownEntriesRead);
  });
  storage::Keyspace original;
  original.db(0).Add("s", storage::Value::Box(std::move(stream)));
  storage::Keyspace loaded;
  Status s = LoadFromMemory(SaveToMemory(original), &loaded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const auto view = loaded.db(0).Find("s", testing::kNowMs)->value().Read<StreamValue>();
  const storage::StreamGroup* g = view->groups().Find("workers");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->last_id, (StreamId{100, 0}));
  EXPECT_EQ(g->entries_read, 87);
  ASSERT_EQ(g->pending.size(), 2u);
  EXPECT_EQ(g->pending.at({3, 0}).consumer, "bob");
  EXPECT_EQ(g->pending.at({3, 0}).delivery_count, 4u);
  EXPECT_EQ(g->pending.at({2, 0}).delivery_time, 1'700'000'000'500);
  EXPECT_EQ(g->consumers.at("alice").seen_time, 1'700'000'000'000);
  EXPECT_EQ(g->consumers.at("alice").pending.size(), 1u);
  EXPECT_TRUE(g->consumers.at("idle").pending.empty());
  EXPECT_EQ(view->groups().Find("late")->entries_read, storage::kUnknownEntriesRead);
  // The memory of the loaded groups is counted as a fresh count finds it.
  EXPECT_EQ(view->groups().bytes(), view->groups().Recount());
}

// A stream value as Redis writes it, after the header: one node with `node` as its
// listpack, then `tail` (length, IDs, entries added, groups).
std::string StreamFile(std::string_view node, std::string_view tail,
                       uint8_t type = rdb::kTypeStreamListpacks2) {
  std::string data("REDIS0010\xfe\x00", 11);
  data += static_cast<char>(type);
  data += "\x01s\x01";  // key "s", one node
  data += '\x10';
  data.append("\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00", 16);
  data += static_cast<char>(node.size());
  data += node;
  data += tail;
  data += '\xff';
  data.append(8, '\0');
  return data;
}

// The listpack of one node holding entry 5-0 {"f": "v"}: master entry `live` 0 1 "f" 0, then
// flags 2 (same fields), deltas 0 0, "v", lp-count 4. A well-formed node says 1 live entry.
std::string OneEntryNode(int64_t live = 1) {
  storage::Listpack lp;
  for (int64_t n : {live, int64_t{0}, int64_t{1}}) lp.AppendInteger(n);
  lp.Append("f");
  for (int64_t n : {0, 2, 0, 0}) lp.AppendInteger(n);
  lp.Append("v");
  lp.AppendInteger(4);
  return std::string(lp.bytes());
}

TEST(RdbStreamTest, AHandWrittenNodeLoads) {
  // length 1, last 5-0, first 5-0, max deleted 0-0, entries added 1, no groups.
  const std::string data =
      StreamFile(OneEntryNode(), std::string("\x01\x05\x00\x05\x00\x00\x00\x01\x00", 9));
  storage::Keyspace loaded;
  Status s = LoadFromMemory(data, &loaded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const auto view = loaded.db(0).Find("s", testing::kNowMs)->value().Read<StreamValue>();
  EXPECT_EQ(Entries(*view), std::vector<std::string>{"5-0 f=v"});
}

// Redis 7.2's type 21 adds each consumer's active time after its seen time.
TEST(RdbStreamTest, Redis72StreamsLoadWithTheirConsumers) {
  std::string tail("\x01\x05\x00\x05\x00\x00\x00\x01", 8);  // length .. entries added
  tail += std::string("\x01\x01g\x05\x00\x01", 6);          // one group "g" at 5-0, read 1
  const std::string id("\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00", 16);
  tail += "\x01" + id + std::string("\x10\x27\x00\x00\x00\x00\x00\x00", 8) + "\x02";
  tail += std::string("\x01\x01") + "c" + std::string("\x20\x4e\x00\x00\x00\x00\x00\x00", 8) +
          std::string("\x30\x75\x00\x00\x00\x00\x00\x00", 8) + "\x01" + id;
  storage::Keyspace loaded;
  Status s = LoadFromMemory(StreamFile(OneEntryNode(), tail, rdb::kTypeStreamListpacks3), &loaded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const auto view = loaded.db(0).Find("s", testing::kNowMs)->value().Read<StreamValue>();
  const storage::StreamGroup* g = view->groups().Find("g");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->pending.at({5, 0}).consumer, "c");
  EXPECT_EQ(g->pending.at({5, 0}).delivery_time, 10000);
  EXPECT_EQ(g->pending.at({5, 0}).delivery_count, 2u);
  EXPECT_EQ(g->consumers.at("c").seen_time, 20000);
}

TEST(RdbStreamTest, MalformedNodesAreRefused) {
  // The master entry claims 2 live entries where the node holds 1.
  const std::string tail("\x01\x05\x00\x05\x00\x00\x00\x01\x00", 9);
  storage::Keyspace ks;
  Status s = LoadFromMemory(StreamFile(OneEntryNode(2), tail), &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("invalid stream node"), std::string::npos) << s.message();

  // A length that does not match the live entries.
  storage::Keyspace ks2;
  s = LoadFromMemory(
      StreamFile(OneEntryNode(), std::string("\x02\x05\x00\x05\x00\x00\x00\x01\x00", 9)), &ks2);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("inconsistent"), std::string::npos) << s.message();

  // One consumer group whose data ends early.
  storage::Keyspace ks3;
  s = LoadFromMemory(
      StreamFile(OneEntryNode(), std::string("\x01\x05\x00\x05\x00\x00\x00\x01\x01", 9)), &ks3);
  ASSERT_FALSE(s.ok());
}

}  // namespace
}  // namespace ember::persistence
