// SCAN: cursor iteration, MATCH, COUNT, TYPE, and the guarantee that a key present for the
// whole scan is returned at least once even while the table grows underneath it.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ScanTest = ServerTest;

constexpr int kMaxScanCalls = 100000;

// Runs SCAN from cursor 0 to the end; `between_calls` runs after every call. Fails the test
// if the reply shape is wrong or the scan does not finish within kMaxScanCalls calls.
std::multiset<std::string> ScanAll(RedisClient& client, const std::vector<std::string>& options,
                                   const std::function<void()>& between_calls = nullptr) {
  std::multiset<std::string> seen;
  std::string cursor = "0";
  for (int calls = 0; calls < kMaxScanCalls; ++calls) {
    std::vector<std::string> args = {"SCAN", cursor};
    args.insert(args.end(), options.begin(), options.end());
    Reply r = client.Command(args);
    if (r.type != Reply::Type::kArray || r.elements.size() != 2 ||
        r.elements[0].type != Reply::Type::kString || r.elements[1].type != Reply::Type::kArray) {
      ADD_FAILURE() << "unexpected SCAN reply " << r.ToString();
      return seen;
    }
    for (const auto& key : r.elements[1].elements) seen.insert(key.str);
    cursor = r.elements[0].str;
    if (cursor == "0") return seen;
    if (between_calls) between_calls();
  }
  ADD_FAILURE() << "SCAN did not finish within " << kMaxScanCalls << " calls";
  return seen;
}

void FillKeys(RedisClient& client, const std::string& prefix, int count) {
  for (int i = 0; i < count; ++i) client.Append({"SET", prefix + std::to_string(i), "v"});
  for (int i = 0; i < count; ++i) ASSERT_EQ(client.ReadReply(), Status("OK"));
}

TEST_F(ScanTest, EmptyDbFinishesAtOnce) {
  EXPECT_EQ(Run({"SCAN", "0"}), Array({Bulk("0"), Array({})}));
}

TEST_F(ScanTest, FullScanReturnsEveryKey) {
  FillKeys(client(), "key:", 1000);
  std::multiset<std::string> seen = ScanAll(client(), {});
  std::set<std::string> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(distinct.contains("key:" + std::to_string(i))) << i;
}

TEST_F(ScanTest, CountIsAHintThatStillCoversEverything) {
  FillKeys(client(), "key:", 500);
  for (const char* count : {"1", "7", "1000"}) {
    std::multiset<std::string> seen = ScanAll(client(), {"COUNT", count});
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 500u) << "COUNT " << count;
  }
}

TEST_F(ScanTest, MatchFiltersKeys) {
  FillKeys(client(), "user:", 100);
  FillKeys(client(), "item:", 100);
  std::multiset<std::string> seen = ScanAll(client(), {"MATCH", "user:1*", "COUNT", "10"});
  std::set<std::string> distinct(seen.begin(), seen.end());
  // user:1, user:10..19, user:100 is out of range (0..99): 1 + 10 keys.
  EXPECT_EQ(distinct.size(), 11u);
  for (const auto& key : distinct) EXPECT_EQ(key.rfind("user:1", 0), 0u) << key;
}

TEST_F(ScanTest, TypeFiltersByValueType) {
  FillKeys(client(), "s:", 50);
  std::multiset<std::string> strings = ScanAll(client(), {"TYPE", "string"});
  EXPECT_EQ(std::set<std::string>(strings.begin(), strings.end()).size(), 50u);
  EXPECT_TRUE(ScanAll(client(), {"TYPE", "list"}).empty());
  EXPECT_TRUE(ScanAll(client(), {"TYPE", "hash", "MATCH", "s:*"}).empty());
}

TEST_F(ScanTest, ScanSeesOnlySelectedDb) {
  FillKeys(client(), "db0:", 20);
  ASSERT_EQ(Run({"SELECT", "1"}), Status("OK"));
  FillKeys(client(), "db1:", 5);
  std::multiset<std::string> seen = ScanAll(client(), {});
  EXPECT_EQ(seen.size(), 5u);
  for (const auto& key : seen) EXPECT_EQ(key.rfind("db1:", 0), 0u) << key;
}

TEST_F(ScanTest, BadArgumentsAreRejected) {
  EXPECT_EQ(Run({"SCAN", "abc"}), Error("ERR invalid cursor"));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "0"}), Error("ERR syntax error"));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "x"}), Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Run({"SCAN", "0", "MATCH"}), Error("ERR syntax error"));
  EXPECT_EQ(Run({"SCAN", "0", "BOGUS", "1"}), Error("ERR syntax error"));
}

TEST_F(ScanTest, KeysPresentThroughoutAreSeenWhileTableGrows) {
  constexpr int kStable = 200;
  constexpr int kAddedPerCall = 300;
  constexpr int kMaxAdded = 60000;
  FillKeys(client(), "stable:", kStable);
  RedisClient writer(port());
  int added = 0;
  // Each SCAN step is followed by a burst of inserts from another connection, so the hash
  // table resizes (and rehashes incrementally) several times during one iteration.
  std::multiset<std::string> seen = ScanAll(client(), {"COUNT", "5"}, [&] {
    if (added >= kMaxAdded) return;
    for (int i = 0; i < kAddedPerCall; ++i) {
      writer.Append({"SET", "grow:" + std::to_string(added + i), "v"});
    }
    for (int i = 0; i < kAddedPerCall; ++i) ASSERT_EQ(writer.ReadReply(), Status("OK"));
    added += kAddedPerCall;
  });
  EXPECT_GT(added, 4 * kStable) << "the table did not grow during the scan";
  for (int i = 0; i < kStable; ++i) {
    EXPECT_TRUE(seen.contains("stable:" + std::to_string(i))) << "stable:" << i << " missed";
  }
}

}  // namespace
}  // namespace ember::test
