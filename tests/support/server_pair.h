// A fixture base for tests that send the same commands to ember-server and the reference
// redis-server 7.0 and compare: one pair of servers per suite (starting them dominates a
// short test), both flushed before each test, one connection to each.
// `Base` is ::testing::Test or ::testing::TestWithParam<T>.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {

template <typename Base>
class ServerPairFixture : public Base {
 protected:
  static void SetUpTestSuite() {
    ember_ = new ServerProcess(ServerProcess::StartEmber());
    redis_ = new ServerProcess(ServerProcess::StartReference());
  }
  static void TearDownTestSuite() {
    delete ember_;
    delete redis_;
    ember_ = nullptr;
    redis_ = nullptr;
  }

  void SetUp() override {
    ember_client_ = std::make_unique<RedisClient>(ember_->port());
    redis_client_ = std::make_unique<RedisClient>(redis_->port());
    ASSERT_EQ(ember_client_->Command({"FLUSHALL"}), Status("OK"));
    ASSERT_EQ(redis_client_->Command({"FLUSHALL"}), Status("OK"));
  }

  RedisClient& ember() { return *ember_client_; }
  RedisClient& redis() { return *redis_client_; }

  // Both servers' replies to `argv`, which must be equal (a failure names the command);
  // returns the reference's.
  Reply Both(const std::vector<std::string>& argv) {
    const Reply from_ember = ember().Command(argv);
    const Reply from_redis = redis().Command(argv);
    std::string line;
    for (const std::string& arg : argv) line += arg + " ";
    EXPECT_EQ(from_ember, from_redis) << line;
    return from_redis;
  }

 private:
  inline static ServerProcess* ember_ = nullptr;
  inline static ServerProcess* redis_ = nullptr;
  std::unique_ptr<RedisClient> ember_client_;
  std::unique_ptr<RedisClient> redis_client_;
};

}  // namespace ember::test
