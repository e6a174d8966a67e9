// RESIZEDB sizes a database's table before its keys arrive, so a load does not rehash as it
// grows; a hint out of all proportion (a corrupt file) is capped, never a crash or gigabytes.
#include <gtest/gtest.h>

#include <string>

#include "persistence/rdb_writer.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

// A file whose database 0 announces `hinted_keys` keys and holds one.
std::string FileWithHint(uint64_t hinted_keys) {
  MemorySink sink;
  RdbWriter writer(&sink, {});
  EXPECT_TRUE(writer.WriteHeader().ok());
  EXPECT_TRUE(writer.WriteSelectDb(0).ok());
  EXPECT_TRUE(writer.WriteResizeDb(hinted_keys, 0).ok());
  const storage::Value value = storage::Value::String("v");
  EXPECT_TRUE(writer.WriteEntry("k", value.Ref(), -1).ok());
  EXPECT_TRUE(writer.Finish().ok());
  return sink.data();
}

size_t MemoryAfterLoading(const std::string& file) {
  storage::Keyspace keyspace;
  const Status s = testing::LoadFromMemory(file, &keyspace);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(keyspace.db(0).size(), 1u);
  return keyspace.db(0).memory_bytes();
}

TEST(RdbPresizeTest, ResizeDbSizesTheTableBeforeTheKeysArrive) {
  const size_t unsized = MemoryAfterLoading(FileWithHint(1));
  const size_t presized = MemoryAfterLoading(FileWithHint(100000));
  EXPECT_LT(unsized, 1024u);
  EXPECT_GE(presized, 131072u * sizeof(void*));  // buckets for 100,000 keys
}

TEST(RdbPresizeTest, AnAbsurdHintIsCapped) {
  const size_t presized = MemoryAfterLoading(FileWithHint(uint64_t{1} << 50));
  EXPECT_LE(presized, (size_t{1} << 20) * sizeof(void*) + 1024);
}

}  // namespace
}  // namespace ember::persistence
