// Small sorted sets live in their entry's slot (entry.h): stored packed, read in place,
// changed through an unpacked object and packed back, boxed once they outgrow the slot or
// the packed form, with exact accounting throughout.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/keyspace/value_mutation.h"
#include "storage/value/chunk_bytes.h"
#include "storage/value/zset_value.h"

namespace ember::storage {
namespace {

class ZSetPackingTest : public ::testing::Test {
 protected:
  ZSetPackingTest() {
    db().Add("other", Value::String("v"));  // the keys table's buckets exist from here on
    baseline_ = db().memory_bytes();
  }

  Database& db() { return keyspace_.db(0); }
  size_t Expected(std::string_view key) {
    const Entry* entry = db().FindStored(key);
    return baseline_ + ChunkBytes(entry->block_size()) + entry->value_heap_bytes();
  }
  // Adds member m<i> with score i for i in [from, to), one mutation each.
  Entry* AddMembers(std::string_view key, int from, int to, size_t member_bytes = 0) {
    Entry* entry = db().FindStored(key);
    for (int i = from; i < to; ++i) {
      ValueMutation mutation = db().Mutate(entry);
      std::string member = "m" + std::to_string(i);
      member.resize(std::max(member.size(), member_bytes), 'x');
      mutation.As<SortedSetValue>().Add(member, i, db().encoding_limits());
      entry = mutation.Finish();
    }
    return entry;
  }

  Keyspace keyspace_;
  size_t baseline_ = 0;
};

Value ZSetOf(int members) {
  auto set = std::make_unique<SortedSetValue>(EncodingLimits{});
  for (int i = 0; i < members; ++i) set->Add("m" + std::to_string(i), i, EncodingLimits{});
  return Value::Box(std::move(set));
}

TEST_F(ZSetPackingTest, ASmallSortedSetCostsOneBlock) {
  Entry* entry = db().Add("z", ZSetOf(5));
  ASSERT_TRUE(entry->value().is_packed());
  EXPECT_EQ(entry->value_heap_bytes(), 0u);
  EXPECT_EQ(entry->value().encoding(), CollectionEncoding::kListpack);
  const auto view = entry->value().Read<SortedSetValue>();
  EXPECT_EQ(view->Size(), 5u);
  EXPECT_EQ(view->Score("m3"), 3.0);
  EXPECT_EQ(view->Rank("m4"), 4u);
  EXPECT_EQ(db().memory_bytes(), Expected("z"));
}

TEST_F(ZSetPackingTest, ChangesPackBackUntilTheSetOutgrowsThePackedForm) {
  db().Add("z", ZSetOf(1));
  Entry* entry = AddMembers("z", 1, 128);
  ASSERT_TRUE(entry->value().is_packed()) << "128 short members fit the slot";
  EXPECT_EQ(entry->value().Read<SortedSetValue>()->Size(), 128u);
  EXPECT_EQ(db().memory_bytes(), Expected("z"));
  entry = AddMembers("z", 128, 129);  // past zset-max-listpack-entries
  EXPECT_FALSE(entry->value().is_packed());
  EXPECT_EQ(entry->value().encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(entry->value().Read<SortedSetValue>()->Size(), 129u);
  EXPECT_EQ(db().memory_bytes(), Expected("z"));
}

TEST_F(ZSetPackingTest, AListpackTooBigForTheSlotStaysBoxedAndListpack) {
  db().Add("z", ZSetOf(1));
  Entry* entry = AddMembers("z", 1, 40, /*member_bytes=*/60);  // ~2.5 KiB of members
  EXPECT_FALSE(entry->value().is_packed());
  EXPECT_EQ(entry->value().encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(db().memory_bytes(), Expected("z"));
}

TEST_F(ZSetPackingTest, ReadButUnchangedLeavesTheSlotAlone) {
  Entry* entry = db().Add("z", ZSetOf(3));
  {
    ValueMutation mutation = db().Mutate(entry);
    EXPECT_EQ(mutation.As<SortedSetValue>().Add("m1", 1, EncodingLimits{}),
              SortedSetValue::AddResult::kUnchanged);
    mutation.MarkUnchanged();
    EXPECT_EQ(mutation.Finish(), entry);
  }
  EXPECT_TRUE(db().FindStored("z")->value().is_packed());
  EXPECT_EQ(db().memory_bytes(), Expected("z"));
}

TEST_F(ZSetPackingTest, RemovingTheLastMemberDeletesTheKey) {
  db().Add("z", ZSetOf(2));
  for (const char* member : {"m0", "m1"}) {
    ValueMutation mutation = db().Mutate(db().FindStored("z"));
    EXPECT_TRUE(mutation.As<SortedSetValue>().Erase(member));
  }
  EXPECT_FALSE(db().Contains("z"));
  EXPECT_EQ(db().memory_bytes(), baseline_);
}

}  // namespace
}  // namespace ember::storage
