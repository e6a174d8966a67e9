// The backlog's size decides between a partial and a full resync; evictions on a primary
// reach its replicas as DEL; and several instances on one host: the HTTP adapter's default
// port, when another process holds it, leaves the adapter off instead of stopping a start.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "tests/integration/replication_test_util.h"

namespace ember::test::repl {
namespace {

// Writes `values` values of `size` bytes while the replica's link is cut, then lets it
// reconnect: what it lacks must come from the backlog, or from a new snapshot.
void WriteWhileCut(RedisClient& primary, RedisClient& replica, size_t values, size_t size) {
  ASSERT_NO_FATAL_FAILURE(CutLink(primary, replica));
  for (size_t i = 0; i < values; ++i) {
    ASSERT_EQ(primary.Command({"SET", "cut:" + std::to_string(i), std::string(size, 'x')}),
              Status("OK"));
  }
  ASSERT_NO_FATAL_FAILURE(RestoreLink(replica));
}

// With the same writes during a cut, a backlog that holds them gives a partial resync and
// one that does not a full one; on Ember as on redis-server.
TEST(ReplicationResyncTest, BacklogSizeDecidesBetweenPartialAndFullResync) {
  for (Server server : {Server::kEmber, Server::kRedis}) {
    SCOPED_TRACE(server == Server::kEmber ? "ember" : "redis");
    ServerProcess primary_process = StartPrimary(server, {"--repl-backlog-size", "64kb"});
    RedisClient primary(primary_process.port());
    ServerProcess replica_process = StartReplica(Server::kEmber, primary_process.port());
    RedisClient replica(replica_process.port());
    ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));

    ASSERT_NO_FATAL_FAILURE(WriteWhileCut(primary, replica, 10, 1000));  // ~10 kB: fits
    ASSERT_NO_FATAL_FAILURE(WaitForPartialResync(primary, replica));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
    EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_ok"), 1);

    ASSERT_NO_FATAL_FAILURE(WriteWhileCut(primary, replica, 200, 1000));  // ~200 kB: does not
    ASSERT_TRUE(PollUntil([&] { return InfoInt(primary, "stats", "sync_full") == 2; }))
        << primary.Command({"INFO", "stats"}).str;
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_ok"), 1);
    EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_err"), 1);
    ExpectSameData(primary, replica);
  }
}

// maxmemory on the primary: the keys it evicts leave its replica too (the replica evicts
// nothing by itself), on Ember as on redis-server.
TEST(ReplicationResyncTest, EvictionsReachTheReplicaAsDel) {
  for (Server server : {Server::kEmber, Server::kRedis}) {
    SCOPED_TRACE(server == Server::kEmber ? "ember" : "redis");
    ServerProcess primary_process = StartPrimary(server);
    RedisClient primary(primary_process.port());
    ServerProcess replica_process = StartReplica(Server::kEmber, primary_process.port());
    RedisClient replica(replica_process.port());
    ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
    for (int i = 0; i < 2000; ++i) {
      ASSERT_EQ(primary.Command({"SET", "k:" + std::to_string(i), std::string(1000, 'v')}),
                Status("OK"));
    }
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    const long long used = InfoInt(primary, "memory", "used_memory");
    ASSERT_GT(used, 2'000'000);
    // Room for about half the keys: the next write evicts the rest at random.
    const std::string limit = std::to_string(used - 1'000'000);
    ASSERT_EQ(primary.Command({"CONFIG", "SET", "maxmemory-policy", "allkeys-random"}),
              Status("OK"));
    ASSERT_EQ(primary.Command({"CONFIG", "SET", "maxmemory", limit}), Status("OK"));
    ASSERT_EQ(primary.Command({"SET", "trigger", "1"}), Status("OK"));
    EXPECT_GT(InfoInt(primary, "stats", "evicted_keys"), 0);
    // No more eviction while the two datasets are read (every command would evict first).
    ASSERT_EQ(primary.Command({"CONFIG", "SET", "maxmemory", "0"}), Status("OK"));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    EXPECT_EQ(replica.Command({"DBSIZE"}), primary.Command({"DBSIZE"}));
    EXPECT_EQ(InfoInt(replica, "stats", "evicted_keys"), 0);
    ExpectSameData(primary, replica);
  }
}

// Holds 127.0.0.1:8080 (the HTTP adapter's default) unless another process already does.
class DefaultHttpPortHolder {
 public:
  DefaultHttpPortHolder() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(8080);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(fd_, 1) != 0) {
      close(fd_);  // taken already: the condition the test needs holds anyway
      fd_ = -1;
    }
  }
  ~DefaultHttpPortHolder() {
    if (fd_ >= 0) close(fd_);
  }
  DefaultHttpPortHolder(const DefaultHttpPortHolder&) = delete;
  DefaultHttpPortHolder& operator=(const DefaultHttpPortHolder&) = delete;

 private:
  int fd_;
};

TEST(SeveralInstancesTest, TakenDefaultHttpPortLeavesTheAdapterOffAndTheServerUp) {
  DefaultHttpPortHolder holder;
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.port = ServerProcess::FreePort();
  options.args = {"--port", std::to_string(options.port), "--save", ""};
  ServerProcess implicit = ServerProcess::Spawn(options);
  ASSERT_TRUE(implicit.WaitUntilReady()) << implicit.ReadLog();
  EXPECT_NE(implicit.ReadLog().find("The HTTP adapter is off"), std::string::npos)
      << implicit.ReadLog();

  // Asked for explicitly, the same port must be had: the start fails, saying why.
  options.port = ServerProcess::FreePort();
  options.args = {"--port", std::to_string(options.port), "--save", "", "--http-port", "8080"};
  ServerProcess explicit_port = ServerProcess::Spawn(options);
  const std::optional<int> status = explicit_port.WaitForExit(std::chrono::seconds(10));
  ASSERT_TRUE(status.has_value()) << explicit_port.ReadLog();
  EXPECT_NE(*status, 0);
  EXPECT_NE(explicit_port.ReadLog().find("8080"), std::string::npos) << explicit_port.ReadLog();
}

}  // namespace
}  // namespace ember::test::repl
