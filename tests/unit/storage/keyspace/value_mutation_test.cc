#include "storage/keyspace/value_mutation.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/chunk_bytes.h"
#include "storage/value/hash_value.h"
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

Value SmallHash(int fields) {
  auto hash = std::make_unique<HashValue>();
  for (int f = 0; f < fields; ++f) hash->Set("f" + std::to_string(f), "value", EncodingLimits{});
  return Value::Box(std::move(hash));
}

// Sets field f`from`..f`to - 1` of `key` in one mutation each; returns the entry after.
Entry* AddFields(Database& db, std::string_view key, int from, int to) {
  Entry* entry = db.FindStored(key);
  for (int f = from; f < to; ++f) {
    ValueMutation mutation = db.Mutate(entry);
    mutation.As<HashValue>().Set("f" + std::to_string(f), "value", db.encoding_limits());
    entry = mutation.Finish();
  }
  return entry;
}

// A packed hash is edited where it lies in its entry: a field that fits the slot's room
// neither copies nor moves the entry; one that does not moves it into a block with room for
// more, so a hash growing a field at a time reallocs only now and then.
TEST_F(ValueMutationTest, APackedHashGrowsInItsSlotAndReallocsOnlyNowAndThen) {
  Entry* entry = db().Add("h", SmallHash(2));
  ASSERT_TRUE(entry->value().is_packed());
  int moves = 0;
  for (int f = 2; f < 40; ++f) {
    const size_t block = entry->block_size();
    Entry* after = AddFields(db(), "h", f, f + 1);
    if (after != entry || after->block_size() != block) ++moves;
    entry = after;
    ASSERT_TRUE(entry->value().is_packed());
    ASSERT_EQ(db().memory_bytes(), Expected("h")) << "after field " << f;
  }
  EXPECT_LT(moves, 19);  // 38 fields of 9 bytes: growth room covers several at a time
  NumberBuffer scratch;
  EXPECT_EQ(entry->value().Read<HashValue>()->Size(), 40u);
  EXPECT_EQ(entry->value().Read<HashValue>()->Get("f39", scratch), "value");
  EXPECT_EQ(entry->value().Read<HashValue>()->Get("f0", scratch), "value");
}

TEST_F(ValueMutationTest, APackedHashShrinksItsBlockWhenMostFieldsGo) {
  Entry* entry = db().Add("h", SmallHash(60));
  const size_t full = entry->block_size();
  for (int f = 0; f < 55; ++f) {
    ValueMutation mutation = db().Mutate(db().FindStored("h"));
    ASSERT_TRUE(mutation.As<HashValue>().Delete("f" + std::to_string(f)));
  }
  entry = db().FindStored("h");
  EXPECT_LT(entry->block_size(), full / 2);
  EXPECT_EQ(entry->value().Read<HashValue>()->Size(), 5u);
  EXPECT_EQ(db().memory_bytes(), Expected("h"));
}

// Edits that leave the packed form (a conversion to a table, or bytes past what an entry
// keeps) take the hash out of the slot whole before the slot is rewritten.
TEST_F(ValueMutationTest, AnAttachedHashLeavingThePackedFormIsCopiedOutFirst) {
  db().Add("table", SmallHash(3));
  {
    ValueMutation mutation = db().Mutate(db().FindStored("table"));
    mutation.As<HashValue>().Set("long", std::string(100, 'x'), db().encoding_limits());
  }
  const Entry* table = db().FindStored("table");
  EXPECT_EQ(table->value().encoding(), CollectionEncoding::kHashtable);
  NumberBuffer scratch;
  EXPECT_EQ(table->value().Read<HashValue>()->Get("f2", scratch), "value");

  db().Add("big", SmallHash(3));
  {
    ValueMutation mutation = db().Mutate(db().FindStored("big"));
    for (int f = 0; f < 30; ++f) {  // 30 x ~63 bytes: past kMaxPackedValue, within the limits
      mutation.As<HashValue>().Set("g" + std::to_string(f), std::string(60, 'y'),
                                   db().encoding_limits());
    }
  }
  const Entry* big = db().FindStored("big");
  EXPECT_FALSE(big->value().is_packed());
  EXPECT_EQ(big->value().encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(big->value().Read<HashValue>()->Size(), 33u);
  EXPECT_EQ(big->value().Read<HashValue>()->Get("f0", scratch), "value");
  EXPECT_EQ(big->value().Read<HashValue>()->Get("g29", scratch), std::string(60, 'y'));
  EXPECT_EQ(db().memory_bytes(), baseline_ + ChunkBytes(table->block_size()) +
                                     table->value_heap_bytes() + ChunkBytes(big->block_size()) +
                                     big->value_heap_bytes());
}

}  // namespace
}  // namespace ember::storage
