// Generic key commands: DEL, UNLINK, EXISTS, TYPE, KEYS, RANDOMKEY, RENAME, RENAMENX,
// TOUCH, DBSIZE, FLUSHDB, FLUSHALL.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using KeyspaceCommandsTest = ServerTest;

std::vector<std::string> SortedStrings(const Reply& array) {
  std::vector<std::string> out;
  for (const auto& e : array.elements) out.push_back(e.str);
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(KeyspaceCommandsTest, DelAndUnlinkCountRemovedKeys) {
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2", "c", "3"}), Status("OK"));
  EXPECT_EQ(Run({"DEL", "a", "b", "missing"}), Int(2));
  EXPECT_EQ(Run({"DEL", "a"}), Int(0));
  EXPECT_EQ(Run({"UNLINK", "c", "c", "missing"}), Int(1));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
}

TEST_F(KeyspaceCommandsTest, ExistsCountsRepeatedKeys) {
  ASSERT_EQ(Run({"SET", "a", "1"}), Status("OK"));
  EXPECT_EQ(Run({"EXISTS", "a"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "a", "a", "missing"}), Int(2));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
}

TEST_F(KeyspaceCommandsTest, TypeReportsStringOrNone) {
  ASSERT_EQ(Run({"SET", "s", "v"}), Status("OK"));
  ASSERT_EQ(Run({"INCR", "n"}), Int(1));
  EXPECT_EQ(Run({"TYPE", "s"}), Status("string"));
  EXPECT_EQ(Run({"TYPE", "n"}), Status("string"));
  EXPECT_EQ(Run({"TYPE", "missing"}), Status("none"));
}

TEST_F(KeyspaceCommandsTest, KeysMatchesGlobPatterns) {
  ASSERT_EQ(Run({"MSET", "hello", "1", "hallo", "1", "hxllo", "1", "hllo", "1", "heeeello", "1",
                 "h*llo", "1", "other", "1"}),
            Status("OK"));
  using V = std::vector<std::string>;
  EXPECT_EQ(SortedStrings(Run({"KEYS", "*"})).size(), 7u);
  EXPECT_EQ(SortedStrings(Run({"KEYS", "h?llo"})), (V{"h*llo", "hallo", "hello", "hxllo"}));
  EXPECT_EQ(SortedStrings(Run({"KEYS", "h*llo"})),
            (V{"h*llo", "hallo", "heeeello", "hello", "hllo", "hxllo"}));
  EXPECT_EQ(SortedStrings(Run({"KEYS", "h[ae]llo"})), (V{"hallo", "hello"}));
  EXPECT_EQ(SortedStrings(Run({"KEYS", "h[^e]llo"})), (V{"h*llo", "hallo", "hxllo"}));
  EXPECT_EQ(SortedStrings(Run({"KEYS", "h[a-f]llo"})), (V{"hallo", "hello"}));
  EXPECT_EQ(SortedStrings(Run({"KEYS", "h\\*llo"})), (V{"h*llo"}));
  EXPECT_EQ(SortedStrings(Run({"KEYS", "oth*"})), (V{"other"}));
  EXPECT_EQ(Run({"KEYS", "nomatch*"}), Array({}));
}

TEST_F(KeyspaceCommandsTest, RandomKeyReturnsAnExistingKey) {
  EXPECT_EQ(Run({"RANDOMKEY"}), Nil());
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2", "c", "3"}), Status("OK"));
  const std::set<std::string> keys = {"a", "b", "c"};
  for (int i = 0; i < 20; ++i) {
    Reply r = Run({"RANDOMKEY"});
    ASSERT_EQ(r.type, Reply::Type::kString) << r.ToString();
    EXPECT_TRUE(keys.contains(r.str)) << r.str;
  }
}

TEST_F(KeyspaceCommandsTest, RenameMovesValueAndTtl) {
  ASSERT_EQ(Run({"SET", "a", "v", "EX", "100"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "b", "old"}), Status("OK"));
  EXPECT_EQ(Run({"RENAME", "a", "b"}), Status("OK"));
  EXPECT_EQ(Run({"EXISTS", "a"}), Int(0));
  EXPECT_EQ(Run({"GET", "b"}), Bulk("v"));
  EXPECT_GT(Run({"TTL", "b"}).integer, 0);
  EXPECT_EQ(Run({"RENAME", "b", "b"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "b"}), Bulk("v"));
}

TEST_F(KeyspaceCommandsTest, RenameOverwritingClearsDestinationTtl) {
  ASSERT_EQ(Run({"SET", "a", "v"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "b", "old", "EX", "100"}), Status("OK"));
  ASSERT_EQ(Run({"RENAME", "a", "b"}), Status("OK"));
  EXPECT_EQ(Run({"TTL", "b"}), Int(-1));
}

TEST_F(KeyspaceCommandsTest, RenameOfMissingKeyIsError) {
  EXPECT_EQ(Run({"RENAME", "missing", "x"}), Error("ERR no such key"));
  EXPECT_EQ(Run({"RENAMENX", "missing", "x"}), Error("ERR no such key"));
}

TEST_F(KeyspaceCommandsTest, RenameNxOnlyWhenDestinationIsFree) {
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2"}), Status("OK"));
  EXPECT_EQ(Run({"RENAMENX", "a", "b"}), Int(0));
  EXPECT_EQ(Run({"MGET", "a", "b"}), Array({Bulk("1"), Bulk("2")}));
  EXPECT_EQ(Run({"RENAMENX", "a", "c"}), Int(1));
  EXPECT_EQ(Run({"MGET", "a", "c"}), Array({Nil(), Bulk("1")}));
  EXPECT_EQ(Run({"RENAMENX", "c", "c"}), Int(0));
}

TEST_F(KeyspaceCommandsTest, TouchCountsExistingKeys) {
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2"}), Status("OK"));
  EXPECT_EQ(Run({"TOUCH", "a", "b", "missing"}), Int(2));
}

TEST_F(KeyspaceCommandsTest, DbSizeCountsKeysOfSelectedDb) {
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2"}), Status("OK"));
  EXPECT_EQ(Run({"DBSIZE"}), Int(2));
  ASSERT_EQ(Run({"SELECT", "1"}), Status("OK"));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
}

TEST_F(KeyspaceCommandsTest, FlushDbClearsOnlySelectedDb) {
  ASSERT_EQ(Run({"SET", "a", "0"}), Status("OK"));
  ASSERT_EQ(Run({"SELECT", "1"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "a", "1"}), Status("OK"));
  EXPECT_EQ(Run({"FLUSHDB"}), Status("OK"));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  ASSERT_EQ(Run({"SELECT", "0"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("0"));
  EXPECT_EQ(Run({"FLUSHDB", "ASYNC"}), Status("OK"));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  EXPECT_EQ(Run({"FLUSHDB", "BOGUS"}), Error("ERR syntax error"));
}

TEST_F(KeyspaceCommandsTest, FlushAllClearsEveryDb) {
  ASSERT_EQ(Run({"SET", "a", "0"}), Status("OK"));
  ASSERT_EQ(Run({"SELECT", "3"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "a", "3"}), Status("OK"));
  EXPECT_EQ(Run({"FLUSHALL", "SYNC"}), Status("OK"));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  ASSERT_EQ(Run({"SELECT", "0"}), Status("OK"));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  EXPECT_EQ(Run({"FLUSHALL", "BOGUS"}), Error("ERR syntax error"));
}

}  // namespace
}  // namespace ember::test
