#include "storage/keyspace/value_mutation.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/chunk_bytes.h"
#include "storage/value/set_value.h"
#include "tests/unit/storage/value/fake_collection.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'000'000;

class ValueMutationTest : public ::testing::Test {
 protected:
  ValueMutationTest() {
    db().Add("other", Value::String("v"));
    baseline_ = db().memory_bytes();
  }

  Database& db() { return keyspace_.db(0); }
  // What the database should account with `key` stored, from the entry's own figures.
  size_t Expected(std::string_view key) {
    const Entry* entry = db().FindStored(key);
    return baseline_ + ChunkBytes(entry->block_size()) + entry->value_heap_bytes();
  }

  Keyspace keyspace_;
  size_t baseline_ = 0;
};

TEST_F(ValueMutationTest, AStringGrowingPastTheInlineLimitMovesIntoABox) {
  Entry* entry = db().Add("k", Value::String("short"));
  EXPECT_EQ(db().memory_bytes(), Expected("k"));
  ValueMutation mutation = db().Mutate(entry);
  mutation.value().str().Append(std::string(Entry::kMaxInlineValue, 'x'));
  entry = mutation.Finish();
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(db().FindStored("k"), entry);  // relinked if it moved
  EXPECT_EQ(entry->value().size(), 5u + Entry::kMaxInlineValue);
  EXPECT_GT(entry->value_heap_bytes(), Entry::kMaxInlineValue);
  EXPECT_EQ(db().memory_bytes(), Expected("k"));
}

TEST_F(ValueMutationTest, ABoxedStringChangedInPlaceSettlesIntoTheSlotItNeeds) {
  Entry* entry = db().Add("k", Value::String(std::string(1000, 'x')));
  ValueMutation mutation = db().Mutate(entry);
  mutation.value().str().AssignInteger(42);
  entry = mutation.Finish();
  ASSERT_TRUE(entry->value().is_integer());
  EXPECT_EQ(entry->value_heap_bytes(), 0u);
  EXPECT_EQ(entry->block_size(), sizeof(Entry) + 1 + sizeof(int64_t));
  EXPECT_EQ(db().memory_bytes(), Expected("k"));
}

TEST_F(ValueMutationTest, ACollectionChangesInPlaceAndIsReaccounted) {
  Entry* entry = db().Add("l", MakeList({"a"}));
  ValueMutation mutation = db().Mutate(entry);
  for (int i = 0; i < 20; ++i) mutation.As<FakeList>().Push(std::string(100, 'z'));
  // Other lookups of the key see the value being changed, not a placeholder.
  EXPECT_EQ(db().FindStored("l")->value().collection().Size(), 21u);
  EXPECT_EQ(mutation.Finish(), entry);  // a box never changes size: the entry stays
  EXPECT_EQ(db().memory_bytes(), Expected("l"));
  EXPECT_GT(db().memory_bytes(), baseline_ + 20 * 100);
}

TEST_F(ValueMutationTest, ACollectionLeftEmptyIsDeletedWithItsKey) {
  Entry* entry = db().Add("l", MakeList({"a", "b"}));
  entry = db().SetExpire(entry, kNow + 1'000);
  {
    ValueMutation mutation = db().Mutate(entry);
    mutation.As<FakeList>().Pop();
    mutation.As<FakeList>().Pop();
  }
  EXPECT_FALSE(db().Contains("l"));
  EXPECT_EQ(db().expires_size(), 0u);
  EXPECT_EQ(db().memory_bytes(), baseline_);
}

TEST_F(ValueMutationTest, AnEmptyStringIsKept) {
  Entry* entry = db().Add("k", Value::String("abc"));
  ValueMutation mutation = db().Mutate(entry);
  mutation.value().str().Assign("");
  EXPECT_NE(mutation.Finish(), nullptr);
  EXPECT_TRUE(db().Contains("k"));
}

TEST_F(ValueMutationTest, AMovedMutationStillOwnsItsValue) {
  Entry* entry = db().Add("k", Value::String("ab"));
  ValueMutation first = db().Mutate(entry);
  first.value().str().Append("c");
  ValueMutation second = std::move(first);
  EXPECT_EQ(first.Finish(), nullptr);  // NOLINT(bugprone-use-after-move): ended, no effect
  second.value().str().Append("d");
  OpResult<ValueMutation> wrapped(std::move(second));
  wrapped->value().str().Append("e");
  entry = wrapped->Finish();
  EXPECT_EQ(entry->value().bytes(), "abcde");
  EXPECT_EQ(wrapped->Finish(), nullptr);  // finishing twice is harmless
  EXPECT_EQ(db().memory_bytes(), Expected("k"));
}

TEST_F(ValueMutationTest, TheTtlAndAccessFieldSurvive) {
  Entry* entry = db().Add("k", Value::String("v"));
  entry->set_access(12345);
  entry = db().SetExpire(entry, kNow + 500);
  ValueMutation mutation = db().Mutate(entry);
  mutation.value().str().Append(std::string(400, 'w'));
  entry = mutation.Finish();
  EXPECT_EQ(entry->access(), 12345u);
  EXPECT_EQ(db().GetExpire(entry), kNow + 500);
  EXPECT_EQ(db().expires_size(), 1u);
}

Value IntSet(std::initializer_list<int64_t> members) {
  auto set = std::make_unique<SetValue>();
  for (int64_t m : members) set->Add(std::to_string(m), EncodingLimits{});
  return Value::Box(std::move(set));
}

// Two packed values changed at once (SMOVE's shape): each gets its own unpacked object (one
// is the database's spare), both are packed back, and the accounting is exact.
TEST_F(ValueMutationTest, TwoLivePackedMutationsDoNotShareAnObject) {
  Entry* a = db().Add("a", IntSet({1, 2, 3}));
  Entry* b = db().Add("b", IntSet({10}));
  ASSERT_TRUE(a->value().is_packed());
  ASSERT_TRUE(b->value().is_packed());
  for (int round = 0; round < 3; ++round) {  // later rounds reuse the spare
    ValueMutation from = db().Mutate(db().FindStored("a"));
    ValueMutation to = db().Mutate(db().FindStored("b"));
    ASSERT_NE(&from.value().collection(), &to.value().collection());
    EXPECT_TRUE(from.As<SetValue>().Remove(std::to_string(3 - round)));
    to.As<SetValue>().Add(std::to_string(100 + round), EncodingLimits{});
  }
  EXPECT_FALSE(db().Contains("a"));  // emptied by the last round
  const Entry* stored = db().FindStored("b");
  ASSERT_NE(stored, nullptr);
  EXPECT_TRUE(stored->value().is_packed());
  EXPECT_EQ(stored->value().Read<SetValue>()->Size(), 4u);
  EXPECT_EQ(db().memory_bytes(), Expected("b"));
}

// An unchanged packed value (MarkUnchanged) is not stored back, and a failed change leaves
// what other readers see intact.
TEST_F(ValueMutationTest, APackedValueReadButUnchangedIsNotRewritten) {
  Entry* entry = db().Add("s", IntSet({5}));
  {
    ValueMutation mutation = db().Mutate(entry);
    EXPECT_FALSE(mutation.As<SetValue>().Add("5", EncodingLimits{}));
    mutation.MarkUnchanged();
    EXPECT_EQ(mutation.Finish(), entry);
  }
  EXPECT_EQ(db().FindStored("s"), entry);
  EXPECT_EQ(db().memory_bytes(), Expected("s"));
}

}  // namespace
}  // namespace ember::storage
