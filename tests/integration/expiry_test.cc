// Expiry as clients observe it: lazily (an expired key is invisible to every read even
// before anything deletes it) and actively (keys nobody reads again are reclaimed in the
// background while the server keeps answering).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ExpiryTest = ServerTest;
using std::chrono::milliseconds;

TEST_F(ExpiryTest, ExpiredKeyIsInvisibleToEveryRead) {
  ASSERT_EQ(Run({"SET", "keep", "v"}), Status("OK"));
  for (const char* key : {"get", "exists", "ttl", "pttl", "type", "mget", "strlen", "getrange"}) {
    ASSERT_EQ(Run({"SET", key, "v", "PX", "50"}), Status("OK"));
  }
  std::this_thread::sleep_for(milliseconds(150));
  EXPECT_EQ(Run({"GET", "get"}), Nil());
  EXPECT_EQ(Run({"EXISTS", "exists"}), Int(0));
  EXPECT_EQ(Run({"TTL", "ttl"}), Int(-2));
  EXPECT_EQ(Run({"PTTL", "pttl"}), Int(-2));
  EXPECT_EQ(Run({"TYPE", "type"}), Status("none"));
  EXPECT_EQ(Run({"MGET", "mget", "keep"}), Array({Nil(), Bulk("v")}));
  EXPECT_EQ(Run({"STRLEN", "strlen"}), Int(0));
  EXPECT_EQ(Run({"GETRANGE", "getrange", "0", "-1"}), Bulk(""));
  EXPECT_EQ(Run({"KEYS", "*"}), BulkArray({"keep"}));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "1000"}), Array({Bulk("0"), BulkArray({"keep"})}));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Run({"RANDOMKEY"}), Bulk("keep"));
}

TEST_F(ExpiryTest, ExpiredKeyCanBeRecreated) {
  ASSERT_EQ(Run({"SET", "a", "old", "PX", "50"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "b", "5", "PX", "50"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "c", "old", "PX", "50"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "d", "old", "PX", "50"}), Status("OK"));
  std::this_thread::sleep_for(milliseconds(150));
  EXPECT_EQ(Run({"SETNX", "a", "new"}), Int(1));
  EXPECT_EQ(Run({"TTL", "a"}), Int(-1));
  EXPECT_EQ(Run({"INCR", "b"}), Int(1));
  EXPECT_EQ(Run({"APPEND", "c", "x"}), Int(1));
  EXPECT_EQ(Run({"SET", "d", "new", "XX"}), Nil());
  EXPECT_EQ(Run({"RENAME", "d", "e"}), Error("ERR no such key"));
}

TEST_F(ExpiryTest, ExpiredKeysDoNotCountInKeyspaceInfoOnceReclaimed) {
  ASSERT_EQ(Run({"SET", "keep", "v"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "gone", "v", "PX", "50"}), Status("OK"));
  EXPECT_TRUE(WaitFor([&] { return Run({"DBSIZE"}) == Int(1); }, milliseconds(10000)));
  Reply info = Run({"INFO", "keyspace"});
  EXPECT_EQ(InfoField(info.str, "db0").rfind("keys=1,expires=0,", 0), 0u) << info.str;
}

TEST_F(ExpiryTest, ActiveExpiryReclaimsUnreadKeysWhileServing) {
  constexpr int kKeys = 100000;
  constexpr int kBatch = 10000;
  client().SetTimeout(milliseconds(60000));
  for (int start = 0; start < kKeys; start += kBatch) {
    for (int i = start; i < start + kBatch; ++i) {
      client().Append({"SET", "volatile:" + std::to_string(i), "v", "PX", "1000"});
    }
    for (int i = start; i < start + kBatch; ++i) {
      ASSERT_EQ(client().ReadReply(), Status("OK")) << "key " << i;
    }
  }

  // A second client pings throughout; only that every PING is answered is asserted, the
  // latencies are recorded for diagnosis.
  std::atomic<bool> stop{false};
  std::vector<long long> latencies_us;
  int failed_pings = 0;
  std::thread pinger([&] {
    RedisClient pinger_client(port());
    while (!stop.load() && latencies_us.size() < 5000) {
      const auto start = std::chrono::steady_clock::now();
      Reply r = pinger_client.Command({"PING"});
      const auto took = std::chrono::steady_clock::now() - start;
      if (r != Status("PONG")) ++failed_pings;
      latencies_us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
      std::this_thread::sleep_for(milliseconds(2));
    }
  });

  const bool emptied = WaitFor(
      [&] {
        return Run({"DBSIZE"}) == Int(0) && InfoField(Run({"INFO", "keyspace"}).str, "db0").empty();
      },
      milliseconds(10000));
  stop = true;
  pinger.join();

  EXPECT_TRUE(emptied) << "DBSIZE is still " << Run({"DBSIZE"}).ToString()
                       << " and INFO keyspace says " << Run({"INFO", "keyspace"}).str;
  EXPECT_EQ(failed_pings, 0);
  EXPECT_FALSE(latencies_us.empty());
  long long worst = 0;
  for (long long us : latencies_us) worst = std::max(worst, us);
  RecordProperty("pings", static_cast<int>(latencies_us.size()));
  RecordProperty("worst_ping_us", std::to_string(worst));
}

}  // namespace
}  // namespace ember::test
