// RdbLoader with decode-ahead (a ReadAhead thread reads, checksums and decompresses while the
// loader inserts) loads exactly what the loader loads alone, fails with the same error at the
// same offset, and stops its thread when dropped half-way.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using testing::kNowMs;
using testing::LoadFromMemory;
using testing::Put;
using testing::SaveToMemory;

// Strings of every encoding the writer picks (integers, short, LZF-compressible, long), in
// four databases; every third key has a TTL, every seventh one that has passed at kNowMs.
std::string MixedDump(size_t n) {
  storage::Keyspace ks;
  for (size_t i = 0; i < n; ++i) {
    const int db = static_cast<int>(i % 4) * 3;
    const std::string key = "key:" + std::to_string(i);
    const std::string values[] = {std::to_string(i), "v" + key, std::string(100 + i % 300, 'x'),
                                  std::string(1000 + i % 7, static_cast<char>('a' + i % 26))};
    int64_t expire = -1;
    if (i % 3 == 0) expire = kNowMs + 1000 + static_cast<int64_t>(i);
    if (i % 7 == 0) expire = kNowMs - 1;
    Put(ks, db, key, values[i % 4], expire);
  }
  return SaveToMemory(ks);
}

struct LoadOutcome {
  Status status;
  RdbLoadStats stats;
};

LoadOutcome Load(const std::string& data, storage::Keyspace* ks, bool decode_ahead) {
  LoadOutcome outcome;
  outcome.status = LoadFromMemory(data, ks, &outcome.stats, kNowMs, decode_ahead);
  return outcome;
}

TEST(RdbDecodeAheadTest, LoadsExactlyWhatTheLoaderLoadsAlone) {
  const std::string data = MixedDump(50'000);
  storage::Keyspace alone, ahead;
  const LoadOutcome a = Load(data, &alone, false);
  const LoadOutcome b = Load(data, &ahead, true);
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  ASSERT_TRUE(b.status.ok()) << b.status.ToString();
  EXPECT_EQ(b.stats.keys_loaded, a.stats.keys_loaded);
  EXPECT_EQ(b.stats.keys_expired, a.stats.keys_expired);
  EXPECT_GT(b.stats.keys_expired, 5000u);
  EXPECT_EQ(b.stats.keys_per_db, a.stats.keys_per_db);
  testing::ExpectSameKeyspace(alone, ahead);
}

TEST(RdbDecodeAheadTest, TheReaderIsCompleteOnceTheLoadIsDone) {
  const std::string data = MixedDump(3000);
  MemorySource source(data);
  storage::Keyspace ks;
  RdbLoader loader(&ks, &source, kNowMs);
  loader.set_decode_ahead(true);
  bool done = false;
  Status s;
  while (s.ok() && !done) s = loader.Step(100, &done);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(loader.reader().checksum_verified());
  EXPECT_FALSE(loader.reader().aux().empty());
  EXPECT_EQ(source.offset(), data.size());
}

// Cut short at many points, a flipped byte (a decode error or a checksum mismatch), a
// duplicate key: the same status, offset and keys loaded either way.
TEST(RdbDecodeAheadTest, FailsWithTheSameErrorAtTheSameOffset) {
  const std::string data = MixedDump(5000);
  std::vector<std::string> broken;
  for (size_t cut = 9; cut < data.size(); cut += data.size() / 23)
    broken.push_back(data.substr(0, cut));
  for (size_t at = 40; at < data.size(); at += data.size() / 17) {
    std::string flipped = data;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x5a);
    broken.push_back(flipped);
  }
  broken.push_back(std::string("REDIS0010\x00\x01k\x01v\x00\x01k\x01w\xff", 19) +
                   std::string(8, '\0'));
  for (size_t i = 0; i < broken.size(); ++i) {
    storage::Keyspace alone, ahead;
    const LoadOutcome a = Load(broken[i], &alone, false);
    const LoadOutcome b = Load(broken[i], &ahead, true);
    ASSERT_FALSE(a.status.ok()) << "case " << i;
    EXPECT_EQ(b.status.ToString(), a.status.ToString()) << "case " << i;
    EXPECT_EQ(b.status.offset(), a.status.offset()) << "case " << i;
    EXPECT_EQ(b.stats.keys_loaded, a.stats.keys_loaded) << "case " << i;
  }
}

TEST(RdbDecodeAheadTest, DroppingTheLoaderHalfWayStopsItsThread) {
  const std::string data = MixedDump(20'000);
  for (int round = 0; round < 20; ++round) {
    MemorySource source(data);
    storage::Keyspace ks;
    RdbLoader loader(&ks, &source, kNowMs);
    loader.set_decode_ahead(true);
    bool done = false;
    ASSERT_TRUE(loader.Step(static_cast<size_t>(round) * 50, &done).ok());
    EXPECT_FALSE(done);
  }  // each loader is destroyed with its thread mid-file; a hang fails the test by timeout
}

}  // namespace
}  // namespace ember::persistence
