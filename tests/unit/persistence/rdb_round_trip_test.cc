#include <gtest/gtest.h>

#include <string>

#include "persistence/rdb_format.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using testing::kNowMs;
using testing::LoadFromMemory;
using testing::Put;
using testing::SaveToMemory;

// A value of every kind the writer encodes differently, chosen by i.
std::string MixedValue(size_t i, const std::string& key) {
  static const std::string kBig(600, 'z');
  // Small integer, negative integer, text beyond int32, empty, binary, LZF-compressible,
  // up to 600 bytes, non-canonical number.
  const std::string kinds[] = {std::to_string(i),
                               std::to_string(-static_cast<int64_t>(i) * 1000003),
                               "9223372036854775807",
                               "",
                               std::string("bin\0\xff\r\n", 7) + key,
                               "repeat-" + std::string(40 + i % 50, 'r'),
                               kBig.substr(0, (i * 7) % 600),
                               "007"};
  return kinds[i % 8];
}

// Keys spread over databases 0, 3, 6 and 9; every third key has a TTL.
void FillMixed(storage::Keyspace& ks, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const int db = static_cast<int>(i % 4) * 3;
    std::string key = "key:" + std::to_string(i);
    const int64_t expire = (i % 3 == 0) ? kNowMs + 1000 + static_cast<int64_t>(i) : -1;
    Put(ks, db, key, MixedValue(i, key), expire);
  }
}

TEST(RdbRoundTripTest, MillionMixedKeysInSeveralDatabasesComeBackIdentical) {
  storage::Keyspace original;
  FillMixed(original, 1'000'000);
  const std::string data = SaveToMemory(original);
  storage::Keyspace loaded;
  RdbLoadStats stats;
  Status s = LoadFromMemory(data, &loaded, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(stats.keys_loaded, 1'000'000u);
  EXPECT_EQ(stats.keys_per_db[3], 250'000u);
  testing::ExpectSameKeyspace(original, loaded);
}

TEST(RdbRoundTripTest, UncompressedWithoutChecksumRoundTrips) {
  storage::Keyspace original;
  FillMixed(original, 2000);
  const std::string data = SaveToMemory(original, {.compression = false, .checksum = false});
  EXPECT_EQ(data.substr(data.size() - 8), std::string(8, '\0'));
  storage::Keyspace loaded;
  Status s = LoadFromMemory(data, &loaded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  testing::ExpectSameKeyspace(original, loaded);
}

TEST(RdbRoundTripTest, CompressionShrinksRepetitiveValues) {
  storage::Keyspace ks;
  for (int i = 0; i < 100; ++i) Put(ks, 0, "k" + std::to_string(i), std::string(1000, 'q'));
  EXPECT_LT(SaveToMemory(ks).size() * 10, SaveToMemory(ks, {.compression = false}).size());
}

TEST(RdbRoundTripTest, ExpiredKeysAreDroppedAndCounted) {
  storage::Keyspace original;
  Put(original, 0, "gone", "v", kNowMs - 1);
  Put(original, 0, "edge", "v", kNowMs);  // alive during its expiry millisecond
  Put(original, 0, "kept", "v", kNowMs + 60'000);
  Put(original, 0, "forever", "v");
  storage::Keyspace loaded;
  RdbLoadStats stats;
  ASSERT_TRUE(LoadFromMemory(SaveToMemory(original), &loaded, &stats).ok());
  EXPECT_EQ(stats.keys_expired, 1u);
  EXPECT_EQ(stats.keys_loaded, 3u);
  EXPECT_EQ(loaded.db(0).Find("gone", 0), nullptr);
  EXPECT_EQ(loaded.db(0).GetExpire(loaded.db(0).Find("kept", 0)), kNowMs + 60'000);
}

TEST(RdbRoundTripTest, EmptyKeyspaceIsAValidFile) {
  storage::Keyspace original;
  const std::string data = SaveToMemory(original);
  EXPECT_EQ(data.substr(0, 9), "REDIS0010");
  storage::Keyspace loaded;
  ASSERT_TRUE(LoadFromMemory(data, &loaded).ok());
  EXPECT_EQ(loaded.key_count(), 0u);
}

TEST(RdbRoundTripTest, DuplicateKeyIsAnErrorWithItsOffset) {
  std::string body("REDIS0010\x00\x01k\x01v\x00\x01k\x01w\xff", 19);
  storage::Keyspace ks;
  Status s = LoadFromMemory(body + std::string(8, '\0'), &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("duplicate key"), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), 14);
}

TEST(RdbRoundTripTest, DatabaseBeyondConfiguredCountIsAnError) {
  storage::Keyspace original;
  Put(original, 12, "k", "v");
  storage::Keyspace small(4);
  Status s = LoadFromMemory(SaveToMemory(original), &small);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("database 12"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ember::persistence
