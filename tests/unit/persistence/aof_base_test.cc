// The AOF base in its RESP form: SELECT per non-empty database, each value rebuilt by its
// type's row, PEXPIREAT for a TTL.
#include "persistence/aof_base.h"

#include <gtest/gtest.h>

#include <string>

#include "persistence/byte_io.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/stream_value.h"
#include "tests/unit/persistence/rdb_test_util.h"

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

// As Redis 7.0's rewriteStreamObject: an XADD per live entry, then XSETID with the
// metadata; an empty stream is created by XADD MAXLEN 0.
TEST(AofBaseTest, StreamsRewriteAsXAddsAndXSetId) {
  storage::Keyspace keyspace;
  auto stream = std::make_unique<storage::StreamValue>();
  const std::string_view first[] = {"f", "1"};
  const std::string_view second[] = {"g", "2"};
  stream->Append({5, 1}, first, {});
  stream->Append({7, 0}, second, {});
  ASSERT_TRUE(stream->Delete({5, 1}));
  stream->set_max_deleted_id({5, 1});
  keyspace.db(0).Add("s", storage::Value::Box(std::move(stream)));
  keyspace.db(0).Add("e", storage::Value::Box(std::make_unique<storage::StreamValue>()));
  MemorySink sink;
  ASSERT_TRUE(WriteAofBase(keyspace, &sink, /*rdb=*/false, {}, testing::kNowMs, nullptr).ok());
  const std::string& out = sink.data();
  EXPECT_NE(out.find("*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n7-0\r\n$1\r\ng\r\n$1\r\n2\r\n"),
            std::string::npos);
  EXPECT_EQ(out.find("5-1\r\n$1\r\nf"), std::string::npos);  // the deleted entry
  EXPECT_NE(out.find("$6\r\nXSETID\r\n$1\r\ns\r\n$3\r\n7-0\r\n$12\r\nENTRIESADDED\r\n$1\r\n2\r\n"
                     "$12\r\nMAXDELETEDID\r\n$3\r\n5-1\r\n"),
            std::string::npos);
  EXPECT_NE(out.find("$4\r\nXADD\r\n$1\r\ne\r\n$6\r\nMAXLEN\r\n$1\r\n0\r\n$3\r\n0-1\r\n"),
            std::string::npos);
}

}  // namespace
}  // namespace ember::persistence
