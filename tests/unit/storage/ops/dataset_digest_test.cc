#include "storage/ops/dataset_digest.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/hash_ops.h"
#include "storage/ops/key_ops.h"
#include "storage/ops/list_ops.h"
#include "storage/ops/set_ops.h"
#include "storage/ops/string_ops.h"
#include "storage/ops/zset_ops.h"

namespace ember::storage {
namespace {

// Every digest below was read from redis-server 7.0.15 (DEBUG DIGEST, DEBUG DIGEST-VALUE)
// after the same commands.
constexpr int64_t kNow = 1'700'000'000'000;
using Views = std::vector<std::string_view>;

class DatasetDigestTest : public ::testing::Test {
 protected:
  Database& db(int index = 0) { return keyspace_.db(index); }
  std::string ValueHex(std::string_view key) {
    const Entry* entry = db().FindStored(key);
    EXPECT_NE(entry, nullptr) << key;
    return entry == nullptr ? "" : DigestHex(ValueDigest(*entry));
  }
  // The values of Redis's golden dataset: SET a b, RPUSH l 1 2 3, SADD s x y 1,
  // ZADD z 1 a 2.5 b, HSET h f v g w, SET n 12 + EXPIRE n 100.
  void AddGoldenValues() {
    ASSERT_TRUE(OpSet(db(), "a", "b", SetOptions{}, kNow).ok());
    const Views list = {"1", "2", "3"};
    ASSERT_TRUE(OpPush(db(), "l", ListValue::End::kBack, list, false, kNow).ok());
    const Views members = {"x", "y", "1"};
    ASSERT_TRUE(OpSAdd(db(), "s", members, kNow).ok());
    const std::vector<std::pair<double, std::string_view>> scored = {{1, "a"}, {2.5, "b"}};
    ASSERT_TRUE(OpZAdd(db(), "z", scored, ZAddOptions{}, kNow).ok());
    const Views fields = {"f", "v", "g", "w"};
    ASSERT_TRUE(OpHSet(db(), "h", fields, kNow).ok());
    ASSERT_TRUE(OpSet(db(), "n", "12", SetOptions{}, kNow).ok());
    ASSERT_TRUE(OpExpire(db(), "n", kNow + 100'000, 0, kNow).ok());
  }

  Keyspace keyspace_;
};

TEST_F(DatasetDigestTest, AnEmptyDatasetIsAllZeros) {
  EXPECT_EQ(DigestHex(DatasetDigest(keyspace_)), std::string(40, '0'));
}

TEST_F(DatasetDigestTest, OneStringMatchesRedis) {
  ASSERT_TRUE(OpSet(db(), "a", "b", SetOptions{}, kNow).ok());
  EXPECT_EQ(DigestHex(DatasetDigest(keyspace_)), "479783d7290f02957dfbe3408a858ba13eea1709");
  EXPECT_EQ(ValueHex("a"), "b78559cd22bce6e6df712eb99ce7f3b08e8f8f1f");
  // The same key in a second database: the database index is part of the digest.
  ASSERT_TRUE(OpSet(db(2), "a", "b", SetOptions{}, kNow).ok());
  EXPECT_EQ(DigestHex(DatasetDigest(keyspace_)), "a7a2214bb10caf1f97b89fb999fc85a8bbe5b725");
}

TEST_F(DatasetDigestTest, EveryTypeMatchesRedis) {
  AddGoldenValues();
  EXPECT_EQ(ValueHex("l"), "4ee6e075f07dc1413244a0d85654cd725e5ce13d");
  EXPECT_EQ(ValueHex("s"), "03ee76a1ebe8db27d61b3ea784011d5acc537675");
  EXPECT_EQ(ValueHex("z"), "c45c5b051acd64070e5ed1a949939d5145f806c5");
  EXPECT_EQ(ValueHex("h"), "d127864ed50239662bf61bafc9bda63c17da5b37");
  EXPECT_EQ(ValueHex("n"), "83df3a94c43338a2db2a05ddb5dbb794b842c619");  // with its TTL
  EXPECT_EQ(DigestHex(DatasetDigest(keyspace_)), "e10c0b76e5ea5e01ed8421b995135ee31121f5dc");
}

TEST_F(DatasetDigestTest, OrderCountsForListsOnly) {
  const Views xy = {"x", "y"};
  const Views yx = {"y", "x"};
  ASSERT_TRUE(OpPush(db(), "l1", ListValue::End::kBack, xy, false, kNow).ok());
  ASSERT_TRUE(OpPush(db(), "l2", ListValue::End::kBack, yx, false, kNow).ok());
  ASSERT_TRUE(OpSAdd(db(), "s1", xy, kNow).ok());
  ASSERT_TRUE(OpSAdd(db(), "s2", yx, kNow).ok());
  EXPECT_NE(ValueHex("l1"), ValueHex("l2"));
  EXPECT_EQ(ValueHex("s1"), ValueHex("s2"));
}

}  // namespace
}  // namespace ember::storage
