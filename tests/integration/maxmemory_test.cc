// maxmemory as clients observe it: the OOM gate under noeviction, each eviction policy
// keeping what it should, evicted keys reaching the AOF as DEL, and the access clocks
// behind OBJECT IDLETIME / FREQ, with Redis 7.0's error texts.
//
// Every test starts its own server and sets maxmemory a little above the memory the server
// uses once started, so the limit holds a few thousand keys whatever the binary's baseline.
#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"
#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;

constexpr long long kHeadroom = 1536 * 1024;
// Sized so that kHeadroom holds about 7,500 keys (about 200 B each, in Release and under
// ASan alike): more than the LRU test writes between two clock ticks (4,000), fewer than
// the evictions the tests expect leave room for.
const std::string kValue(150, 'v');

long long InfoNumber(RedisClient& client, const std::string& section, const std::string& field) {
  const std::string value = InfoField(client.Command({"INFO", section}).str, field);
  return value.empty() ? -1 : std::stoll(value);
}

// Sets maxmemory to the current used_memory plus `headroom`; returns the limit.
long long LimitAboveCurrentUse(RedisClient& client, long long headroom) {
  const long long limit = InfoNumber(client, "memory", "used_memory") + headroom;
  EXPECT_EQ(client.Command({"CONFIG", "SET", "maxmemory", std::to_string(limit)}), Status("OK"));
  return limit;
}

// Pipelines SET prefix<i> for i in [from, to) (with `extra` appended to each command) and
// returns the replies.
std::vector<Reply> SetMany(RedisClient& client, const std::string& prefix, int from, int to,
                           const std::vector<std::string>& extra = {}) {
  for (int i = from; i < to; ++i) {
    std::vector<std::string> command = {"SET", prefix + std::to_string(i), kValue};
    command.insert(command.end(), extra.begin(), extra.end());
    client.Append(command);
  }
  std::vector<Reply> replies;
  for (int i = from; i < to; ++i) replies.push_back(client.ReadReply());
  return replies;
}

int CountExisting(RedisClient& client, const std::string& prefix, int count) {
  int found = 0;
  for (int i = 0; i < count; ++i) client.Append({"EXISTS", prefix + std::to_string(i)});
  for (int i = 0; i < count; ++i) found += static_cast<int>(client.ReadReply().integer);
  return found;
}

const Reply kOom = Error("OOM command not allowed when used memory > 'maxmemory'.");

TEST(MaxmemoryTest, NoevictionRefusesWritesButServesReadsAndDeletes) {
  ServerProcess server = ServerProcess::StartEmber({"--save", "", "--appendonly", "no"});
  RedisClient c(server.port());
  LimitAboveCurrentUse(c, kHeadroom);
  int written = 0;
  for (int batch = 0; batch < 20 && written == batch * 1000; ++batch) {
    for (const Reply& reply : SetMany(c, "k", batch * 1000, (batch + 1) * 1000)) {
      if (reply == Status("OK"))
        ++written;
      else
        ASSERT_EQ(reply, kOom);
    }
  }
  ASSERT_GT(written, 1000);
  ASSERT_LT(written, 20000) << "the limit was never reached";
  EXPECT_EQ(c.Command({"SET", "another", "v"}), kOom);
  EXPECT_EQ(c.Command({"APPEND", "k0", "x"}), kOom);
  EXPECT_EQ(c.Command({"GET", "k0"}), Bulk(kValue));
  EXPECT_EQ(c.Command({"INFO", "stats"}).type, Reply::Type::kString);
  EXPECT_EQ(InfoNumber(c, "stats", "evicted_keys"), 0);
  // MULTI: queuing a write is refused and makes EXEC abort.
  EXPECT_EQ(c.Command({"MULTI"}), Status("OK"));
  EXPECT_EQ(c.Command({"SET", "queued", "v"}), kOom);
  EXPECT_EQ(c.Command({"EXEC"}).str.rfind("EXECABORT", 0), 0u);
  // Deleting frees memory at once: writes work again.
  for (int i = 0; i < 500; ++i) c.Append({"DEL", "k" + std::to_string(i)});
  for (int i = 0; i < 500; ++i) EXPECT_EQ(c.ReadReply(), Int(1));
  EXPECT_EQ(c.Command({"SET", "another", "v"}), Status("OK"));
}

TEST(MaxmemoryTest, AllkeysLruKeepsTheHotSet) {
  ServerProcess server = ServerProcess::StartEmber(
      {"--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru"});
  RedisClient c(server.port());
  const long long limit = LimitAboveCurrentUse(c, kHeadroom);
  // The LRU clock ticks once a second (Redis's resolution), so keys stamped in the same
  // second tie. Cold keys are written in rounds a clock tick apart, so at any time the
  // cold keys of earlier seconds are idler than the hot keys read this second.
  auto wait_for_tick = [&](const std::string& key) {
    ASSERT_TRUE(WaitFor(
        [&] {
          return c.Command({"OBJECT", "IDLETIME", key}).integer >= 1;
        },
        milliseconds(3000)));
  };
  int cold = 0;
  for (const Reply& reply : SetMany(c, "cold:", 0, 8000)) ASSERT_EQ(reply, Status("OK"));
  cold = 8000;
  wait_for_tick("cold:" + std::to_string(cold - 1));
  for (const Reply& reply : SetMany(c, "hot:", 0, 100)) ASSERT_EQ(reply, Status("OK"));
  for (int round = 0; round < 3; ++round) {
    for (int batch = 0; batch < 8; ++batch) {
      for (const Reply& reply : SetMany(c, "cold:", cold, cold + 500)) {
        ASSERT_EQ(reply, Status("OK"));
      }
      cold += 500;
      for (int i = 0; i < 100; ++i) c.Append({"GET", "hot:" + std::to_string(i)});
      for (int i = 0; i < 100; ++i) c.ReadReply();
    }
    wait_for_tick("cold:" + std::to_string(cold - 1));
  }
  EXPECT_GE(CountExisting(c, "hot:", 100), 90);
  EXPECT_GT(InfoNumber(c, "stats", "evicted_keys"), 10000);
  const long long used = InfoNumber(c, "memory", "used_memory");
  EXPECT_LE(used, limit + 256 * 1024);
  EXPECT_GE(used, limit - kHeadroom / 2) << "evicted far more than needed";
  const long long keys = c.Command({"DBSIZE"}).integer;
  EXPECT_GT(keys, 1000);
  EXPECT_LT(keys, cold);
}

TEST(MaxmemoryTest, VolatilePoliciesLeaveKeysWithoutTtlAlone) {
  for (const char* policy : {"volatile-ttl", "volatile-lru"}) {
    SCOPED_TRACE(policy);
    ServerProcess server = ServerProcess::StartEmber(
        {"--save", "", "--appendonly", "no", "--maxmemory-policy", policy});
    RedisClient c(server.port());
    LimitAboveCurrentUse(c, kHeadroom);
    for (const Reply& reply : SetMany(c, "keep:", 0, 1000)) ASSERT_EQ(reply, Status("OK"));
    for (const Reply& reply : SetMany(c, "ttl:", 0, 15000, {"EX", "1000"})) {
      ASSERT_EQ(reply, Status("OK"));
    }
    EXPECT_EQ(CountExisting(c, "keep:", 1000), 1000);
    EXPECT_GT(InfoNumber(c, "stats", "evicted_keys"), 5000);
    // Once only keys without TTL are left, nothing is evictable: writes are refused.
    std::vector<Reply> replies = SetMany(c, "more:", 0, 15000);
    EXPECT_EQ(replies.back(), kOom);
    EXPECT_EQ(CountExisting(c, "keep:", 1000), 1000);
  }
}

TEST(MaxmemoryTest, AllkeysRandomEvictsAndEvictionsReachTheAofAsDel) {
  ServerProcess server =
      ServerProcess::StartEmber({"--save", "", "--appendonly", "yes", "--appendfsync", "always",
                                 "--maxmemory-policy", "allkeys-random"});
  RedisClient c(server.port());
  LimitAboveCurrentUse(c, kHeadroom);
  for (const Reply& reply : SetMany(c, "k", 0, 15000)) ASSERT_EQ(reply, Status("OK"));
  // Every command may evict first (as in Redis), so the two figures are read in one EXEC.
  ASSERT_EQ(c.Command({"MULTI"}), Status("OK"));
  ASSERT_EQ(c.Command({"DBSIZE"}), Status("QUEUED"));
  ASSERT_EQ(c.Command({"INFO", "stats"}), Status("QUEUED"));
  const Reply both = c.Command({"EXEC"});
  ASSERT_EQ(both.elements.size(), 2u) << both.ToString();
  const long long evicted = std::stoll(InfoField(both.elements[1].str, "evicted_keys"));
  EXPECT_GT(evicted, 5000);
  EXPECT_EQ(both.elements[0].integer, 15000 - evicted);
  ASSERT_TRUE(aof::WaitForAofWritten(c));
  const long long evicted_before_reading = InfoNumber(c, "stats", "evicted_keys");
  long long dels = 0;
  for (const aof::LoggedCommand& command : aof::ReadLoggedCommands(server.workdir())) {
    if (command.argv[0] == "DEL") {
      ++dels;
      EXPECT_EQ(command.db, 0);
    }
  }
  EXPECT_EQ(dels, evicted_before_reading);
}

TEST(MaxmemoryTest, LoweringMaxmemoryEvictsAtOnce) {
  ServerProcess server = ServerProcess::StartEmber(
      {"--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru"});
  RedisClient c(server.port());
  for (const Reply& reply : SetMany(c, "k", 0, 5000)) ASSERT_EQ(reply, Status("OK"));
  EXPECT_EQ(InfoNumber(c, "stats", "evicted_keys"), 0);
  LimitAboveCurrentUse(c, -256 * 1024);
  EXPECT_GT(InfoNumber(c, "stats", "evicted_keys"), 500);
}

TEST(MaxmemoryTest, ObjectIdletimeGrowsAndAccessResetsIt) {
  ServerProcess server = ServerProcess::StartEmber({"--save", "", "--appendonly", "no"});
  RedisClient c(server.port());
  ASSERT_EQ(c.Command({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(c.Command({"OBJECT", "IDLETIME", "k"}), Int(0));
  ASSERT_TRUE(WaitFor(
      [&] {
        return c.Command({"OBJECT", "IDLETIME", "k"}).integer >= 1;
      },
      milliseconds(3000)));
  // Lookups that do not touch leave it (Redis's LOOKUP_NOTOUCH).
  c.Command({"TYPE", "k"});
  c.Command({"EXISTS", "k"});
  c.Command({"TTL", "k"});
  EXPECT_GE(c.Command({"OBJECT", "IDLETIME", "k"}).integer, 1);
  EXPECT_EQ(c.Command({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(c.Command({"OBJECT", "IDLETIME", "k"}), Int(0));
}

TEST(MaxmemoryTest, ObjectFreqRisesWithAccessesUnderLfu) {
  ServerProcess server = ServerProcess::StartEmber(
      {"--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lfu"});
  RedisClient c(server.port());
  ASSERT_EQ(c.Command({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(c.Command({"OBJECT", "FREQ", "k"}), Int(5));  // LFU_INIT_VAL
  for (int i = 0; i < 200; ++i) c.Append({"GET", "k"});
  for (int i = 0; i < 200; ++i) c.ReadReply();
  const long long freq = c.Command({"OBJECT", "FREQ", "k"}).integer;
  EXPECT_GE(freq, 7);
  EXPECT_LT(freq, 30);  // logarithmic: 200 hits are far from 255
  EXPECT_EQ(c.Command({"CONFIG", "GET", "lfu-log-factor"}), BulkArray({"lfu-log-factor", "10"}));
  EXPECT_EQ(c.Command({"CONFIG", "GET", "lfu-decay-time"}), BulkArray({"lfu-decay-time", "1"}));
}

TEST(MaxmemoryTest, ErrorTextsMatchRedis) {
  ServerProcess ember = ServerProcess::StartEmber({"--save", "", "--appendonly", "no"});
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient e(ember.port());
  RedisClient r(redis.port());
  const std::vector<std::vector<std::string>> script = {
      {"SET", "k", "v"},
      {"OBJECT", "FREQ", "k"},
      {"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"},
      {"OBJECT", "IDLETIME", "k"},
      {"OBJECT", "FREQ", "k"},
      {"CONFIG", "SET", "lfu-log-factor", "-1"},
      {"CONFIG", "SET", "maxmemory-policy", "noeviction"},
      {"CONFIG", "SET", "maxmemory", "1"},
      {"SET", "x", "y"},
      {"GET", "k"},
      {"MULTI"},
      {"GET", "k"},
      {"EXEC"},
      {"DEL", "k"},
      {"CONFIG", "SET", "maxmemory", "0"},
  };
  for (const auto& command : script) {
    SCOPED_TRACE(command[0] + " " + (command.size() > 1 ? command[1] : ""));
    EXPECT_EQ(e.Command(command), r.Command(command));
  }
}

}  // namespace
}  // namespace ember::test
