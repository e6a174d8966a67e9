// The sorted sets of tests/golden/rdb/zset_7.0.rdb (written by redis-server 7.0.15; the
// README lists the commands) load with every member, score and the encoding 7.0 reports,
// and Ember saves each one back as the very value Redis wrote: the same type byte, the same
// listpack, the same ZSET_2 pairs in the same order (compared uncompressed, since LZF
// output may differ between builds).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_input.h"
#include "persistence/rdb_value_savers.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/zset_value.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using storage::SortedSetValue;
using Pairs = std::vector<std::pair<std::string, double>>;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string GoldenFile() {
  const std::filesystem::path root =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  std::ifstream in(root / "tests" / "golden" / "rdb" / "zset_7.0.rdb", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Pairs PairsOf(const storage::Entry* entry) {
  Pairs out;
  const auto set = entry->value().Read<SortedSetValue>();
  set->Visit(0, set->Size() - 1, storage::ZOrder::kAscending,
             [&out](std::string_view member, double score) {
               out.emplace_back(member, score);
               return true;
             });
  return out;
}

// The value of `key` as Redis wrote it, decompressed: its type byte and the bytes an
// uncompressed RdbEncoder would write for it.
std::pair<uint8_t, std::string> GoldenValue(const std::string& file, const std::string& key) {
  std::string framed;
  RdbEncoder(&framed, false).PutString(key);
  const size_t at = file.find(framed);
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) return {0, ""};
  const auto type = static_cast<uint8_t>(file[at - 1]);
  MemorySource source(std::string_view(file).substr(at + framed.size()));
  RdbInput input(&source);
  std::string out;
  RdbEncoder encoder(&out, false);
  std::string text;
  if (type == rdb::kTypeZSetListpack) {
    EXPECT_TRUE(input.ReadString(&text).ok());
    encoder.PutBlob(text);
    return {type, out};
  }
  uint64_t count = 0;
  EXPECT_TRUE(input.ReadLength(&count).ok());
  encoder.PutLength(count);
  for (uint64_t i = 0; i < count; ++i) {
    EXPECT_TRUE(input.ReadString(&text).ok());
    encoder.PutString(text);
    EXPECT_TRUE(input.ReadExact(8, &text).ok());
    out += text;
  }
  return {type, out};
}

class RdbZSetGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = GoldenFile();
    ASSERT_FALSE(file_.empty()) << "tests/golden/rdb/zset_7.0.rdb is missing";
    RdbLoadStats stats;
    const Status s = testing::LoadFromMemory(file_, &ks_, &stats);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(stats.keys_loaded, 6u);
  }

  const storage::Entry* Find(const std::string& key) {
    const storage::Entry* e = ks_.db(0).Find(key, testing::kNowMs);
    EXPECT_NE(e, nullptr) << key;
    return e;
  }

  bool Packed(const storage::Entry* e) { return e->value().Read<SortedSetValue>()->packed(); }

  std::string file_;
  storage::Keyspace ks_;
};

TEST_F(RdbZSetGoldenTest, EverySetLoadsWithItsMembersScoresAndEncoding) {
  const storage::Entry* e = Find("z:small");  // ZADD z:small 1 a 2 b 3.5 c -1 d, a TTL
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(PairsOf(e), (Pairs{{"d", -1}, {"a", 1}, {"b", 2}, {"c", 3.5}}));
  EXPECT_TRUE(Packed(e));
  EXPECT_EQ(ks_.db(0).GetExpire(e), 4102444800123);

  e = Find("z:big");  // 200 members: skiplist
  ASSERT_NE(e, nullptr);
  Pairs big;
  for (int i = 0; i < 200; ++i) big.emplace_back("m" + std::to_string(i), i * 0.5);
  EXPECT_EQ(PairsOf(e), big);
  EXPECT_FALSE(Packed(e));

  e = Find("z:special");  // inf -inf 0.5 -0 1e300, integer-looking members
  ASSERT_NE(e, nullptr);
  const Pairs special = PairsOf(e);
  EXPECT_EQ(special, (Pairs{{"bottom", -kInf},
                            {"negzero", 0.0},
                            {"half", 0.5},
                            {"-13", 7},
                            {"42", 7},
                            {"huge", 1e300},
                            {"top", kInf}}));
  // Redis 7.0's ZADD stored -0 as 0 (the listpack holds the integer 0).
  EXPECT_FALSE(std::signbit(special[1].second));
  EXPECT_TRUE(Packed(e));

  e = Find("z:longmember");  // a 100-byte member: skiplist by value length
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(PairsOf(e), (Pairs{{"short", 1}, {std::string(100, 'M'), 2}}));
  EXPECT_FALSE(Packed(e));

  e = Find("z:bigspecial");  // 134 members with inf, -inf, 0 (ZADD -0) and 0.1
  ASSERT_NE(e, nullptr);
  const Pairs bigspecial = PairsOf(e);
  ASSERT_EQ(bigspecial.size(), 134u);
  EXPECT_EQ(bigspecial.front(), (std::pair<std::string, double>{"bottom", -kInf}));
  EXPECT_EQ(bigspecial[1], (std::pair<std::string, double>{"n0", 0}));
  EXPECT_EQ(bigspecial[2], (std::pair<std::string, double>{"negzero", 0}));  // by member
  EXPECT_EQ(bigspecial[3], (std::pair<std::string, double>{"tenth", 0.1}));
  EXPECT_EQ(bigspecial.back(), (std::pair<std::string, double>{"top", kInf}));
  EXPECT_FALSE(Packed(e));
}

TEST_F(RdbZSetGoldenTest, EmberSavesEverySetBackAsRedisWroteIt) {
  for (const std::string key : {"z:small", "z:big", "z:special", "z:longmember", "z:bigspecial"}) {
    const storage::Entry* e = Find(key);
    ASSERT_NE(e, nullptr);
    const RdbValueSaver& saver = FindRdbValueSaver(storage::ValueType::kZSet);
    std::string saved;
    RdbEncoder encoder(&saved, false);
    const uint8_t type = saver.type_byte(e->value());
    ASSERT_TRUE(saver.save(encoder, e->value()).ok());
    const auto [golden_type, golden_value] = GoldenValue(file_, key);
    EXPECT_EQ(type, golden_type) << key;
    EXPECT_EQ(saved, golden_value) << key;
  }
}

TEST_F(RdbZSetGoldenTest, EmbersResaveLoadsBackTheSameSets) {
  const std::string resaved = testing::SaveToMemory(ks_);
  storage::Keyspace again;
  const Status s = testing::LoadFromMemory(resaved, &again);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (const std::string key : {"z:small", "z:big", "z:special", "z:longmember", "z:bigspecial"}) {
    const storage::Entry* a = Find(key);
    const storage::Entry* b = again.db(0).Find(key, testing::kNowMs);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr) << key;
    EXPECT_EQ(PairsOf(a), PairsOf(b)) << key;
    EXPECT_EQ(Packed(a), b->value().Read<SortedSetValue>()->packed()) << key;
  }
}

}  // namespace
}  // namespace ember::persistence
