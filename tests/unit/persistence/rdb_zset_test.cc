// Sorted sets in the RDB and AOF: saved as Redis 7.0 saves them (listpack 17 for the packed
// form, ZSET_2 5 highest rank first for the index), loaded from every zset encoding Redis
// has written (3 text scores, 5 binary scores, 12 ziplist, 17 listpack) in the form 7.0
// would choose, corrupt values refused with a clean Status, and rewritten as ZADD in
// 64-pair batches with "%.17g" scores.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "persistence/aof_value_rewriters.h"
#include "persistence/byte_io.h"
#include "persistence/dump_payload.h"
#include "persistence/rdb_collection_loaders.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_input.h"
#include "persistence/rdb_value_savers.h"
#include "storage/value/listpack.h"
#include "storage/value/zset_value.h"
#include "tests/unit/persistence/compact_blobs.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using storage::EncodingLimits;
using storage::Listpack;
using storage::SortedSetValue;
using storage::Value;
using Pairs = std::vector<std::pair<std::string, double>>;

constexpr double kInf = std::numeric_limits<double>::infinity();

Value MakeZSet(const Pairs& pairs, const EncodingLimits& limits = {}) {
  auto set = std::make_unique<SortedSetValue>(limits);
  for (const auto& [member, score] : pairs) set->Add(member, score, limits);
  return Value::Box(std::move(set));
}

// The pairs in ascending order.
Pairs PairsOf(const Value& value) {
  Pairs out;
  const SortedSetValue& set = value.As<SortedSetValue>();
  if (set.Size() == 0) return out;
  set.Visit(0, set.Size() - 1, storage::ZOrder::kAscending,
            [&out](std::string_view member, double score) {
              out.emplace_back(member, score);
              return true;
            });
  return out;
}

bool Packed(const Value& value) { return value.As<SortedSetValue>().packed(); }

// The set's pairs against `expected`, scores compared by bits; a zero's sign is not
// compared, since it depends on the set's history (a packed set holds -0.0 as 0, as Redis's
// listpack does, and keeps it so when converted; zset_value_test.cc checks that).
void ExpectSamePairs(const Value& value, const Pairs& expected) {
  const Pairs actual = PairsOf(value);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].first, expected[i].first) << i;
    if (expected[i].second == 0) {
      EXPECT_EQ(actual[i].second, 0.0) << i;
      continue;
    }
    EXPECT_EQ(std::bit_cast<uint64_t>(actual[i].second),
              std::bit_cast<uint64_t>(expected[i].second))
        << i << ": " << actual[i].second << " vs " << expected[i].second;
  }
}

using testing::Length;
using testing::ListpackOf;
using testing::Str;

std::string BinaryScore(double score) {
  std::string out;
  testing::PutLittleEndian(&out, std::bit_cast<uint64_t>(score), 8);
  return out;
}

// A type-3 text score: the length byte, then the text.
std::string TextScore(std::string_view text) {
  return std::string(1, static_cast<char>(text.size())) + std::string(text);
}

Status Load(RdbValueLoader loader, std::string_view encoded, Value* out,
            const EncodingLimits& limits = {}) {
  MemorySource source(encoded);
  RdbInput input(&source);
  return loader(input, RdbLoadContext{limits}, out);
}

std::string Save(const Value& value, uint8_t* type_byte) {
  return testing::SaveValue(value, type_byte);
}

// Saves `value` and loads it back with the loader its type byte selects.
Value RoundTrip(const Value& value, const EncodingLimits& limits = {}) {
  uint8_t type = 0;
  const std::string saved = Save(value, &type);
  const RdbValueType* row = FindRdbValueType(type);
  EXPECT_NE(row, nullptr);
  Value loaded;
  const Status s = Load(row->load, saved, &loaded, limits);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return loaded;
}

Pairs Numbered(int count, std::string_view prefix = "m") {
  Pairs out;
  for (int i = 0; i < count; ++i)
    out.emplace_back(std::string(prefix) + std::to_string(i), i * 0.5);
  return out;
}

const Pairs kSpecial = {{"top", kInf},  {"bottom", -kInf}, {"negzero", -0.0}, {"zero2", 0.0},
                        {"tenth", 0.1}, {"huge", 1e300},   {"42", 7},         {"-13", 7},
                        {"big", 1e17},  {"", -2.5}};
const Pairs kSpecialSorted = {{"bottom", -kInf}, {"", -2.5},   {"negzero", -0.0}, {"zero2", 0.0},
                              {"tenth", 0.1},    {"-13", 7},   {"42", 7},         {"big", 1e17},
                              {"huge", 1e300},   {"top", kInf}};

// Save side.

TEST(RdbZSetTest, APackedSetIsSavedAsItsListpack) {
  uint8_t type = 0;
  // As Redis 7.0 keeps ZADD z 1 a 2.5 b -0 c: pairs in order, scores as zzlInsertAt writes
  // them (-0 as the integer 0).
  EXPECT_EQ(Save(MakeZSet({{"a", 1}, {"b", 2.5}, {"c", -0.0}}), &type),
            Str(ListpackOf({"c", "0", "a", "1", "b", "2.5"})));
  EXPECT_EQ(type, rdb::kTypeZSetListpack);
}

TEST(RdbZSetTest, AnIndexedSetIsSavedAsZSet2FromTheHighestRank) {
  EncodingLimits small;
  small.zset_max_listpack_entries = 1;
  const Value set = MakeZSet({{"a", 1}, {"b", -kInf}, {"c", 0.1}}, small);
  ASSERT_FALSE(Packed(set));
  uint8_t type = 0;
  EXPECT_EQ(Save(set, &type), Length(3) + Str("a") + BinaryScore(1) + Str("c") + BinaryScore(0.1) +
                                  Str("b") + BinaryScore(-kInf));
  EXPECT_EQ(type, rdb::kTypeZSet2);
}

// Round trips.

TEST(RdbZSetTest, PackedAndIndexedSetsRoundTripWithEveryKindOfScore) {
  const Value packed = MakeZSet(kSpecial);
  ASSERT_TRUE(Packed(packed));
  Value loaded = RoundTrip(packed);
  ExpectSamePairs(loaded, kSpecialSorted);
  EXPECT_TRUE(Packed(loaded));

  EncodingLimits small;
  small.zset_max_listpack_entries = 4;
  const Value indexed = MakeZSet(kSpecial, small);
  ASSERT_FALSE(Packed(indexed));
  loaded = RoundTrip(indexed, small);
  ExpectSamePairs(loaded, kSpecialSorted);
  EXPECT_FALSE(Packed(loaded));
}

TEST(RdbZSetTest, ALargeSetRoundTripsAsTheIndex) {
  const Pairs pairs = Numbered(1000);
  const Value set = MakeZSet(pairs);
  ASSERT_FALSE(Packed(set));
  const Value loaded = RoundTrip(set);
  ExpectSamePairs(loaded, pairs);
  EXPECT_FALSE(Packed(loaded));
  EXPECT_EQ(loaded.As<SortedSetValue>().Score("m999"), 499.5);
}

// ZSET_2 of a set the index held only because of small limits: under the defaults it fits,
// so the load packs it (Redis converts after loading); the reverse under small limits.
TEST(RdbZSetTest, AnIndexedSetThatFitsTheLimitsIsPackedOnLoad) {
  EncodingLimits small;
  small.zset_max_listpack_entries = 2;
  const Value indexed = MakeZSet(kSpecial, small);
  const Value loaded = RoundTrip(indexed);
  EXPECT_TRUE(Packed(loaded));
  ExpectSamePairs(loaded, kSpecialSorted);
  // And its listpack is the one ZADD would have built.
  EXPECT_EQ(loaded.As<SortedSetValue>().packed_list()->ToListpack().bytes(),
            MakeZSet(kSpecial).As<SortedSetValue>().packed_list()->ToListpack().bytes());
}

TEST(RdbZSetTest, AZSet2WithAMemberPastTheValueLimitStaysIndexed) {
  const Pairs pairs = {{"short", 1}, {std::string(65, 'L'), 2}};
  const std::string encoded =
      Length(2) + Str(pairs[1].first) + BinaryScore(2) + Str("short") + BinaryScore(1);
  Value v;
  ASSERT_TRUE(Load(LoadZSet2, encoded, &v).ok());
  EXPECT_FALSE(Packed(v));
  ExpectSamePairs(v, pairs);
  EncodingLimits wide;
  wide.zset_max_listpack_value = 65;
  ASSERT_TRUE(Load(LoadZSet2, encoded, &v, wide).ok());
  EXPECT_TRUE(Packed(v));
}

TEST(RdbZSetTest, AListpackPastTheEntryLimitIsIndexedOnLoad) {
  const Pairs pairs = Numbered(5);
  const Value packed = MakeZSet(pairs);
  EncodingLimits small;
  small.zset_max_listpack_entries = 4;
  const Value loaded = RoundTrip(packed, small);
  EXPECT_FALSE(Packed(loaded));
  ExpectSamePairs(loaded, pairs);
  small.zset_max_listpack_entries = 5;
  EXPECT_TRUE(Packed(RoundTrip(packed, small)));
}

// Redis 7.0 converts a loaded listpack by its count only: a long member stays packed.
TEST(RdbZSetTest, AListpackWithALongMemberStaysPackedAsInRedis) {
  Value v;
  const std::string long_member(100, 'M');
  ASSERT_TRUE(Load(LoadZSetListpack, Str(ListpackOf({"a", "1", long_member, "2"})), &v).ok());
  EXPECT_TRUE(Packed(v));
  ExpectSamePairs(v, {{"a", 1}, {long_member, 2}});
}

// Older encodings.

TEST(RdbZSetTest, TextScoresLoadInAnyOrderWithTheSpecialLengths) {
  // Type 3: dict order (as Redis before RDB 8 wrote it), 253..255 for NaN, +inf and -inf.
  const std::string encoded = Length(5) + Str("b") + TextScore("2.5") + Str("top") +
                              std::string("\xfe", 1) + Str("a") + TextScore("1") + Str("bottom") +
                              std::string("\xff", 1) + Str("c") + TextScore("-0");
  Value v;
  const Status s = Load(LoadZSet, encoded, &v);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(Packed(v));
  ExpectSamePairs(v, {{"bottom", -kInf}, {"c", -0.0}, {"a", 1}, {"b", 2.5}, {"top", kInf}});
}

TEST(RdbZSetTest, AZiplistLoadsAsAListpack) {
  const std::string blob = testing::Ziplist({"a", "1", "12", "2.5", "b", "inf"});
  Value v;
  ASSERT_TRUE(Load(LoadZSetZiplist, testing::EncodedBlob(blob), &v).ok());
  EXPECT_TRUE(Packed(v));
  ExpectSamePairs(v, {{"a", 1}, {"12", 2.5}, {"b", kInf}});
  // Past the entry limit it is indexed.
  EncodingLimits small;
  small.zset_max_listpack_entries = 2;
  ASSERT_TRUE(Load(LoadZSetZiplist, testing::EncodedBlob(blob), &v, small).ok());
  EXPECT_FALSE(Packed(v));
  EXPECT_EQ(v.As<SortedSetValue>().Size(), 3u);
}

TEST(RdbZSetTest, ALoadedZSetKeyIsReadBackFromAWholeFile) {
  const std::string file = testing::RdbFileWith(
      rdb::kTypeZSetListpack, "z", testing::EncodedBlob(ListpackOf({"a", "1", "b", "2"})));
  storage::Keyspace ks;
  const Status s = testing::LoadFromMemory(file, &ks);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const storage::Entry* e = ks.db(0).Find("z", testing::kNowMs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->value().type(), storage::ValueType::kZSet);
}

// Corruption: each refused with a Status, never a crash.

void ExpectRefused(RdbValueLoader loader, std::string_view encoded, std::string_view message) {
  Value v;
  const Status s = Load(loader, encoded, &v);
  ASSERT_FALSE(s.ok()) << "accepted; expected: " << message;
  EXPECT_NE(s.message().find(message), std::string::npos) << s.ToString();
}

TEST(RdbZSetCorruptionTest, EmptySet) {
  ExpectRefused(LoadZSet, Length(0), "empty zset");
  ExpectRefused(LoadZSet2, Length(0), "empty zset");
  ExpectRefused(LoadZSetListpack, Str(ListpackOf({})), "empty zset");
  ExpectRefused(LoadZSetZiplist, testing::EncodedBlob(testing::Ziplist({})), "empty zset");
}

TEST(RdbZSetCorruptionTest, DuplicateMember) {
  ExpectRefused(LoadZSet2, Length(2) + Str("a") + BinaryScore(1) + Str("a") + BinaryScore(2),
                "duplicate zset member");
  ExpectRefused(LoadZSet, Length(2) + Str("a") + TextScore("1") + Str("a") + TextScore("1"),
                "duplicate zset member");
  ExpectRefused(LoadZSetListpack, Str(ListpackOf({"a", "1", "a", "2"})), "duplicate zset member");
  ExpectRefused(LoadZSetZiplist, testing::EncodedBlob(testing::Ziplist({"7", "1", "7", "2"})),
                "duplicate zset member");
  // In the index path too (more members than a listpack may hold).
  std::string big = Length(200);
  for (int i = 0; i < 200; ++i)
    big += Str(i == 150 ? "m3" : "m" + std::to_string(i)) + BinaryScore(i);
  ExpectRefused(LoadZSet2, big, "duplicate zset member");
}

TEST(RdbZSetCorruptionTest, OddListpackCount) {
  ExpectRefused(LoadZSetListpack, Str(ListpackOf({"a", "1", "b"})), "odd number of entries (3)");
  ExpectRefused(LoadZSetZiplist, testing::EncodedBlob(testing::Ziplist({"a"})),
                "odd number of entries (1)");
}

TEST(RdbZSetCorruptionTest, TruncatedBlob) {
  const std::string blob = ListpackOf({"a", "1", "b", "2"});
  std::string encoded = Str(blob);
  ExpectRefused(LoadZSetListpack, encoded.substr(0, encoded.size() - 3), "");
  // A whole blob whose header claims more bytes than it holds.
  ExpectRefused(LoadZSetListpack, Str(blob.substr(0, blob.size() - 1)), "invalid zset listpack");
  const std::string zl = testing::Ziplist({"a", "1"});
  ExpectRefused(LoadZSetZiplist, testing::EncodedBlob(zl.substr(0, zl.size() - 2)),
                "invalid zset ziplist");
  // Pairs cut short.
  ExpectRefused(LoadZSet2, Length(2) + Str("a") + BinaryScore(1) + Str("b"), "");
}

TEST(RdbZSetCorruptionTest, BadDoubleLength) {
  // A binary score of 4 bytes where 8 are due (the value ends).
  ExpectRefused(LoadZSet2, Length(1) + Str("a") + BinaryScore(1).substr(0, 4), "");
  // A text score claiming 20 bytes with 3 left.
  ExpectRefused(LoadZSet,
                Length(1) + Str("a") +
                    std::string("\x14"
                                "1.5",
                                4),
                "");
  // A text score that is not a number.
  ExpectRefused(LoadZSet, Length(1) + Str("a") + TextScore("1.5x"), "invalid zset score text");
}

TEST(RdbZSetCorruptionTest, NanScore) {
  ExpectRefused(LoadZSet2, Length(1) + Str("a") + BinaryScore(std::nan("")), "NaN");
  ExpectRefused(LoadZSet, Length(1) + Str("a") + std::string("\xfd", 1), "NaN");
  ExpectRefused(LoadZSetListpack, Str(ListpackOf({"a", "nan"})), "invalid score");
}

TEST(RdbZSetCorruptionTest, UnreadableListpackScore) {
  ExpectRefused(LoadZSetListpack, Str(ListpackOf({"a", "one"})), "invalid score (member 0)");
}

TEST(RdbZSetCorruptionTest, ListpackOutOfScoreOrder) {
  ExpectRefused(LoadZSetListpack, Str(ListpackOf({"a", "2", "b", "1"})),
                "not in score order (member 1)");
  ExpectRefused(LoadZSetListpack, Str(ListpackOf({"b", "1", "a", "1"})), "not in score order");
}

TEST(RdbZSetCorruptionTest, FlippedBytesNeverCrash) {
  const std::string good = Str(ListpackOf({"a", "1", "bb", "2.5", "ccc", "inf"}));
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      Value v;
      static_cast<void>(Load(LoadZSetListpack, bad, &v));
    }
  }
  uint8_t type = 0;
  EncodingLimits small;
  small.zset_max_listpack_entries = 1;
  const std::string z2 = Save(MakeZSet(kSpecial, small), &type);
  for (size_t i = 0; i < z2.size(); ++i) {
    std::string bad = z2;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    Value v;
    static_cast<void>(Load(LoadZSet2, bad, &v));
    static_cast<void>(Load(LoadZSet2, z2.substr(0, i), &v));
  }
}

// DUMP / RESTORE use the same rows.

TEST(RdbZSetTest, DumpPayloadsRoundTripBothForms) {
  EncodingLimits small;
  small.zset_max_listpack_entries = 3;
  for (const EncodingLimits& made_with : {EncodingLimits{}, small}) {
    const Value set = MakeZSet(kSpecial, made_with);
    std::string payload;
    ASSERT_TRUE(EncodeDumpPayload(set.Ref(), true, &payload).ok());
    EXPECT_EQ(static_cast<uint8_t>(payload[0]),
              Packed(set) ? rdb::kTypeZSetListpack : rdb::kTypeZSet2);
    Value restored;
    DumpPayloadError error;
    const Status s = DecodeDumpPayload(payload, RdbLoadContext{small}, &restored, &error);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ExpectSamePairs(restored, kSpecialSorted);
    EXPECT_FALSE(Packed(restored));  // 10 members > 3
  }
}

// AOF rewrite.

TEST(RdbZSetTest, RewriteIsZaddIn64PairBatchesInOrder) {
  const Pairs pairs = Numbered(150);
  std::string out;
  FindAofRewriter(storage::ValueType::kZSet)(&out, "k", MakeZSet(pairs).Ref());
  std::string expected;
  for (size_t from = 0; from < pairs.size(); from += 64) {
    const size_t n = std::min<size_t>(64, pairs.size() - from);
    expected += "*" + std::to_string(2 + 2 * n) + "\r\n$4\r\nZADD\r\n$1\r\nk\r\n";
    for (size_t i = from; i < from + n; ++i) {
      char score[32];
      const int length = std::snprintf(score, sizeof(score), "%.17g", pairs[i].second);
      expected += "$" + std::to_string(length) + "\r\n" + score + "\r\n";
      expected += "$" + std::to_string(pairs[i].first.size()) + "\r\n" + pairs[i].first + "\r\n";
    }
  }
  EXPECT_EQ(out, expected);
}

// rioWriteBulkDouble's "%.17g", not d2string: 1e17 is "1e+17", 0.1 keeps 17 digits (the
// packed set holds -0.0 as 0, so it is written "0").
TEST(RdbZSetTest, RewriteWritesScoresAsRedisRioWriteBulkDouble) {
  std::string out;
  FindAofRewriter(storage::ValueType::kZSet)(
      &out, "z",
      MakeZSet({{"a", -kInf}, {"b", -0.0}, {"c", 0.1}, {"d", 1e17}, {"e", 3}, {"f", kInf}}).Ref());
  EXPECT_EQ(out,
            "*14\r\n$4\r\nZADD\r\n$1\r\nz\r\n"
            "$4\r\n-inf\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n"
            "$19\r\n0.10000000000000001\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\ne\r\n"
            "$5\r\n1e+17\r\n$1\r\nd\r\n$3\r\ninf\r\n$1\r\nf\r\n");
}

}  // namespace
}  // namespace ember::persistence
