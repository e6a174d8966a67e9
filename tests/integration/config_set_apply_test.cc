// CONFIG SET's apply step on the real binary, beside redis-server 7.0: `port` and `bind`
// rebind the listener at runtime (new connections on the new port, none on the old one,
// open connections untouched), and when an apply fails (a port already in use) every
// setting of the command goes back to its previous value, with Redis's error text.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

// A socket listening on 127.0.0.1:`port`, so nothing else can bind it there.
class PortSquatter {
 public:
  explicit PortSquatter(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    listening_ = bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                 listen(fd_, 1) == 0;
  }
  ~PortSquatter() { close(fd_); }
  PortSquatter(const PortSquatter&) = delete;
  PortSquatter& operator=(const PortSquatter&) = delete;
  bool listening() const { return listening_; }

 private:
  int fd_;
  bool listening_ = false;
};

// Whether something accepts connections on 127.0.0.1:`port`.
bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

class ConfigSetApplyTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    server_.emplace(GetParam() ? ServerProcess::StartReference({"--bind", "127.0.0.1"})
                               : ServerProcess::StartEmber({"--bind", "127.0.0.1"}));
    ASSERT_TRUE(server_->running())
        << (GetParam() ? "redis-server" : "ember-server") << " did not start: run tools/test";
  }
  std::optional<ServerProcess> server_;
};

TEST_P(ConfigSetApplyTest, FailedPortApplyRestoresEverySetting) {
  RedisClient client(server_->port());
  const int taken = ServerProcess::FreePort();
  PortSquatter squatter(taken);
  ASSERT_TRUE(squatter.listening());
  const Reply reply = client.Command(
      {"CONFIG", "SET", "maxmemory", "10mb", "port", std::to_string(taken), "timeout", "30"});
  EXPECT_EQ(reply.str,
            "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on "
            "this port. Check server logs.");
  EXPECT_EQ(client.Command({"CONFIG", "GET", "maxmemory"}), BulkArray({"maxmemory", "0"}));
  EXPECT_EQ(client.Command({"CONFIG", "GET", "timeout"}), BulkArray({"timeout", "0"}));
  EXPECT_EQ(client.Command({"CONFIG", "GET", "port"}),
            BulkArray({"port", std::to_string(server_->port())}));
  RedisClient newcomer(server_->port());
  EXPECT_EQ(newcomer.Command({"PING"}).str, "PONG");
}

TEST_P(ConfigSetApplyTest, PortChangesAtRuntime) {
  RedisClient client(server_->port());
  const int fresh = ServerProcess::FreePort();
  ASSERT_EQ(client.Command({"CONFIG", "SET", "port", std::to_string(fresh)}).str, "OK");
  EXPECT_EQ(client.Command({"PING"}).str, "PONG") << "an open connection survives";
  RedisClient on_new_port(fresh);
  EXPECT_EQ(on_new_port.Command({"CONFIG", "GET", "port"}),
            BulkArray({"port", std::to_string(fresh)}));
  EXPECT_FALSE(Accepts(server_->port())) << "the old port still accepts";
  // Back, so the fixture's shutdown finds the server where it started it.
  ASSERT_EQ(on_new_port.Command({"CONFIG", "SET", "port", std::to_string(server_->port())}).str,
            "OK");
}

TEST_P(ConfigSetApplyTest, UnbindableAddressKeepsTheOldBind) {
  RedisClient client(server_->port());
  const Reply reply = client.Command({"CONFIG", "SET", "bind", "192.0.2.1"});
  EXPECT_EQ(reply.str,
            "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to "
            "specified addresses.");
  EXPECT_EQ(client.Command({"CONFIG", "GET", "bind"}), BulkArray({"bind", "127.0.0.1"}));
  RedisClient newcomer(server_->port());
  EXPECT_EQ(newcomer.Command({"PING"}).str, "PONG");
}

INSTANTIATE_TEST_SUITE_P(Servers, ConfigSetApplyTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& server) {
                           return server.param ? std::string("Redis") : std::string("Ember");
                         });

}  // namespace
}  // namespace ember::test
