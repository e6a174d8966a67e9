// Entry::PrefetchValue's steps, which the key prefetcher (server/net/key_prefetcher.h)
// runs for as long as they report more to load. Prefetches themselves leave no trace, so
// what is checked is the step protocol and that nothing changes.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/keyspace/entry.h"
#include "storage/keyspace/keyspace.h"
#include "storage/ops/stream_ops.h"

namespace ember::storage {
namespace {

int StepsWithMore(const Database& db, std::string_view key) {
  const Entry* entry = db.PeekEntry(key, Database::KeyHash(key));
  if (entry == nullptr) return -1;
  int steps = 0;
  while (steps < 10 && entry->PrefetchValue(steps)) ++steps;
  return steps;
}

TEST(EntryPrefetchTest, ValuesInsideTheEntryHaveNothingToLoad) {
  Keyspace keyspace;
  Database& db = keyspace.db(0);
  db.AddString("inline", "short");
  db.AddString("integer", "12345");
  db.AddString("long", std::string(1000, 'x'));
  EXPECT_EQ(StepsWithMore(db, "inline"), 0);
  EXPECT_EQ(StepsWithMore(db, "integer"), 0);
  EXPECT_EQ(StepsWithMore(db, "long"), 0);  // its block is loaded in step 0, then done
  EXPECT_EQ(StepsWithMore(db, "missing"), -1);
}

TEST(EntryPrefetchTest, AStreamLoadsItsObjectThenItsLastNodeInThreeSteps) {
  Keyspace keyspace;
  Database& db = keyspace.db(0);
  const std::vector<std::string_view> fields = {"name", "value"};
  XAddRequest request;
  request.field_values = fields;
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(OpXAdd(db, "s", request, 1000 + i).ok());
  // Object, the last node's slot, the node's first bytes; then its tail, with no more after.
  EXPECT_EQ(StepsWithMore(db, "s"), 3);
  const OpResult<int64_t> length = OpXLen(db, "s", 2000);
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(*length, 250);
}

}  // namespace
}  // namespace ember::storage
