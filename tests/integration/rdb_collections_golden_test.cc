// Hashes and sets in dumps written by redis-server 7.0.15 (tests/golden/rdb/README.md) load
// into Ember with every element, the encoding 7.0 reports and every expiry time; hashes in
// the encodings only older Redis versions wrote (zipmap, ziplist) and 7.2's listpack sets,
// built byte by byte here, load too, and the ones 7.0 still reads load identically there.
#include <gtest/gtest.h>

#include <string>

#include "persistence/rdb_load.h"
#include "tests/integration/collection_test_util.h"
#include "tests/integration/rdb_test_util.h"
#include "tests/unit/persistence/compact_blobs.h"

namespace ember::test {
namespace {

using collections::EncodingOf;
using collections::HashMap;
using collections::HashOf;
using collections::MemberSet;
using collections::SetOf;
using rdb::TempDir;

constexpr int64_t kNowMs = 1'700'000'000'000;

const storage::Entry* MustFind(storage::Keyspace& ks, int db, const std::string& key) {
  const storage::Entry* e = ks.db(db).Find(key, kNowMs);
  EXPECT_NE(e, nullptr) << key;
  return e;
}

// The dataset of hashes_sets_7.0.rdb, key by key (see the README for the commands).
TEST(RdbCollectionsGoldenTest, RedisDumpOfHashesAndSetsLoadsEveryEncoding) {
  storage::Keyspace ks;
  persistence::RdbLoadStats stats;
  persistence::Status s =
      persistence::LoadRdbFile(rdb::GoldenPath("hashes_sets_7.0.rdb"), &ks, kNowMs, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(stats.keys_loaded, 14u);

  const storage::Entry* e = MustFind(ks, 0, "h:small");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashOf(e), (HashMap{{"name", "ember"}, {"lang", "c++"}, {"version", "7"}}));
  EXPECT_EQ(EncodingOf(e), "listpack");
  e = MustFind(ks, 0, "h:ints");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashOf(e), (HashMap{{"1", "100"}, {"-2", "-200"}, {"big", "9223372036854775807"}}));
  e = MustFind(ks, 0, "h:ttl");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashOf(e), (HashMap{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(ks.db(0).GetExpire(e), 4102444800123);
  e = MustFind(ks, 0, "h:longvalue");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashOf(e), (HashMap{{"short", "x"}, {"long", std::string(65, 'L')}}));
  EXPECT_EQ(EncodingOf(e), "hashtable");
  e = MustFind(ks, 0, "h:big");
  ASSERT_NE(e, nullptr);
  HashMap big;
  for (int i = 0; i < 600; ++i) big["f" + std::to_string(i)] = "v" + std::to_string(i);
  EXPECT_EQ(HashOf(e), big);
  EXPECT_EQ(EncodingOf(e), "hashtable");
  EXPECT_EQ(ks.db(0).GetExpire(e), 4102444800456);
  e = MustFind(ks, 0, "h:repeat");  // its listpack blob is LZF-compressed in the file
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashOf(e).size(), 4u);
  EXPECT_EQ(HashOf(e)["r3"], std::string(20, 'a'));
  EXPECT_EQ(EncodingOf(e), "listpack");

  e = MustFind(ks, 0, "s:ints");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(SetOf(e), (MemberSet{"1", "2", "3", "-5"}));
  EXPECT_EQ(EncodingOf(e), "intset");
  e = MustFind(ks, 0, "s:wide");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(SetOf(e), (MemberSet{"1", "70000"}));
  EXPECT_EQ(e->value().Read<storage::SetValue>()->intset().width(), 4u);
  e = MustFind(ks, 0, "s:huge");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(SetOf(e), (MemberSet{"1", "5000000000"}));
  EXPECT_EQ(e->value().Read<storage::SetValue>()->intset().width(), 8u);
  EXPECT_EQ(ks.db(0).GetExpire(e), 4102444800789);
  e = MustFind(ks, 0, "s:strings");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(SetOf(e), (MemberSet{"apple", "banana", "42"}));
  EXPECT_EQ(EncodingOf(e), "hashtable");
  e = MustFind(ks, 0, "s:bigints");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(SetOf(e).size(), 600u);
  EXPECT_EQ(SetOf(e).count("599"), 1u);
  EXPECT_EQ(EncodingOf(e), "hashtable");

  e = MustFind(ks, 3, "s:db3");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(SetOf(e), (MemberSet{"x", "y"}));
  EXPECT_EQ(ks.db(3).GetExpire(e), 4102444800999);
  e = MustFind(ks, 3, "h:db3");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashOf(e), (HashMap{{"k", "v"}}));
}

// A version-10 file of hashes in the encodings Redis 2.x-6.x wrote:
//   "zm"  type 9 (zipmap): {"name": "ab", "n": "12"}, the first value with one free byte
//   "zl"  type 13 (ziplist): {"a": 1, "bb": "hello", "neg": -70000} (immediate, string,
//         int24 entries)
//   "zlb" type 13 (ziplist): 600 pairs f<i> -> <i>, past hash-max-listpack-entries
std::string LegacyHashesFile() {
  using persistence::testing::EncodedBlob;
  using persistence::testing::Ziplist;
  std::string body;
  auto add = [&body](uint8_t type, std::string_view key, const std::string& value) {
    body.push_back(static_cast<char>(type));
    persistence::RdbEncoder(&body, false).PutString(key);
    body += value;
  };
  // Zipmap bytes: count 02 | 04 "name" 02 01 "ab" + 1 free byte | 01 "n" 02 00 "12" | FF.
  const std::string zipmap(
      "\x02\x04name\x02\x01"
      "ab?\x01n\x02\x00"
      "12\xff",
      18);
  add(9, "zm", EncodedBlob(zipmap));
  add(13, "zl", EncodedBlob(Ziplist({"a", "1", "bb", "hello", "neg", "-70000"})));
  std::vector<std::string> big;
  for (int i = 0; i < 600; ++i) {
    big.push_back("f" + std::to_string(i));
    big.push_back(std::to_string(i));
  }
  add(13, "zlb", EncodedBlob(Ziplist(big)));
  std::string file = "REDIS0010";
  file += std::string("\xfe\x00", 2) + body + "\xff";
  persistence::testing::PutLittleEndian(&file, persistence::Crc64(0, file), 8);
  return file;
}

HashMap LegacyBig() {
  HashMap out;
  for (int i = 0; i < 600; ++i) out["f" + std::to_string(i)] = std::to_string(i);
  return out;
}

TEST(RdbCollectionsGoldenTest, ZipmapAndZiplistHashesLoadAsRedis70LoadsThem) {
  TempDir dir;
  rdb::WriteFile(dir.file("dump.rdb"), LegacyHashesFile());
  storage::Keyspace ks;
  persistence::Status s = persistence::LoadRdbFile(dir.file("dump.rdb"), &ks, kNowMs, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const HashMap zm = {{"name", "ab"}, {"n", "12"}};
  const HashMap zl = {{"a", "1"}, {"bb", "hello"}, {"neg", "-70000"}};
  EXPECT_EQ(HashOf(MustFind(ks, 0, "zm")), zm);
  EXPECT_EQ(EncodingOf(MustFind(ks, 0, "zm")), "listpack");
  EXPECT_EQ(HashOf(MustFind(ks, 0, "zl")), zl);
  EXPECT_EQ(EncodingOf(MustFind(ks, 0, "zl")), "listpack");
  EXPECT_EQ(HashOf(MustFind(ks, 0, "zlb")), LegacyBig());
  EXPECT_EQ(EncodingOf(MustFind(ks, 0, "zlb")), "hashtable");

  // The reference reads the same bytes as the same hashes, in the same encodings.
  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
  RedisClient client(redis.port());
  EXPECT_EQ(collections::RedisHash(client, "zm"), zm);
  EXPECT_EQ(collections::RedisHash(client, "zl"), zl);
  EXPECT_EQ(collections::RedisHash(client, "zlb"), LegacyBig());
  EXPECT_EQ(client.Command({"OBJECT", "ENCODING", "zm"}), Bulk("listpack"));
  EXPECT_EQ(client.Command({"OBJECT", "ENCODING", "zl"}), Bulk("listpack"));
  EXPECT_EQ(client.Command({"OBJECT", "ENCODING", "zlb"}), Bulk("hashtable"));
}

// Redis 7.2 writes a small set of strings as a listpack (type 20, RDB version 11); 7.0
// cannot read it, so the bytes come from Listpack. Ember loads it as 7.0 would hold the
// same members: an intset when all are integers, else a table.
TEST(RdbCollectionsGoldenTest, SetListpackOfRedis72Loads) {
  auto listpack = [](const std::vector<std::string>& members) {
    storage::Listpack lp;
    for (const std::string& m : members) lp.Append(m);
    return persistence::testing::EncodedBlob(lp.bytes());
  };
  std::string body;
  for (auto [key, value] : {std::pair<std::string, std::string>{"sl", listpack({"a", "b", "7"})},
                            {"si", listpack({"3", "1", "2"})}}) {
    body.push_back(20);
    persistence::RdbEncoder(&body, false).PutString(key);
    body += value;
  }
  std::string file = "REDIS0011" + std::string("\xfe\x00", 2) + body + "\xff";
  persistence::testing::PutLittleEndian(&file, persistence::Crc64(0, file), 8);
  TempDir dir;
  rdb::WriteFile(dir.file("dump.rdb"), file);
  storage::Keyspace ks;
  persistence::Status s = persistence::LoadRdbFile(dir.file("dump.rdb"), &ks, kNowMs, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(SetOf(MustFind(ks, 0, "sl")), (MemberSet{"a", "b", "7"}));
  EXPECT_EQ(EncodingOf(MustFind(ks, 0, "sl")), "hashtable");
  EXPECT_EQ(SetOf(MustFind(ks, 0, "si")), (MemberSet{"1", "2", "3"}));
  EXPECT_EQ(EncodingOf(MustFind(ks, 0, "si")), "intset");
}

}  // namespace
}  // namespace ember::test
