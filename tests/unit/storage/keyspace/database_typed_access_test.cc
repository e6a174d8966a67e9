// Database's typed access: FindOfType (the one place that decides WRONGTYPE) with each
// lookup mode, find-or-create, Extract, and the memory a key costs.
#include <gtest/gtest.h>

#include <string>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/lifecycle/access_clock.h"
#include "storage/value/chunk_bytes.h"
#include "tests/unit/storage/value/fake_collection.h"

namespace ember::storage {
namespace {

constexpr int64_t kT0 = 1'700'000'040'000;

class DatabaseTypedAccessTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }
  const KeyspaceStats& stats() const { return keyspace_.stats(); }

  Keyspace keyspace_;
};

TEST_F(DatabaseTypedAccessTest, FindOfTypeTellsMissingFromWrongType) {
  db().Add("s", Value::String("v"));
  db().Add("l", MakeList({"a"}));
  OpResult<Entry*> string = db().FindOfType("s", ValueType::kString, kT0);
  ASSERT_TRUE(string.ok());
  EXPECT_EQ((*string)->key(), "s");
  EXPECT_EQ(db().FindOfType("l", ValueType::kString, kT0).status(), OpStatus::kWrongType);
  EXPECT_EQ(db().FindOfType("s", ValueType::kStream, kT0).status(), OpStatus::kWrongType);
  EXPECT_EQ(db().FindOfType("x", ValueType::kString, kT0).status(), OpStatus::kKeyNotFound);
  ASSERT_TRUE(db().FindOfType("l", ValueType::kStream, kT0).ok());
  // A wrong-type lookup changes nothing.
  EXPECT_EQ(db().size(), 2u);
  EXPECT_EQ(db().Find("l", kT0)->type(), ValueType::kStream);
}

TEST_F(DatabaseTypedAccessTest, FindOfTypeExpiresLazily) {
  Entry* entry = db().Add("k", Value::String("v"));
  static_cast<void>(db().SetExpire(entry, kT0));
  EXPECT_TRUE(db().FindOfType("k", ValueType::kString, kT0).ok());
  EXPECT_EQ(db().FindOfType("k", ValueType::kString, kT0 + 1).status(), OpStatus::kKeyNotFound);
  EXPECT_FALSE(db().Contains("k"));
}

TEST_F(DatabaseTypedAccessTest, ReadModesCountHitsAndMissesWhateverTheType) {
  db().Add("l", MakeList({"a"}));
  static_cast<void>(db().FindOfType("l", ValueType::kString, kT0, LookupMode::kRead));
  static_cast<void>(db().FindOfType("x", ValueType::kString, kT0, LookupMode::kReadNoTouch));
  // Redis counts the lookup before checking the type: a WRONGTYPE read is a hit.
  EXPECT_EQ(stats().keyspace_hits, 1u);
  EXPECT_EQ(stats().keyspace_misses, 1u);
  static_cast<void>(db().FindOfType("l", ValueType::kStream, kT0, LookupMode::kWrite));
  static_cast<void>(db().FindOfType("x", ValueType::kStream, kT0, LookupMode::kNoTouch));
  EXPECT_EQ(stats().keyspace_hits, 1u);
  EXPECT_EQ(stats().keyspace_misses, 1u);
}

TEST_F(DatabaseTypedAccessTest, NoTouchModesKeepTheAccessField) {
  static_cast<void>(db().Find("k", kT0));
  Entry* entry = db().Add("k", Value::String("v"));
  ASSERT_EQ(entry->access(), LruClock(kT0));
  static_cast<void>(db().FindOfType("k", ValueType::kString, kT0 + 5'000, LookupMode::kNoTouch));
  static_cast<void>(
      db().FindOfType("k", ValueType::kString, kT0 + 5'000, LookupMode::kReadNoTouch));
  EXPECT_EQ(db().FindStored("k")->access(), LruClock(kT0));
  static_cast<void>(db().FindOfType("k", ValueType::kString, kT0 + 5'000, LookupMode::kRead));
  EXPECT_EQ(db().FindStored("k")->access(), LruClock(kT0 + 5'000));
  static_cast<void>(db().FindOfType("k", ValueType::kString, kT0 + 9'000));
  EXPECT_EQ(db().FindStored("k")->access(), LruClock(kT0 + 9'000));
}

TEST_F(DatabaseTypedAccessTest, FindOrCreateAddsAnEmptyStringOnlyWhenAbsent) {
  {
    OpResult<ValueMutation> created = db().FindOrCreate("k", ValueType::kString, kT0);
    ASSERT_TRUE(created.ok());
    EXPECT_TRUE(created->created());
    created->value().str().Append("abc");
  }
  EXPECT_EQ(db().Find("k", kT0)->value().bytes(), "abc");
  {
    OpResult<ValueMutation> found = db().FindOrCreate("k", ValueType::kString, kT0);
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->created());
    found->value().str().Append("def");
  }
  EXPECT_EQ(db().Find("k", kT0)->value().bytes(), "abcdef");
  db().Add("l", MakeList({"a"}));
  EXPECT_EQ(db().FindOrCreate("l", ValueType::kString, kT0).status(), OpStatus::kWrongType);
  EXPECT_EQ(db().Find("l", kT0)->type(), ValueType::kStream);
}

TEST_F(DatabaseTypedAccessTest, ExtractDeletesTheKeyAndHandsOverTheValue) {
  db().Add("keep", Value::String("v"));
  const size_t baseline = db().memory_bytes();
  Entry* entry = db().Add("l", MakeList({"a", "b"}));
  entry = db().SetExpire(entry, kT0 + 1'000);
  const Collection* collection = &entry->value().collection();
  Value taken = db().Extract(entry);
  EXPECT_FALSE(db().Contains("l"));
  EXPECT_EQ(db().expires_size(), 0u);
  EXPECT_EQ(db().memory_bytes(), baseline);
  EXPECT_EQ(&taken.collection(), collection);  // relinked, not copied
}

// The per-key cost the memory benchmark tracks: a 16-byte key with a 16-byte value is one
// 64-byte chunk (80 with a TTL) plus its bucket pointer.
TEST_F(DatabaseTypedAccessTest, ShortStringKeysCostOneChunk) {
  db().Add("warm-up", Value::String("v"));  // allocates the bucket array
  const size_t before = db().memory_bytes();
  Entry* entry = db().Add("key:000000000001", Value::String("xxxxxxxxxxxxxxxx"));
  EXPECT_EQ(db().memory_bytes() - before, 64u);
  entry = db().SetExpire(entry, kT0);
  EXPECT_EQ(db().memory_bytes() - before, 80u);
  EXPECT_EQ(ChunkBytes(entry->block_size()), 80u);
}

TEST_F(DatabaseTypedAccessTest, MemoryCountsEveryChunkACollectionOwns) {
  db().Add("keep", Value::String("v"));
  const size_t baseline = db().memory_bytes();
  Value list = MakeList({"a", std::string(500, 'b')});
  const size_t heap = list.HeapBytes();
  Entry* entry = db().Add("l", std::move(list));
  EXPECT_EQ(db().memory_bytes(), baseline + ChunkBytes(entry->block_size()) + heap);
  EXPECT_EQ(entry->value_heap_bytes(), heap);
  db().Delete("l");
  EXPECT_EQ(db().memory_bytes(), baseline);
}

}  // namespace
}  // namespace ember::storage
