// Blocking pops under load: 50 clients blocked on one list, served in the order they
// blocked, and 50,000 pushed elements each delivered exactly once while some waiters time
// out and others disconnect mid-wait. A client that disconnects half-closes its socket
// (shutdown of its write side), so whatever the server sent before it noticed the close is
// still read and counted: "delivered" means written to the client's socket, which is the
// most any server can promise without an acknowledgement (BLMOVE is the reliable form).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "protocol/reply_reader.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_fixture.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using namespace std::chrono_literals;

constexpr int kWaiters = 50;

// One waiting client on a raw socket: sends BLPOP, reads replies as they come.
class Waiter {
 public:
  explicit Waiter(int port) : port_(port) { Connect(); }

  void Connect() { connection_ = std::make_unique<RawConnection>(port_); }
  bool SendBlpop(const std::string& key, const std::string& timeout) {
    return connection_->Send(RespRequest({"BLPOP", key, timeout}));
  }
  // The next reply, or nullopt when none completed within `timeout` or the peer closed.
  std::optional<protocol::ReplyValue> Next(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto result = protocol::ReadReply(buffer_)) {
        buffer_.erase(0, result->consumed);
        return result->value;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      std::string chunk = connection_->ReadSome(left);
      if (chunk.empty()) return std::nullopt;
      buffer_ += chunk;
    }
  }
  // Half-closes the socket, then returns every reply the server sent before closing.
  std::vector<protocol::ReplyValue> HangUp() {
    ::shutdown(connection_->fd(), SHUT_WR);
    buffer_ += connection_->ReadUntilClosed(5s);
    std::vector<protocol::ReplyValue> replies;
    while (auto result = protocol::ReadReply(buffer_)) {
      buffer_.erase(0, result->consumed);
      replies.push_back(result->value);
    }
    buffer_.clear();
    return replies;
  }

 private:
  int port_;
  std::unique_ptr<RawConnection> connection_;
  std::string buffer_;
};

// The popped element of a BLPOP reply, or nullopt for a timeout's null.
std::optional<std::string> PoppedElement(const protocol::ReplyValue& reply) {
  if (reply.type != protocol::ReplyValue::Type::kArray || reply.elements.size() != 2) {
    return std::nullopt;
  }
  return reply.elements[1].text;
}

int BlockedClients(RedisClient& client) {
  return std::stoi(InfoField(client.Command({"INFO", "clients"}).str, "blocked_clients"));
}

TEST(BlockingStressTest, FiftyWaitersAreServedInTheOrderTheyBlocked) {
  ServerProcess server = ServerProcess::StartEmber();
  RedisClient control(server.port());
  std::vector<std::unique_ptr<Waiter>> waiters;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kWaiters; ++i) {
      if (round == 0) waiters.push_back(std::make_unique<Waiter>(server.port()));
      // Each one blocks before the next is sent, so the blocking order is known.
      ASSERT_TRUE(waiters[i]->SendBlpop("q", "0"));
      ASSERT_TRUE(WaitFor([&] { return BlockedClients(control) == i + 1; }, 5s)) << i;
    }
    std::vector<std::string> push = {"RPUSH", "q"};
    for (int i = 0; i < kWaiters; ++i)
      push.push_back("r" + std::to_string(round) + "-" + std::to_string(i));
    ASSERT_EQ(control.Command(push), Int(kWaiters));
    for (int i = 0; i < kWaiters; ++i) {
      std::optional<protocol::ReplyValue> reply = waiters[i]->Next(5s);
      ASSERT_TRUE(reply.has_value()) << "waiter " << i << " not served";
      EXPECT_EQ(PoppedElement(*reply), push[2 + i]) << "waiter " << i << " round " << round;
    }
    EXPECT_EQ(control.Command({"EXISTS", "q"}), Int(0));
  }
}

TEST(BlockingStressTest, EveryPushedElementIsDeliveredOnceDespiteTimeoutsAndHangUps) {
  constexpr int kElements = 50000;
  constexpr int kPerPush = 10;
  ServerProcess server = ServerProcess::StartEmber();
  std::mutex mutex;
  std::unordered_map<std::string, int> delivered;  // element → times delivered
  std::atomic<int> delivered_count{0};
  std::atomic<int> timeouts{0};
  std::atomic<int> hang_ups{0};
  std::atomic<bool> stop{false};
  const auto record = [&](const protocol::ReplyValue& reply) {
    if (std::optional<std::string> element = PoppedElement(reply)) {
      std::lock_guard<std::mutex> lock(mutex);
      ++delivered[*element];
      ++delivered_count;
    } else {
      ++timeouts;
    }
  };

  std::vector<std::thread> threads;
  for (int w = 0; w < kWaiters; ++w) {
    threads.emplace_back([&, w] {
      Waiter waiter(server.port());
      // A fifth of the waiters time out often, a fifth hang up now and then.
      const std::string timeout = w % 5 == 0 ? "0.01" : "0.5";
      for (int popped = 0; !stop; ++popped) {
        if (!waiter.SendBlpop("q", timeout)) return;
        if (w % 5 == 1 && popped % 50 == 49) {
          std::this_thread::sleep_for(1ms);
          for (const protocol::ReplyValue& reply : waiter.HangUp()) record(reply);
          ++hang_ups;
          waiter.Connect();
          continue;
        }
        std::optional<protocol::ReplyValue> reply = waiter.Next(10s);
        if (!reply) return;
        record(*reply);
      }
    });
  }
  {
    RedisClient producer(server.port());
    for (int i = 0; i < kElements; i += kPerPush) {
      std::vector<std::string> push = {"RPUSH", "q"};
      for (int j = i; j < i + kPerPush; ++j) push.push_back("e" + std::to_string(j));
      ASSERT_EQ(producer.Command(push).type, Reply::Type::kInteger);
    }
    WaitFor([&] { return delivered_count.load() >= kElements; }, 60s);
    stop = true;
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(producer.Command({"LLEN", "q"}), Int(0));
  }

  EXPECT_EQ(delivered_count.load(), kElements);
  int missing = 0;
  int duplicated = 0;
  for (int i = 0; i < kElements; ++i) {
    auto found = delivered.find("e" + std::to_string(i));
    if (found == delivered.end()) ++missing;
    if (found != delivered.end() && found->second > 1) ++duplicated;
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_GT(timeouts.load(), 0) << "no waiter timed out: the test did not exercise timeouts";
  EXPECT_GT(hang_ups.load(), 0) << "no waiter hung up: the test did not exercise disconnects";
}

}  // namespace
}  // namespace ember::test
