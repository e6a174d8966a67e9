// The hash and set loaders: every RDB encoding Redis has written for them, the encoding the
// loaded value gets (Redis 7.0's choice under the limits), and corrupt values refused with
// the offset. Blobs of formats Redis 7.0 no longer writes are built byte by byte
// (compact_blobs.h; one hand-written example each in ziplist_reader_test.cc).
#include "persistence/rdb_collection_loaders.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/rdb_format.h"
#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"
#include "tests/unit/persistence/compact_blobs.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using storage::CollectionEncoding;
using storage::EncodingLimits;
using storage::HashValue;
using storage::Listpack;
using storage::SetValue;
using storage::Value;
using testing::EncodedBlob;
using testing::IntsetBlob;
using testing::Ziplist;
using testing::Zipmap;

using Pairs = std::vector<std::pair<std::string, std::string>>;

Status Load(RdbValueLoader loader, std::string_view encoded, Value* out,
            EncodingLimits limits = {}) {
  MemorySource source(encoded);
  RdbInput input(&source);
  return loader(input, RdbLoadContext{limits}, out);
}

std::map<std::string, std::string> HashOf(const Value& v) {
  std::map<std::string, std::string> out;
  v.As<HashValue>().ForEach(
      [&](std::string_view f, std::string_view x) { out.emplace(std::string(f), std::string(x)); });
  return out;
}

std::set<std::string> SetOf(const Value& v) {
  std::set<std::string> out;
  v.As<SetValue>().ForEach([&](std::string_view m) { out.emplace(m); });
  return out;
}

std::string PlainPairs(const Pairs& pairs) {
  std::string out;
  RdbEncoder enc(&out, false);
  enc.PutLength(pairs.size());
  for (const auto& [f, v] : pairs) {
    enc.PutString(f);
    enc.PutString(v);
  }
  return out;
}

std::string PlainMembers(const std::vector<std::string>& members) {
  std::string out;
  RdbEncoder enc(&out, false);
  enc.PutLength(members.size());
  for (const auto& m : members) enc.PutString(m);
  return out;
}

std::string ListpackOf(const std::vector<std::string>& entries) {
  Listpack lp;
  for (const std::string& e : entries) lp.Append(e);
  return std::string(lp.bytes());
}

void ExpectRefused(RdbValueLoader loader, std::string_view encoded, std::string_view what,
                   int64_t offset = 0) {
  Value v;
  Status s = Load(loader, encoded, &v);
  ASSERT_FALSE(s.ok()) << what;
  EXPECT_NE(s.message().find(what), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), offset) << s.message();
}

// --- hashes ---

TEST(RdbHashLoaderTest, PlainSmallHashBecomesAListpack) {
  Value v;
  ASSERT_TRUE(Load(LoadHash, PlainPairs({{"a", "1"}, {"b", "xyz"}, {"12", "-7"}}), &v).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(HashOf(v),
            (std::map<std::string, std::string>{{"a", "1"}, {"b", "xyz"}, {"12", "-7"}}));
}

TEST(RdbHashLoaderTest, PlainHashPastTheEntryLimitBecomesATable) {
  Value v;
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 2;
  ASSERT_TRUE(Load(LoadHash, PlainPairs({{"a", "1"}, {"b", "2"}, {"c", "3"}}), &v, limits).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(HashOf(v).size(), 3u);
}

TEST(RdbHashLoaderTest, PlainHashWithALongValueBecomesATable) {
  Value v;
  ASSERT_TRUE(Load(LoadHash, PlainPairs({{"a", "1"}, {"b", std::string(65, 'v')}}), &v).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(HashOf(v)["b"], std::string(65, 'v'));
}

TEST(RdbHashLoaderTest, PlainHashWithARepeatedFieldIsRefusedAtThatField) {
  const std::string encoded = PlainPairs({{"a", "1"}, {"a", "2"}});
  ExpectRefused(LoadHash, encoded, "duplicate hash field", 1 + 4);
  // Also once the hash is a table.
  ExpectRefused(LoadHash, PlainPairs({{"a", std::string(100, 'x')}, {"b", "1"}, {"a", "2"}}),
                "duplicate hash field", 1 + 2 + 102 + 4);
}

TEST(RdbHashLoaderTest, EmptyOrTruncatedPlainHashIsRefused) {
  ExpectRefused(LoadHash, PlainPairs({}), "empty hash");
  const std::string encoded = PlainPairs({{"a", "1"}, {"b", "2"}});
  Value v;
  EXPECT_FALSE(Load(LoadHash, encoded.substr(0, encoded.size() - 1), &v).ok());
}

TEST(RdbHashLoaderTest, ListpackHashIsAdoptedByteForByte) {
  const std::string blob = ListpackOf({"name", "ember", "n", "42", "neg", "-100000"});
  Value v;
  ASSERT_TRUE(Load(LoadHashListpack, EncodedBlob(blob), &v).ok());
  ASSERT_EQ(v.collection().encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(v.As<HashValue>().ToListpack().bytes(), blob);
  EXPECT_EQ(HashOf(v)["neg"], "-100000");
}

TEST(RdbHashLoaderTest, ListpackHashPastTheEntryLimitBecomesATable) {
  Value v;
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 1;
  ASSERT_TRUE(
      Load(LoadHashListpack, EncodedBlob(ListpackOf({"a", "1", "b", "2"})), &v, limits).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(HashOf(v), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
}

TEST(RdbHashLoaderTest, CorruptListpackHashesAreRefused) {
  ExpectRefused(LoadHashListpack, EncodedBlob(ListpackOf({"a", "1", "b"})), "odd number");
  ExpectRefused(LoadHashListpack, EncodedBlob(ListpackOf({"a", "1", "a", "2"})),
                "duplicate hash field");
  ExpectRefused(LoadHashListpack, EncodedBlob(ListpackOf({})), "empty hash");
  std::string bad_count = ListpackOf({"a", "1"});
  bad_count[4] = 3;  // the header claims 3 entries
  ExpectRefused(LoadHashListpack, EncodedBlob(bad_count), "invalid hash listpack");
  std::string bad_size = ListpackOf({"a", "1"});
  bad_size[0] = static_cast<char>(bad_size[0] + 1);
  ExpectRefused(LoadHashListpack, EncodedBlob(bad_size), "invalid hash listpack");
}

TEST(RdbHashLoaderTest, ZiplistHashBecomesTheListpackRedisWouldBuild) {
  const std::vector<std::string> entries = {"a", "1", "bb", "hello", "big", "-5000000000"};
  Value v;
  ASSERT_TRUE(Load(LoadHashZiplist, EncodedBlob(Ziplist(entries)), &v).ok());
  ASSERT_EQ(v.collection().encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(v.As<HashValue>().ToListpack().bytes(), ListpackOf(entries));
  EXPECT_EQ(HashOf(v)["big"], "-5000000000");
}

TEST(RdbHashLoaderTest, ZiplistHashPastTheEntryLimitBecomesATable) {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 1;
  Value v;
  ASSERT_TRUE(Load(LoadHashZiplist, EncodedBlob(Ziplist({"a", "1", "b", "2"})), &v, limits).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
}

TEST(RdbHashLoaderTest, CorruptZiplistHashesAreRefused) {
  ExpectRefused(LoadHashZiplist, EncodedBlob(Ziplist({"a", "1", "b"})), "odd number");
  ExpectRefused(LoadHashZiplist, EncodedBlob(Ziplist({"7", "1", "7", "2"})),
                "duplicate hash field");
  ExpectRefused(LoadHashZiplist, EncodedBlob(Ziplist({})), "empty hash");
  std::string bad = Ziplist({"a", "1"});
  bad[8] = 4;
  ExpectRefused(LoadHashZiplist, EncodedBlob(bad), "invalid hash ziplist");
}

TEST(RdbHashLoaderTest, ZipmapHashBecomesAListpackOrATablePastTheLimits) {
  Value v;
  ASSERT_TRUE(Load(LoadHashZipmap, EncodedBlob(Zipmap({{"f", "v"}, {"n", "10"}}, 2)), &v).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(v.As<HashValue>().ToListpack().bytes(), ListpackOf({"f", "v", "n", "10"}));
  Value big;
  ASSERT_TRUE(Load(LoadHashZipmap, EncodedBlob(Zipmap({{"f", std::string(300, 'v')}})), &big).ok());
  EXPECT_EQ(big.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(HashOf(big)["f"], std::string(300, 'v'));
}

TEST(RdbHashLoaderTest, CorruptZipmapHashesAreRefused) {
  ExpectRefused(LoadHashZipmap, EncodedBlob(Zipmap({{"f", "1"}, {"f", "2"}})),
                "duplicate hash field");
  ExpectRefused(LoadHashZipmap, EncodedBlob(std::string("\x00\xff", 2)), "invalid hash zipmap");
}

// --- sets ---

TEST(RdbSetLoaderTest, PlainIntegerSetBecomesAnIntset) {
  Value v;
  ASSERT_TRUE(Load(LoadSet, PlainMembers({"3", "-1", "100000", "2"}), &v).ok());
  ASSERT_EQ(v.collection().encoding(), CollectionEncoding::kIntset);
  EXPECT_EQ(SetOf(v), (std::set<std::string>{"-1", "2", "3", "100000"}));
}

TEST(RdbSetLoaderTest, PlainSetWithANonIntegerMemberBecomesATable) {
  Value v;
  ASSERT_TRUE(Load(LoadSet, PlainMembers({"1", "2", "x", "007"}), &v).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(SetOf(v), (std::set<std::string>{"1", "2", "x", "007"}));
}

TEST(RdbSetLoaderTest, PlainIntegerSetPastTheIntsetLimitBecomesATable) {
  EncodingLimits limits;
  limits.set_max_intset_entries = 2;
  Value v;
  ASSERT_TRUE(Load(LoadSet, PlainMembers({"1", "2", "3"}), &v, limits).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(SetOf(v).size(), 3u);
}

TEST(RdbSetLoaderTest, RepeatedOrMissingMembersAreRefused) {
  ExpectRefused(LoadSet, PlainMembers({"1", "2", "1"}), "duplicate set member", 1 + 2 + 2);
  ExpectRefused(LoadSet, PlainMembers({"a", "b", "a"}), "duplicate set member", 1 + 2 + 2);
  ExpectRefused(LoadSet, PlainMembers({}), "empty set");
}

TEST(RdbSetLoaderTest, IntsetIsAdoptedByteForByte) {
  for (uint32_t width : {2u, 4u, 8u}) {
    const std::string blob = IntsetBlob(width, {-3, 0, 7, 1000});
    Value v;
    ASSERT_TRUE(Load(LoadSetIntset, EncodedBlob(blob), &v).ok()) << width;
    ASSERT_EQ(v.collection().encoding(), CollectionEncoding::kIntset);
    EXPECT_EQ(v.As<SetValue>().intset().bytes(), blob);
    EXPECT_EQ(SetOf(v), (std::set<std::string>{"-3", "0", "7", "1000"}));
  }
}

TEST(RdbSetLoaderTest, IntsetPastTheLimitBecomesATable) {
  EncodingLimits limits;
  limits.set_max_intset_entries = 3;
  Value v;
  ASSERT_TRUE(Load(LoadSetIntset, EncodedBlob(IntsetBlob(2, {1, 2, 3, 4})), &v, limits).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(SetOf(v), (std::set<std::string>{"1", "2", "3", "4"}));
}

TEST(RdbSetLoaderTest, CorruptIntsetsAreRefused) {
  ExpectRefused(LoadSetIntset, EncodedBlob(IntsetBlob(3, {1, 2})), "invalid intset");
  ExpectRefused(LoadSetIntset, EncodedBlob(IntsetBlob(2, {1, 1})), "invalid intset");
  ExpectRefused(LoadSetIntset, EncodedBlob(IntsetBlob(2, {2, 1})), "invalid intset");
  ExpectRefused(LoadSetIntset, EncodedBlob(IntsetBlob(4, {1, 2}).substr(0, 14)), "invalid intset");
  ExpectRefused(LoadSetIntset, EncodedBlob(IntsetBlob(2, {})), "empty");
}

TEST(RdbSetLoaderTest, SetListpackOfIntegersBecomesAnIntset) {
  // What Redis 7.2 writes for a small set (RDB type 20); 7.0 would hold it as an intset.
  Value v;
  ASSERT_TRUE(Load(LoadSetListpack, EncodedBlob(ListpackOf({"5", "-2", "9"})), &v).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kIntset);
  EXPECT_EQ(SetOf(v), (std::set<std::string>{"-2", "5", "9"}));
}

TEST(RdbSetLoaderTest, SetListpackOfStringsBecomesATable) {
  Value v;
  ASSERT_TRUE(Load(LoadSetListpack, EncodedBlob(ListpackOf({"a", "1", "b"})), &v).ok());
  EXPECT_EQ(v.collection().encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(SetOf(v), (std::set<std::string>{"a", "1", "b"}));
}

TEST(RdbSetLoaderTest, CorruptSetListpacksAreRefused) {
  ExpectRefused(LoadSetListpack, EncodedBlob(ListpackOf({"a", "b", "a"})), "duplicate set member");
  ExpectRefused(LoadSetListpack, EncodedBlob(ListpackOf({"1", "1"})), "duplicate set member");
  ExpectRefused(LoadSetListpack, EncodedBlob(ListpackOf({})), "empty set");
  std::string bad = ListpackOf({"a"});
  bad[bad.size() - 1] = 0;
  ExpectRefused(LoadSetListpack, EncodedBlob(bad), "invalid set listpack");
}

// --- through the reader: the key, the type and the offset ---

TEST(RdbCollectionLoadTest, CorruptValueNamesKeyTypeAndOffset) {
  const std::string file = testing::RdbFileWith(rdb::kTypeHashListpack, "myhash",
                                                EncodedBlob(ListpackOf({"a", "1", "b"})));
  storage::Keyspace ks;
  Status s = testing::LoadFromMemory(file, &ks);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("key 'myhash'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("hash (listpack)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("odd number"), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), 9 + 2 + 1 + 7);  // header, SELECTDB 0, type byte, key
}

TEST(RdbCollectionLoadTest, LoadingUsesTheKeyspaceLimits) {
  const std::string file = testing::RdbFileWith(rdb::kTypeSet, "s", PlainMembers({"1", "2", "3"}));
  storage::Keyspace ks;
  EncodingLimits limits;
  limits.set_max_intset_entries = 2;
  ks.set_encoding_limits(limits);
  ASSERT_TRUE(testing::LoadFromMemory(file, &ks).ok());
  const storage::Entry* e = ks.db(0).Find("s", testing::kNowMs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->value().encoding(), CollectionEncoding::kHashtable);
}

}  // namespace
}  // namespace ember::persistence
