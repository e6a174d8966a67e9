// EmbeddedEngine and EmbeddedConnection: the server's engine without a socket — settings,
// files, direct commands, and RESP connections with blocking pops, pub/sub and pipelines.
#include "embedded/embedded_engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "embedded/embedded_connection.h"
#include "server/core/clock.h"
#include "tests/support/temp_dir.h"

namespace ember::embedded {
namespace {

using Clock = std::chrono::steady_clock;
using Status = EmbeddedConnection::ReceiveStatus;

std::shared_ptr<EmbeddedEngine> OpenOrFail(const std::vector<std::string>& settings,
                                           const std::string& dir = "") {
  std::string error;
  std::shared_ptr<EmbeddedEngine> engine = EmbeddedEngine::Open(settings, dir, &error);
  EXPECT_NE(engine, nullptr) << error;
  return engine;
}

// Runs one command for `client` as the module's direct calls do; returns the raw reply.
std::string Run(EmbeddedEngine& engine, server::ClientState& client,
                std::vector<std::string_view> args) {
  std::lock_guard lock(engine.mutex());
  std::string out;
  protocol::ReplyWriter writer(&out, client.protocol_version);
  engine.Execute(args, client, writer, server::UnixMillis());
  EXPECT_TRUE(engine.FlushForReplies(server::UnixMillis()));
  return out;
}

// Everything the connection produces within `wait`.
std::string ReceiveFor(EmbeddedEngine& engine, EmbeddedConnection& connection,
                       std::chrono::milliseconds wait, Status* status = nullptr) {
  std::unique_lock lock(engine.mutex());
  std::string out;
  const Status got = connection.Receive(lock, 1 << 20, Clock::now() + wait, &out);
  if (status != nullptr) *status = got;
  return out;
}

void Send(EmbeddedEngine& engine, EmbeddedConnection& connection, std::string_view bytes) {
  std::lock_guard lock(engine.mutex());
  ASSERT_TRUE(connection.Send(bytes));
}

std::unique_ptr<EmbeddedConnection> Connect(const std::shared_ptr<EmbeddedEngine>& engine) {
  std::lock_guard lock(engine->mutex());
  return std::make_unique<EmbeddedConnection>(engine);
}

void Disconnect(EmbeddedEngine& engine, std::unique_ptr<EmbeddedConnection>& connection) {
  std::lock_guard lock(engine.mutex());
  connection.reset();
}

class DirectClient {
 public:
  explicit DirectClient(std::shared_ptr<EmbeddedEngine> engine) : engine_(std::move(engine)) {
    std::lock_guard lock(engine_->mutex());
    engine_->Attach(client_);
  }
  ~DirectClient() {
    std::lock_guard lock(engine_->mutex());
    engine_->Detach(client_);
  }
  std::string operator()(std::vector<std::string_view> args) {
    return Run(*engine_, client_, std::move(args));
  }

 private:
  std::shared_ptr<EmbeddedEngine> engine_;
  server::ClientState client_;
};

TEST(EmbeddedEngineTest, RunsCommandsThroughTheServersTable) {
  auto engine = OpenOrFail({});
  DirectClient run(engine);
  EXPECT_EQ(run({"SET", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(run({"LPUSH", "k", "x"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"CONFIG", "GET", "save"}), "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
}

TEST(EmbeddedEngineTest, SettingsComeFromTheRegistry) {
  auto engine = OpenOrFail({"--maxmemory", "3mb", "--databases", "4"});
  DirectClient run(engine);
  EXPECT_EQ(run({"CONFIG", "GET", "maxmemory"}), "*2\r\n$9\r\nmaxmemory\r\n$7\r\n3145728\r\n");
  EXPECT_EQ(run({"SELECT", "4"}), "-ERR DB index is out of range\r\n");
  std::string error;
  EXPECT_EQ(EmbeddedEngine::Open({"--maxmemory-policy", "often"}, "", &error), nullptr);
  EXPECT_NE(error.find("maxmemory-policy"), std::string::npos) << error;
}

TEST(EmbeddedEngineTest, MemoryOnlyEngineRefusesCommandsThatWriteFiles) {
  auto engine = OpenOrFail({});
  DirectClient run(engine);
  for (std::vector<std::string_view> args : {std::vector<std::string_view>{"SAVE"},
                                             {"bgsave"},
                                             {"BGREWRITEAOF"},
                                             {"SHUTDOWN", "SAVE"},
                                             {"CONFIG", "SET", "appendonly", "yes"}}) {
    EXPECT_EQ(run(args).rfind("-ERR this Ember store keeps its data in memory only", 0), 0u)
        << args[0];
  }
}

TEST(EmbeddedEngineTest, CloseSavesIntoTheDataDirectoryAndOpenLoadsIt) {
  test::TempDir dir;
  {
    auto engine = OpenOrFail({}, dir.path());
    DirectClient run(engine);
    EXPECT_EQ(run({"SET", "kept", "yes"}), "+OK\r\n");
    std::string error;
    std::lock_guard lock(engine->mutex());
    ASSERT_TRUE(engine->Close(EmbeddedEngine::CloseSave::kDefault, &error)) << error;
  }
  ASSERT_TRUE(std::filesystem::exists(dir.path() + "/dump.rdb"));
  auto reopened = OpenOrFail({}, dir.path());
  DirectClient run(reopened);
  EXPECT_EQ(run({"GET", "kept"}), "$3\r\nyes\r\n");
}

TEST(EmbeddedEngineTest, UsedMemoryCountsTheDataNotTheHost) {
  auto engine = OpenOrFail({});
  DirectClient run(engine);
  uint64_t before = 0;
  {
    std::lock_guard lock(engine->mutex());
    before = engine->state().UsedMemory();
  }
  run({"SET", "big", std::string(1 << 20, 'x')});
  std::lock_guard lock(engine->mutex());
  EXPECT_GE(engine->state().UsedMemory(), before + (1 << 20));
  EXPECT_LT(engine->state().UsedMemory(), before + (1 << 20) + (64 << 10));
}

TEST(EmbeddedConnectionTest, RepliesToRespAndInlineCommands) {
  auto engine = OpenOrFail({});
  auto connection = Connect(engine);
  Send(*engine, *connection, "*1\r\n$4\r\nPING\r\nECHO hi\r\n");
  EXPECT_EQ(ReceiveFor(*engine, *connection, std::chrono::milliseconds(100)),
            "+PONG\r\n$2\r\nhi\r\n");
  Status status;
  EXPECT_EQ(ReceiveFor(*engine, *connection, std::chrono::milliseconds(20), &status), "");
  EXPECT_EQ(status, Status::kTimedOut);
  Disconnect(*engine, connection);
}

TEST(EmbeddedConnectionTest, ProtocolErrorRepliesThenCloses) {
  auto engine = OpenOrFail({});
  auto connection = Connect(engine);
  Send(*engine, *connection, "*1\r\n$abc\r\n");
  EXPECT_EQ(ReceiveFor(*engine, *connection, std::chrono::milliseconds(100)),
            "-ERR Protocol error: invalid bulk length\r\n");
  Status status;
  ReceiveFor(*engine, *connection, std::chrono::milliseconds(100), &status);
  EXPECT_EQ(status, Status::kClosed);
  std::lock_guard lock(engine->mutex());
  EXPECT_FALSE(connection->Send("PING\r\n"));
  connection.reset();
}

TEST(EmbeddedConnectionTest, BlockedPopIsServedByAnotherClientsPushThenBufferedCommandsRun) {
  auto engine = OpenOrFail({});
  auto waiter = Connect(engine);
  auto pusher = Connect(engine);
  Send(*engine, *waiter, "BLPOP queue 0\r\nPING\r\n");
  Status status;
  EXPECT_EQ(ReceiveFor(*engine, *waiter, std::chrono::milliseconds(50), &status), "");
  EXPECT_EQ(status, Status::kTimedOut);
  Send(*engine, *pusher, "RPUSH queue job\r\n");
  EXPECT_EQ(ReceiveFor(*engine, *pusher, std::chrono::milliseconds(100)), ":1\r\n");
  EXPECT_EQ(ReceiveFor(*engine, *waiter, std::chrono::milliseconds(100)),
            "*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n+PONG\r\n");
  Disconnect(*engine, waiter);
  Disconnect(*engine, pusher);
}

TEST(EmbeddedConnectionTest, BlockedPopTimesOutWithTheNullReply) {
  auto engine = OpenOrFail({});
  auto waiter = Connect(engine);
  Send(*engine, *waiter, "BLPOP queue 0.05\r\n");
  const auto start = Clock::now();
  EXPECT_EQ(ReceiveFor(*engine, *waiter, std::chrono::seconds(5)), "*-1\r\n");
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(45));
  Disconnect(*engine, waiter);
}

TEST(EmbeddedConnectionTest, PublishReachesASubscriberOfTheSameEngine) {
  auto engine = OpenOrFail({});
  auto subscriber = Connect(engine);
  auto publisher = Connect(engine);
  Send(*engine, *subscriber, "SUBSCRIBE news\r\n");
  EXPECT_EQ(ReceiveFor(*engine, *subscriber, std::chrono::milliseconds(100)),
            "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
  Send(*engine, *publisher, "PUBLISH news hello\r\n");
  EXPECT_EQ(ReceiveFor(*engine, *publisher, std::chrono::milliseconds(100)), ":1\r\n");
  EXPECT_EQ(ReceiveFor(*engine, *subscriber, std::chrono::milliseconds(100)),
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
  Disconnect(*engine, subscriber);
  Disconnect(*engine, publisher);
}

TEST(EmbeddedConnectionTest, ClientListShowsEveryConnection) {
  auto engine = OpenOrFail({});
  auto first = Connect(engine);
  auto second = Connect(engine);
  Send(*engine, *first, "CLIENT SETNAME worker\r\nCLIENT LIST\r\n");
  const std::string reply = ReceiveFor(*engine, *first, std::chrono::milliseconds(100));
  EXPECT_NE(reply.find("name=worker"), std::string::npos) << reply;
  EXPECT_NE(reply.find("addr=in-process"), std::string::npos) << reply;
  Disconnect(*engine, second);
  Disconnect(*engine, first);
}

}  // namespace
}  // namespace ember::embedded
