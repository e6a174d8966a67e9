// Corrupt, truncated and unsupported files: each must end in a clear error with an offset,
// never a crash, a hang or a silently partial success.
#include <gtest/gtest.h>

#include <string>

#include "persistence/byte_io.h"
#include "persistence/crc64.h"
#include "persistence/rdb_check.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using testing::LoadFromMemory;
using testing::Put;
using testing::SaveToMemory;

std::string SampleFile() {
  storage::Keyspace ks;
  for (int i = 0; i < 50; ++i) {
    Put(ks, i % 3, "key" + std::to_string(i), i % 2 ? std::string(30 + i, 'c') : "123",
        i % 4 == 0 ? testing::kNowMs + 5000 : -1);
  }
  return SaveToMemory(ks);
}

// Replaces the 8-byte trailer with the right checksum for the (edited) bytes before it.
std::string Reseal(std::string data) {
  uint64_t crc = Crc64(0, std::string_view(data).substr(0, data.size() - 8));
  for (int i = 0; i < 8; ++i) data[data.size() - 8 + i] = static_cast<char>(crc >> (8 * i));
  return data;
}

TEST(RdbCorruptionTest, TruncationAtEveryOffsetIsAnError) {
  const std::string data = SampleFile();
  for (size_t cut = 0; cut < data.size(); ++cut) {
    storage::Keyspace ks;
    Status s = LoadFromMemory(std::string_view(data).substr(0, cut), &ks);
    ASSERT_FALSE(s.ok()) << "cut at " << cut;
    EXPECT_GE(s.offset(), 0) << "cut at " << cut;
  }
}

TEST(RdbCorruptionTest, FlippedKeyByteIsAChecksumMismatch) {
  std::string data = SampleFile();
  const size_t pos = data.find("key17");
  ASSERT_NE(pos, std::string::npos);
  data[pos + 1] ^= 0x20;  // still decodes, as "kEy17"
  storage::Keyspace ks;
  Status s = LoadFromMemory(data, &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("checksum mismatch"), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), static_cast<int64_t>(data.size() - 8));
}

TEST(RdbCorruptionTest, EveryFlippedByteIsDetectedWithoutCrashing) {
  const std::string data = SampleFile();
  for (size_t i = 0; i < data.size(); ++i) {
    std::string bad = data;
    bad[i] ^= 0x20;
    storage::Keyspace ks;
    EXPECT_FALSE(LoadFromMemory(bad, &ks).ok()) << "flip at " << i;
  }
}

TEST(RdbCorruptionTest, WrongMagicIsRejected) {
  std::string data = SampleFile();
  data[0] = 'X';
  storage::Keyspace ks;
  Status s = LoadFromMemory(data, &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not an RDB file"), std::string::npos);
}

TEST(RdbCorruptionTest, VersionFromTheFutureIsRejected) {
  std::string data = SampleFile();
  data.replace(5, 4, "0013");
  storage::Keyspace ks;
  Status s = LoadFromMemory(data, &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("version 13"), std::string::npos) << s.message();
}

TEST(RdbCorruptionTest, UnknownTypeNamesTheOffset) {
  std::string data = Reseal(std::string("REDIS0010\x1f\x01k\x01v\xff", 15) + std::string(8, '\0'));
  storage::Keyspace ks;
  Status s = LoadFromMemory(data, &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown value type 31"), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), 9);
}

TEST(RdbCorruptionTest, TypeEmberCannotHoldNamesKeyTypeAndOffset) {
  // A module value at key "module" in db 0 (type 7): no Ember type holds it.
  std::string data = std::string("REDIS0010\xfe\x00\x07\x06module\x01\x02", 21);
  storage::Keyspace ks;
  Status s = LoadFromMemory(data, &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("key 'module'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("module"), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), 11);
}

TEST(RdbCorruptionTest, HugeClaimedLengthFailsWithoutAllocatingIt) {
  // A key claiming 2^60 bytes: must fail on end of file, not try to allocate.
  std::string data("REDIS0010\x00\x81\x10\x00\x00\x00\x00\x00\x00\x00", 19);
  storage::Keyspace ks;
  EXPECT_FALSE(LoadFromMemory(data, &ks).ok());
}

TEST(RdbCorruptionTest, CheckerReportsCountsAndFirstError) {
  const std::string data = SampleFile();
  MemorySource good(data);
  RdbCheckReport report;
  ASSERT_TRUE(CheckRdb(&good, &report).ok());
  EXPECT_EQ(report.keys, 50u);
  EXPECT_EQ(report.expires, 13u);
  EXPECT_TRUE(report.checksum_verified);
  EXPECT_EQ(report.keys_per_db[1], 17u);

  MemorySource cut(std::string_view(data).substr(0, data.size() / 2));
  RdbCheckReport partial;
  Status s = CheckRdb(&cut, &partial);
  ASSERT_FALSE(s.ok());
  EXPECT_GT(partial.keys, 0u);
  EXPECT_LT(partial.keys, 50u);
}

}  // namespace
}  // namespace ember::persistence
