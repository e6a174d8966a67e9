// Hashes and sets in damaged files: cut anywhere, or with any byte flipped and the checksum
// recomputed (so the value decoders, not the checksum, meet the damage), a load ends in a
// clean error or in a keyspace that saves and loads back unchanged; never a crash or an
// out-of-bounds read (run under ASan by tools/test).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"
#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"
#include "tests/unit/persistence/compact_blobs.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using storage::EncodingLimits;

// Every encoding Ember writes (listpack and table hashes, intset and table sets), then the
// legacy encodings it only reads (zipmap and ziplist hashes) appended by hand.
std::string SampleFile() {
  storage::Keyspace ks;
  auto small = std::make_unique<storage::HashValue>();
  small->Set("f", "v", EncodingLimits{});
  small->Set("n", "-300", EncodingLimits{});
  ks.db(0).Add("hl", storage::Value::Box(std::move(small)));
  auto table = std::make_unique<storage::HashValue>();
  table->Set("a", std::string(80, 'x'), EncodingLimits{});
  ks.db(0).Add("ht", storage::Value::Box(std::move(table)));
  auto ints = std::make_unique<storage::SetValue>();
  for (const char* m : {"1", "-70000", "5000000000"}) ints->Add(m, EncodingLimits{});
  ks.db(0).Add("si", storage::Value::Box(std::move(ints)));
  auto words = std::make_unique<storage::SetValue>();
  for (const char* m : {"p", "q"}) words->Add(m, EncodingLimits{});
  ks.db(0).Add("sw", storage::Value::Box(std::move(words)));
  std::string file = testing::SaveToMemory(ks);

  // Drop EOF and checksum, append the legacy values, and seal again.
  file.resize(file.size() - 9);
  for (auto [type, key, blob] :
       {std::tuple<uint8_t, std::string, std::string>{
            rdb::kTypeHashZipmap, "zm", testing::Zipmap({{"k", "v"}, {"k2", "12"}}, 1)},
        {rdb::kTypeHashZiplist, "zl", testing::Ziplist({"a", "1", "b", "-20000", "c", "x"})}}) {
    file.push_back(static_cast<char>(type));
    RdbEncoder(&file, false).PutString(key);
    RdbEncoder(&file, false).PutBlob(blob);
  }
  file.push_back(static_cast<char>(rdb::kOpEof));
  testing::PutLittleEndian(&file, Crc64(0, file), 8);
  return file;
}

std::string Reseal(std::string data) {
  const uint64_t crc = Crc64(0, std::string_view(data).substr(0, data.size() - 8));
  for (int i = 0; i < 8; ++i) data[data.size() - 8 + i] = static_cast<char>(crc >> (8 * i));
  return data;
}

TEST(RdbCollectionCorruptionTest, SampleLoadsWhole) {
  storage::Keyspace ks;
  RdbLoadStats stats;
  Status s = testing::LoadFromMemory(SampleFile(), &ks, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(stats.keys_loaded, 6u);
}

TEST(RdbCollectionCorruptionTest, TruncationAtEveryOffsetIsAnError) {
  const std::string data = SampleFile();
  for (size_t cut = 0; cut < data.size(); ++cut) {
    storage::Keyspace ks;
    Status s = testing::LoadFromMemory(std::string_view(data).substr(0, cut), &ks);
    ASSERT_FALSE(s.ok()) << "cut at " << cut;
    EXPECT_GE(s.offset(), 0) << "cut at " << cut;
  }
}

TEST(RdbCollectionCorruptionTest, EveryResealedFlipFailsCleanlyOrRoundTrips) {
  const std::string data = SampleFile();
  size_t refused = 0;
  for (size_t i = 9; i + 8 < data.size(); ++i) {
    for (uint8_t mask : {0x01, 0x10, 0x80, 0xff}) {
      std::string bad = data;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      bad = Reseal(bad);
      storage::Keyspace ks;
      Status s = testing::LoadFromMemory(bad, &ks);
      if (!s.ok()) {
        ++refused;
        EXPECT_FALSE(s.message().empty());
        continue;
      }
      // Accepted: what was loaded must save and load back to the same keyspace.
      storage::Keyspace again;
      ASSERT_TRUE(testing::LoadFromMemory(testing::SaveToMemory(ks), &again).ok()) << i;
      EXPECT_EQ(again.key_count(), ks.key_count()) << i;
    }
  }
  EXPECT_GT(refused, data.size());  // most damage is caught by the decoders
}

}  // namespace
}  // namespace ember::persistence
