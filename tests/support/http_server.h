// HttpServer: an ember-server started with the HTTP adapter on a port that was free a
// moment ago, for the tests of the adapter (ServerProcess::StartEmber otherwise turns it off),
// and HttpServerSuite, a fixture that shares one such server across a suite.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {

struct HttpServer {
  ServerProcess process;
  int http_port = 0;
};

// Starts ember-server with `args` plus "--http-port <free port>".
inline HttpServer StartHttpServer(std::vector<std::string> args = {}) {
  const int http_port = ServerProcess::FreePort();
  args.insert(args.end(), {"--http-port", std::to_string(http_port)});
  return HttpServer{ServerProcess::StartEmber(std::move(args)), http_port};
}

// One HttpServer per suite, started with `Derived::ServerArgs()`; each test gets a RESP
// client to it. Start servers from the test's main thread (see ServerProcess).
template <typename Derived>
class HttpServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new HttpServer(StartHttpServer(Derived::ServerArgs())); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->process.running());
    resp_ = std::make_unique<RedisClient>(server_->process.port());
  }
  static int http_port() { return server_->http_port; }

  static inline HttpServer* server_ = nullptr;
  std::unique_ptr<RedisClient> resp_;
};

}  // namespace ember::test
