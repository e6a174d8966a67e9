// In-process tests of client-side caching through the dispatcher, for what side-by-side
// scenarios cannot show: INFO's counts, CLIENT LIST's flags and redir, the
// tracking-table-max-keys bound, BCAST keys gathered until the turn ends, keys of commands
// that name them after a count, scripts' keys, and a disconnect leaving no prefix behind.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

std::string Bulk(std::string_view s) { return fmt::format("${}\r\n{}\r\n", s.size(), s); }

std::string Invalidate(const std::vector<std::string_view>& keys) {
  std::string out = ">2\r\n" + Bulk("invalidate") + fmt::format("*{}\r\n", keys.size());
  for (std::string_view key : keys) out += Bulk(key);
  return out;
}

class TrackingRegistryTest : public ::testing::Test {
 protected:
  TrackingRegistryTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {
    for (uint64_t i = 0; i < 3; ++i) {
      clients_[i].id = i + 1;
      clients_[i].protocol_version = 3;
      state_.RegisterClient(&clients_[i]);
    }
  }
  ~TrackingRegistryTest() override {
    for (ClientState& client : clients_) {
      if (state_.clients().contains(client.id)) state_.UnregisterClient(&client);
    }
  }

  std::string Run(int c, const std::vector<std::string>& args) {
    return RunCommand(dispatcher_, clients_[c], args, 1'000'000);
  }
  std::string Delivered(int c) {
    std::string out;
    out.swap(clients_[c].outbox);
    return out;
  }
  std::string InfoField(std::string_view field) {
    const std::string info = Run(2, {"INFO", "everything"});
    const size_t at = info.find(std::string(field) + ":");
    if (at == std::string::npos) return "(missing)";
    const size_t start = at + field.size() + 1;
    return info.substr(start, info.find('\r', start) - start);
  }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState clients_[3];
};

TEST_F(TrackingRegistryTest, InfoCountsClientsKeysItemsAndPrefixes) {
  EXPECT_EQ(InfoField("tracking_clients"), "0");
  ASSERT_EQ(Run(0, {"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  Run(0, {"MGET", "a", "b"});
  ASSERT_EQ(Run(1, {"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  Run(1, {"GET", "a"});
  EXPECT_EQ(InfoField("tracking_clients"), "2");
  EXPECT_EQ(InfoField("tracking_total_keys"), "2");
  EXPECT_EQ(InfoField("tracking_total_items"), "3");
  Run(2, {"SET", "a", "1"});
  EXPECT_EQ(InfoField("tracking_total_keys"), "1");
  EXPECT_EQ(InfoField("tracking_total_items"), "1");
  EXPECT_EQ(Delivered(0), Invalidate({"a"}));
  EXPECT_EQ(Delivered(1), Invalidate({"a"}));
  ASSERT_EQ(Run(1, {"CLIENT", "TRACKING", "OFF"}), "+OK\r\n");
  ASSERT_EQ(Run(2, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x", "PREFIX", "y"}), "+OK\r\n");
  EXPECT_EQ(InfoField("tracking_clients"), "2");
  EXPECT_EQ(InfoField("tracking_total_prefixes"), "2");
}

TEST_F(TrackingRegistryTest, ClientListShowsTheFlagsAndTheRedirection) {
  ASSERT_EQ(Run(0, {"CLIENT", "TRACKING", "ON", "REDIRECT", "2", "BCAST"}), "+OK\r\n");
  std::string line = Run(0, {"CLIENT", "INFO"});
  EXPECT_NE(line.find(" flags=tB "), std::string::npos) << line;
  EXPECT_NE(line.find(" redir=2 "), std::string::npos) << line;
  // The redirection's client leaves: the next invalidation finds it gone (flag R).
  state_.UnregisterClient(&clients_[1]);
  Run(2, {"SET", "k", "v"});
  state_.tracking().DeliverBroadcasts();
  EXPECT_EQ(Delivered(0), ">2\r\n" + Bulk("tracking-redir-broken") + ":2\r\n");
  line = Run(0, {"CLIENT", "INFO"});
  EXPECT_NE(line.find(" flags=tRB "), std::string::npos) << line;
  line = Run(2, {"CLIENT", "INFO"});
  EXPECT_NE(line.find(" flags=N "), std::string::npos) << line;
  EXPECT_NE(line.find(" redir=-1 "), std::string::npos) << line;
}

TEST_F(TrackingRegistryTest, BroadcastKeysGatherUntilTheTurnEnds) {
  ASSERT_EQ(Run(0, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:"}), "+OK\r\n");
  Run(1, {"SET", "p:2", "v"});
  Run(1, {"MSET", "p:1", "v", "q:1", "v", "p:2", "w"});
  EXPECT_EQ(Delivered(0), "") << "sent before the loop turn ended";
  state_.tracking().DeliverBroadcasts();
  EXPECT_EQ(Delivered(0), Invalidate({"p:1", "p:2"}));
  state_.tracking().DeliverBroadcasts();
  EXPECT_EQ(Delivered(0), "");
}

TEST_F(TrackingRegistryTest, TheTableBoundInvalidatesKeysUntilUnderIt) {
  ASSERT_EQ(Run(0, {"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  for (int i = 0; i < 50; ++i) Run(0, {"GET", fmt::format("key:{}", i)});
  EXPECT_EQ(InfoField("tracking_total_keys"), "50");
  ASSERT_EQ(Run(1, {"CONFIG", "SET", "tracking-table-max-keys", "20"}), "+OK\r\n");
  // The next command (INFO itself) enforces the bound, as Redis's processCommand does.
  EXPECT_EQ(InfoField("tracking_total_keys"), "20");
  // Each key dropped is an invalidation: the client must not keep serving it from cache.
  const std::string pushes = Delivered(0);
  size_t count = 0;
  for (size_t at = pushes.find("invalidate"); at != std::string::npos;
       at = pushes.find("invalidate", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 30u);
  ASSERT_EQ(Run(1, {"CONFIG", "SET", "tracking-table-max-keys", "0"}), "+OK\r\n");
  for (int i = 0; i < 50; ++i) Run(0, {"GET", fmt::format("other:{}", i)});
  Run(1, {"PING"});
  EXPECT_EQ(InfoField("tracking_total_keys"), "70");
}

TEST_F(TrackingRegistryTest, KeysAfterACountAreRemembered) {
  ASSERT_EQ(Run(0, {"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  Run(0, {"ZUNION", "2", "z1", "z2"});
  Run(0, {"SINTERCARD", "1", "s1", "LIMIT", "5"});
  Run(1, {"ZADD", "z2", "1", "m"});
  Run(1, {"SADD", "s1", "m"});
  EXPECT_EQ(Delivered(0), Invalidate({"z2"}) + Invalidate({"s1"}));
}

// Redis 7.0 remembers a script command's declared keys (KEYS), not the keys its script's
// commands name, and only once the script ran a read-only command.
TEST_F(TrackingRegistryTest, ScriptsRememberTheirDeclaredKeysOnceTheyRead) {
  ASSERT_EQ(Run(0, {"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  Run(0, {"EVAL", "return redis.call('get', KEYS[1])", "1", "k1"});
  Run(0, {"EVAL", "return redis.call('get', 'k2')", "0"});
  Run(0, {"EVAL", "return 1", "1", "k3"});
  Run(0, {"EVAL_RO", "return 1", "1", "k4"});
  Run(0, {"EVAL_RO", "return redis.call('exists', 'zz')", "1", "k5"});
  for (const char* key : {"k1", "k2", "k3", "k4", "k5"}) Run(1, {"SET", key, "v"});
  EXPECT_EQ(Delivered(0), Invalidate({"k1"}) + Invalidate({"k5"}));
}

TEST_F(TrackingRegistryTest, ADisconnectLeavesNoPrefixOrCountBehind) {
  ASSERT_EQ(Run(0, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a"}), "+OK\r\n");
  ASSERT_EQ(Run(1, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a"}), "+OK\r\n");
  state_.UnregisterClient(&clients_[0]);
  EXPECT_EQ(InfoField("tracking_clients"), "1");
  EXPECT_EQ(InfoField("tracking_total_prefixes"), "1");
  Run(2, {"SET", "ab", "v"});
  state_.tracking().DeliverBroadcasts();
  EXPECT_EQ(Delivered(1), Invalidate({"ab"}));
  ASSERT_EQ(Run(1, {"RESET"}), "+RESET\r\n");
  EXPECT_EQ(InfoField("tracking_clients"), "0");
  EXPECT_EQ(InfoField("tracking_total_prefixes"), "0");
}

}  // namespace
}  // namespace ember::server
