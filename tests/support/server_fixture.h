// ServerTest: a gtest fixture that starts one ember-server per test suite and hands each
// test a flushed keyspace and a connected client. Tests that stop or kill the server start
// their own ServerProcess instead.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  // Fails (fatally) when the suite's server is not running; otherwise FLUSHALL and connects.
  void SetUp() override;

  static int port() { return server_->port(); }
  RedisClient& client() { return *client_; }
  Reply Run(const std::vector<std::string>& args) { return client_->Command(args); }

 private:
  static ServerProcess* server_;
  std::unique_ptr<RedisClient> client_;
};

// Polls `condition` every 10 ms until it holds or `timeout` passes; returns the last result.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// Splits INFO's bulk string into `field` → `value` pairs, skipping "# Section" headers and
// blank lines. Lines are "\r\n"-terminated, as Redis writes them.
std::vector<std::pair<std::string, std::string>> ParseInfo(const std::string& info);
// The value of `field` in INFO text, or "" when absent.
std::string InfoField(const std::string& info, const std::string& field);

}  // namespace ember::test
