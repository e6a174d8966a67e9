// Interoperability with the reference redis-server 7.0: a dump Ember writes passes
// redis-check-rdb and loads in redis-server with identical data and expiry times; a dump
// redis-server writes (LZF and integer encodings included) loads in Ember identically.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using rdb::RedisCheckRdb;
using rdb::TempDir;

TEST(RdbInteropTest, EmberDumpPassesRedisCheckRdbAndLoadsInRedis) {
  TempDir dir;
  ServerProcess ember = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient ember_client(ember.port());
  rdb::FillMixed(ember_client, 30'000);
  ember_client.Command({"SELECT", "9"});
  ember_client.Command({"SET", "big", std::string(100'000, 'q') + "end"});
  ember_client.Command({"SELECT", "0"});
  ASSERT_EQ(ember_client.Command({"SAVE"}), Status("OK"));

  auto [status, output] = RedisCheckRdb(dir.file("dump.rdb"));
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("RDB looks OK"), std::string::npos) << output;
  EXPECT_NE(output.find("Checksum OK"), std::string::npos) << output;

  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
  RedisClient redis_client(redis.port());
  const rdb::Dataset expected = rdb::ReadDataset(ember_client);
  EXPECT_EQ(expected.size(), 30'001u);
  EXPECT_EQ(rdb::ReadDataset(redis_client), expected);
}

TEST(RdbInteropTest, EmberDumpWithoutCompressionOrChecksumLoadsInRedis) {
  TempDir dir;
  ServerProcess ember = ServerProcess::StartEmber(
      {"--dir", dir.path(), "--rdbcompression", "no", "--rdbchecksum", "no"});
  RedisClient ember_client(ember.port());
  rdb::FillMixed(ember_client, 3'000);
  ASSERT_EQ(ember_client.Command({"SAVE"}), Status("OK"));
  auto [status, output] = RedisCheckRdb(dir.file("dump.rdb"));
  EXPECT_EQ(status, 0) << output;
  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
  RedisClient redis_client(redis.port());
  EXPECT_EQ(rdb::ReadDataset(redis_client), rdb::ReadDataset(ember_client));
}

TEST(RdbInteropTest, RedisDumpLoadsInEmberIdentically) {
  TempDir dir;
  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
  RedisClient redis_client(redis.port());
  rdb::FillMixed(redis_client, 30'000);
  ASSERT_EQ(redis_client.Command({"SAVE"}), Status("OK"));
  const rdb::Dataset expected = rdb::ReadDataset(redis_client);

  ServerProcess ember = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient ember_client(ember.port());
  EXPECT_EQ(rdb::ReadDataset(ember_client), expected);
}

}  // namespace
}  // namespace ember::test
