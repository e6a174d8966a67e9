// The AOF base in its RESP form: SELECT per non-empty database, each value rebuilt by its
// type's row, PEXPIREAT for a TTL; a type without a row fails the rewrite.
#include "persistence/aof_base.h"

#include <gtest/gtest.h>

#include <string>

#include "persistence/byte_io.h"
#include "tests/unit/persistence/rdb_test_util.h"
#include "tests/unit/storage/value/fake_collection.h"

namespace ember::persistence {
namespace {

TEST(AofBaseTest, RespBaseRebuildsStringsWithTheirTtls) {
  storage::Keyspace keyspace;
  testing::Put(keyspace, 2, "k", "v", 1'700'000'000'123);
  MemorySink sink;
  AofBaseStats stats;
  ASSERT_TRUE(WriteAofBase(keyspace, &sink, /*rdb=*/false, {}, testing::kNowMs, &stats).ok());
  EXPECT_EQ(sink.data(),
            "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n"
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
            "*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nk\r\n$13\r\n1700000000123\r\n");
  EXPECT_EQ(stats.keys, 1u);
  EXPECT_EQ(stats.bytes, sink.data().size());
}

TEST(AofBaseTest, ATypeWithoutARewriterFailsTheRewrite) {
  storage::Keyspace keyspace;
  keyspace.db(0).Add("l", storage::MakeList({"a"}));
  MemorySink sink;
  Status s = WriteAofBase(keyspace, &sink, /*rdb=*/false, {}, testing::kNowMs, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "cannot rewrite key 'l': type stream is not supported");
}

}  // namespace
}  // namespace ember::persistence
