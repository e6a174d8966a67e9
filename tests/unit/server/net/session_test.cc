// A real Session over a loopback socket pair, driven in-process: the test thread runs the
// io_context and plays the peer with a plain socket. It checks the session side of wakes:
// output posted for a parked connection is written without any input from it, CLIENT
// UNPAUSE releases a held command at once, and an outbox over the output limit closes.
#include "server/net/session.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "server/aof/aof_flush_barrier.h"
#include "server/command/dispatcher.h"
#include "server/core/clock.h"
#include "server/core/server_state.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using std::chrono::milliseconds;

// Generous: these bound a test that would otherwise hang, they measure nothing.
constexpr milliseconds kPatience(10'000);

class SessionTest : public ::testing::Test {
 protected:
  SessionTest() : state_(Config()), dispatcher_(CommandTable::Default(), state_) {
    admin_.id = state_.NextClientId();
    state_.RegisterClient(&admin_);
    tcp::acceptor acceptor(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    peer_.connect(acceptor.local_endpoint());
    tcp::socket server_side(io_);
    acceptor.accept(server_side);
    session_ = std::make_shared<Session>(std::move(server_side), dispatcher_, barrier_);
    asio::co_spawn(io_, session_->Run(), asio::detached);
    io_.poll();
  }
  ~SessionTest() override {
    session_->Close();
    session_.reset();
    io_.run_for(milliseconds(50));
    state_.UnregisterClient(&admin_);
  }

  static ServerConfig Config() {
    ServerConfig config;
    config.client_output_buffer_limits.normal.hard_bytes = 64 * 1024;
    return config;
  }
  // The session's ClientState, as a producer finds it in the registry.
  ClientState& Target() { return *state_.clients().at(session_->client().id); }
  // Runs the loop until `done` holds; false when kPatience ran out.
  bool RunUntil(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.run_one_for(milliseconds(10));
    }
    return true;
  }
  // What the peer received while the loop ran until as many bytes as `expected` has arrived
  // (or the peer closed, or kPatience ran out).
  std::string ReceiveLengthOf(std::string_view expected) {
    const size_t bytes = expected.size();
    std::string got;
    RunUntil([&] {
      boost::system::error_code ec;
      const size_t available = peer_.available(ec);
      if (ec) return true;
      if (available > 0) {
        std::string chunk(available, '\0');
        const size_t n = peer_.read_some(asio::buffer(chunk), ec);
        got.append(chunk, 0, n);
      }
      return got.size() >= bytes;
    });
    return got;
  }
  void Send(std::string_view bytes) { asio::write(peer_, asio::buffer(bytes)); }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState admin_;  // another client, running commands in-process
  asio::io_context io_;
  AofFlushBarrier barrier_{io_.get_executor(), state_};
  tcp::socket peer_{io_};
  std::shared_ptr<Session> session_;
};

TEST_F(SessionTest, OutputPostedForAnIdleConnectionIsWrittenWithoutInput) {
  state_.wakeups().PostBytes(Target(), ">2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n");
  state_.wakeups().Deliver();
  EXPECT_EQ(ReceiveLengthOf(">2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n"),
            ">2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n");
  // The connection still serves requests afterwards.
  Send("PING\r\n");
  EXPECT_EQ(ReceiveLengthOf("+PONG\r\n"), "+PONG\r\n");
}

TEST_F(SessionTest, OutputPostedWhileParkedInARead) {
  Send("PING\r\n");
  ASSERT_EQ(ReceiveLengthOf("+PONG\r\n"), "+PONG\r\n");  // the connection now reads with its buffer
  for (int round = 0; round < 3; ++round) {
    state_.wakeups().PostBytes(Target(), "+one\r\n");
    state_.wakeups().PostBytes(Target(), "+two\r\n");
    state_.wakeups().Deliver();
    EXPECT_EQ(ReceiveLengthOf("+one\r\n+two\r\n"), "+one\r\n+two\r\n");
  }
  EXPECT_TRUE(RunUntil([&] { return Target().output_pending == 0; }));
  Send("ECHO after\r\n");
  EXPECT_EQ(ReceiveLengthOf("$5\r\nafter\r\n"), "$5\r\nafter\r\n");
}

TEST_F(SessionTest, UnpauseReleasesAHeldCommandAtOnceAndItsPipelineRunsInOrder) {
  EXPECT_EQ(RunCommand(dispatcher_, admin_, {"client", "pause", "60000", "write"}, UnixMillis()),
            "+OK\r\n");
  Send("GET k\r\nSET k 1\r\nINCR k\r\nGET k\r\n");
  EXPECT_EQ(ReceiveLengthOf("$-1\r\n"), "$-1\r\n");  // the read runs; the write is held
  ASSERT_TRUE(RunUntil([&] { return Target().blocked; }));
  io_.run_for(milliseconds(100));
  EXPECT_FALSE(state_.keyspace().db(0).size() > 0);
  EXPECT_EQ(RunCommand(dispatcher_, admin_, {"client", "unpause"}, UnixMillis()), "+OK\r\n");
  EXPECT_EQ(ReceiveLengthOf("+OK\r\n:2\r\n$1\r\n2\r\n"), "+OK\r\n:2\r\n$1\r\n2\r\n");
  EXPECT_FALSE(Target().blocked);
}

TEST_F(SessionTest, AHeldConnectionStillReceivesOutput) {
  EXPECT_EQ(RunCommand(dispatcher_, admin_, {"client", "pause", "60000"}, UnixMillis()), "+OK\r\n");
  Send("PING\r\n");
  ASSERT_TRUE(RunUntil([&] { return Target().blocked; }));
  state_.wakeups().PostBytes(Target(), "+pushed\r\n");
  state_.wakeups().Deliver();
  EXPECT_EQ(ReceiveLengthOf("+pushed\r\n"), "+pushed\r\n");
  EXPECT_TRUE(Target().blocked);
  EXPECT_EQ(RunCommand(dispatcher_, admin_, {"client", "unpause"}, UnixMillis()), "+OK\r\n");
  EXPECT_EQ(ReceiveLengthOf("+PONG\r\n"), "+PONG\r\n");
}

TEST_F(SessionTest, AnOutboxOverTheHardLimitClosesTheConnection) {
  state_.wakeups().PostBytes(Target(), std::string(100 * 1024, 'x'));
  state_.wakeups().Deliver();
  char byte;
  boost::system::error_code ec;
  ASSERT_TRUE(RunUntil([&] {
    ec = {};
    peer_.non_blocking(true);
    peer_.read_some(asio::buffer(&byte, 1), ec);
    return ec && ec != asio::error::would_block;
  }));
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

}  // namespace
}  // namespace ember::server
