// The hash and set savers and AOF rewriters: what Redis 7.0 writes for each encoding (a
// compact block as its blob under type 16 / 11, a table as type 4 / 2 with its elements),
// a save/load round trip keeping every element, encoding and TTL, and rewrites batched 64
// elements per command.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "persistence/aof_reader.h"
#include "persistence/aof_value_rewriters.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_value_savers.h"
#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using storage::CollectionEncoding;
using storage::EncodingLimits;
using storage::HashValue;
using storage::SetValue;
using storage::Value;

Value MakeHash(int fields, int value_size = 3, bool table = false) {
  auto hash = std::make_unique<HashValue>();
  for (int i = 0; i < fields; ++i) {
    hash->Set("f" + std::to_string(i), std::string(static_cast<size_t>(value_size), 'v'),
              EncodingLimits{});
  }
  if (table) hash->ConvertToTable();
  return Value::Box(std::move(hash));
}

Value MakeSet(const std::vector<std::string>& members) {
  auto set = std::make_unique<SetValue>();
  for (const std::string& m : members) set->Add(m, EncodingLimits{});
  return Value::Box(std::move(set));
}

std::string Save(const Value& value, uint8_t* type_byte) {
  return testing::SaveValue(value, type_byte);
}

std::string Blob(std::string_view bytes) {
  std::string out;
  RdbEncoder(&out, false).PutBlob(bytes);
  return out;
}

TEST(RdbCollectionSaverTest, ListpackHashIsSavedAsItsBlob) {
  const Value hash = MakeHash(3);
  ASSERT_EQ(hash.collection().encoding(), CollectionEncoding::kListpack);
  uint8_t type = 0;
  const std::string saved = Save(hash, &type);
  EXPECT_EQ(type, rdb::kTypeHashListpack);
  EXPECT_EQ(saved, Blob(hash.As<HashValue>().ToListpack().bytes()));
}

TEST(RdbCollectionSaverTest, TableHashIsSavedAsFieldValueStrings) {
  const Value hash = MakeHash(2, 3, /*table=*/true);
  uint8_t type = 0;
  const std::string saved = Save(hash, &type);
  EXPECT_EQ(type, rdb::kTypeHash);
  // Count 2, then each field and value as a length-prefixed string, in table order.
  ASSERT_EQ(saved.size(), 1u + 2 * (3 + 4));
  EXPECT_EQ(saved[0], 2);
  const bool f0_first = saved.substr(1, 3) ==
                        "\x02"
                        "f0";
  const std::string first = f0_first ? "f0" : "f1", second = f0_first ? "f1" : "f0";
  EXPECT_EQ(saved, std::string("\x02\x02", 2) + first + "\x03vvv\x02" + second + "\x03vvv");
}

TEST(RdbCollectionSaverTest, IntsetIsSavedAsItsBlob) {
  const Value set = MakeSet({"5", "-1", "70000"});
  ASSERT_EQ(set.collection().encoding(), CollectionEncoding::kIntset);
  uint8_t type = 0;
  const std::string saved = Save(set, &type);
  EXPECT_EQ(type, rdb::kTypeSetIntset);
  EXPECT_EQ(saved, Blob(set.As<SetValue>().intset().bytes()));
}

TEST(RdbCollectionSaverTest, TableSetIsSavedAsMemberStrings) {
  const Value set = MakeSet({"a"});
  ASSERT_EQ(set.collection().encoding(), CollectionEncoding::kHashtable);
  uint8_t type = 0;
  EXPECT_EQ(Save(set, &type), std::string("\x01\x01"
                                          "a",
                                          3));
  EXPECT_EQ(type, rdb::kTypeSet);
  // Integer members of a table set use the integer string encodings, as rdbSaveRawString.
  const Value mixed = MakeSet({"x", "300"});
  const std::string saved = Save(mixed, &type);
  EXPECT_NE(saved.find(std::string("\xc1\x2c\x01", 3)), std::string::npos);
}

std::map<std::string, std::string> HashOf(const storage::Entry* e) {
  std::map<std::string, std::string> out;
  e->value().Read<HashValue>()->ForEach(
      [&](std::string_view f, std::string_view v) { out.emplace(f, v); });
  return out;
}

std::set<std::string> SetOf(const storage::Entry* e) {
  std::set<std::string> out;
  e->value().Read<SetValue>()->ForEach([&](std::string_view m) { out.emplace(m); });
  return out;
}

TEST(RdbCollectionSaverTest, EveryEncodingSurvivesASaveAndLoadWithItsTtl) {
  storage::Keyspace ks;
  const int64_t ttl = testing::kNowMs + 60'000;
  ks.db(0).Add("h-listpack", MakeHash(5));
  ks.db(0).Add("h-table", MakeHash(600));
  ks.db(0).Add("h-long", MakeHash(2, 100));
  storage::Entry* e = ks.db(1).Add("h-ttl", MakeHash(2));
  static_cast<void>(ks.db(1).SetExpire(e, ttl));
  ks.db(0).Add("s-intset", MakeSet({"1", "-20000", "3000000000"}));
  ks.db(0).Add("s-table", MakeSet({"a", "b", "1"}));
  e = ks.db(2).Add("s-ttl", MakeSet({"7"}));
  static_cast<void>(ks.db(2).SetExpire(e, ttl));

  for (bool compression : {true, false}) {
    RdbWriteOptions options;
    options.compression = compression;
    const std::string file = testing::SaveToMemory(ks, options);
    storage::Keyspace loaded;
    ASSERT_TRUE(testing::LoadFromMemory(file, &loaded).ok());
    for (const char* key : {"h-listpack", "h-table", "h-long"}) {
      const storage::Entry* before = ks.db(0).Find(key, testing::kNowMs);
      const storage::Entry* after = loaded.db(0).Find(key, testing::kNowMs);
      ASSERT_NE(after, nullptr) << key;
      EXPECT_EQ(HashOf(after), HashOf(before)) << key;
      EXPECT_EQ(after->value().encoding(), before->value().encoding()) << key;
    }
    for (const char* key : {"s-intset", "s-table"}) {
      const storage::Entry* before = ks.db(0).Find(key, testing::kNowMs);
      const storage::Entry* after = loaded.db(0).Find(key, testing::kNowMs);
      ASSERT_NE(after, nullptr) << key;
      EXPECT_EQ(SetOf(after), SetOf(before)) << key;
      EXPECT_EQ(after->value().encoding(), before->value().encoding()) << key;
    }
    const storage::Entry* h = loaded.db(1).Find("h-ttl", testing::kNowMs);
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(loaded.db(1).GetExpire(h), ttl);
    const storage::Entry* s = loaded.db(2).Find("s-ttl", testing::kNowMs);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(loaded.db(2).GetExpire(s), ttl);
    EXPECT_EQ(SetOf(s), (std::set<std::string>{"7"}));
  }
}

// --- AOF rewrite ---

std::vector<std::vector<std::string>> Commands(const std::string& resp) {
  std::vector<std::vector<std::string>> out;
  size_t p = 0;
  while (p < resp.size()) {
    EXPECT_EQ(resp[p], '*');
    const size_t eol = resp.find("\r\n", p);
    const int argc = std::stoi(resp.substr(p + 1, eol - p - 1));
    p = eol + 2;
    std::vector<std::string> argv;
    for (int i = 0; i < argc; ++i) {
      const size_t len_end = resp.find("\r\n", p);
      const size_t len = std::stoul(resp.substr(p + 1, len_end - p - 1));
      argv.push_back(resp.substr(len_end + 2, len));
      p = len_end + 2 + len + 2;
    }
    out.push_back(argv);
  }
  return out;
}

TEST(AofCollectionRewriterTest, SetIsRebuiltWithSaddIn64MemberBatches) {
  std::vector<std::string> members;
  for (int i = 0; i < 130; ++i) members.push_back("m" + std::to_string(i));
  const Value set = MakeSet(members);
  std::string out;
  FindAofRewriter(storage::ValueType::kSet)(&out, "k", set.Ref());
  const auto commands = Commands(out);
  ASSERT_EQ(commands.size(), 3u);
  std::set<std::string> seen;
  const size_t sizes[] = {64, 64, 2};
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(commands[i].size(), 2 + sizes[i]);
    EXPECT_EQ(commands[i][0], "SADD");
    EXPECT_EQ(commands[i][1], "k");
    seen.insert(commands[i].begin() + 2, commands[i].end());
  }
  EXPECT_EQ(seen, std::set<std::string>(members.begin(), members.end()));
}

TEST(AofCollectionRewriterTest, IntsetMembersAreWrittenAsDecimalText) {
  const Value set = MakeSet({"-5", "10"});
  std::string out;
  FindAofRewriter(storage::ValueType::kSet)(&out, "k", set.Ref());
  EXPECT_EQ(Commands(out), (std::vector<std::vector<std::string>>{{"SADD", "k", "-5", "10"}}));
}

TEST(AofCollectionRewriterTest, HashIsRebuiltWithHmsetIn64PairBatches) {
  for (bool table : {false, true}) {
    const Value hash = MakeHash(65, 3, table);
    std::string out;
    FindAofRewriter(storage::ValueType::kHash)(&out, "h", hash.Ref());
    const auto commands = Commands(out);
    ASSERT_EQ(commands.size(), 2u);
    EXPECT_EQ(commands[0].size(), 2u + 128);
    EXPECT_EQ(commands[1].size(), 2u + 2);
    std::map<std::string, std::string> seen;
    for (const auto& argv : commands) {
      EXPECT_EQ(argv[0], "HMSET");
      EXPECT_EQ(argv[1], "h");
      for (size_t i = 2; i + 1 < argv.size(); i += 2) seen[argv[i]] = argv[i + 1];
    }
    EXPECT_EQ(seen.size(), 65u);
    EXPECT_EQ(seen["f64"], "vvv");
  }
}

TEST(AofCollectionRewriterTest, ExactlyOneBatchWritesOneCommand) {
  const Value hash = MakeHash(64);
  std::string out;
  FindAofRewriter(storage::ValueType::kHash)(&out, "h", hash.Ref());
  EXPECT_EQ(Commands(out).size(), 1u);
}

}  // namespace
}  // namespace ember::persistence
