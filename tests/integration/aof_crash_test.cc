// SIGKILL against the append-only file: concurrent clients record every acknowledged SET
// while the server is killed mid-stream; after a restart each acknowledged key is there
// (appendfsync always), or at most ~2 s of them are missing (everysec: the page cache
// survives a SIGKILL, so only writes postponed behind a running background fsync can be
// lost; the loss is reported, and measured 0 so far). A rewrite interrupted by a SIGKILL
// of the server or of its child leaves a set that loads.
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <atomic>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using aof::TempDir;
using Clock = std::chrono::steady_clock;

constexpr int kWriters = 4;

// When the stream is cut: after `acks` acknowledgements or `deadline`, whichever comes
// first; each writer sends at most `per_writer` SETs.
struct StreamBounds {
  size_t per_writer;
  size_t acks;
  std::chrono::milliseconds deadline;
};
// ~1.5 s for everysec, so that background fsyncs (one a second) run during the stream.
constexpr StreamBounds kAlwaysBounds{5'000, 12'000, std::chrono::milliseconds(2000)};
constexpr StreamBounds kEverysecBounds{60'000, 200'000, std::chrono::milliseconds(1500)};

std::string Key(int writer, size_t i) {
  return "w" + std::to_string(writer) + ":" + std::to_string(i);
}
std::string Value(int writer, size_t i) {
  return "value-" + std::to_string(writer * 1'000'003 + i);
}

struct CrashOutcome {
  size_t acked = 0;    // replies +OK received before the connection died
  size_t lost = 0;     // acknowledged keys missing after the restart
  size_t wrong = 0;    // acknowledged keys present with another value
  double seconds = 0;  // from the first write to the SIGKILL
  double rate() const { return seconds > 0 ? static_cast<double>(acked) / seconds : 0; }
};

// kWriters clients each send SETs one at a time (so every +OK acknowledges exactly one key)
// until the server is killed as `bounds` say.
CrashOutcome WriteKillRestart(const std::string& policy, const StreamBounds& bounds) {
  TempDir dir;
  const std::vector<std::string> args = {"--appendfsync", policy};
  ServerProcess server = aof::StartAof(dir.path(), args);
  if (!server.running()) return {};
  const int port = server.port();
  std::array<std::atomic<size_t>, kWriters> acked{};
  std::vector<std::thread> writers;
  const auto start = Clock::now();
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      RedisClient client(port);
      for (size_t i = 0; i < bounds.per_writer; ++i) {
        if (client.Command({"SET", Key(w, i), Value(w, i)}) != Status("OK")) return;
        acked[w].store(i + 1);
      }
    });
  }
  auto total = [&] {
    size_t sum = 0;
    for (const auto& a : acked) sum += a.load();
    return sum;
  };
  WaitFor([&] { return total() >= bounds.acks; }, bounds.deadline);
  server.Kill();
  CrashOutcome out;
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& writer : writers) writer.join();
  out.acked = total();
  EXPECT_LT(out.acked, kWriters * bounds.per_writer) << "the kill came after the stream ended";

  server = aof::StartAof(dir.path(), args);
  if (!server.running()) return out;
  RedisClient client(server.port());
  for (int w = 0; w < kWriters; ++w) {
    for (size_t i = 0; i < acked[w]; ++i) client.Append({"GET", Key(w, i)});
    for (size_t i = 0; i < acked[w]; ++i) {
      const Reply reply = client.ReadReply();
      if (reply.type == Reply::Type::kNil) {
        ++out.lost;
      } else if (reply != Bulk(Value(w, i))) {
        ++out.wrong;
      }
    }
  }
  // Each writer had at most one unacknowledged SET in flight.
  const long long dbsize = client.Command({"DBSIZE"}).integer;
  EXPECT_LE(dbsize, static_cast<long long>(out.acked) + kWriters);
  EXPECT_GE(dbsize, static_cast<long long>(out.acked - out.lost));
  return out;
}

void Report(const std::string& policy, const CrashOutcome& out) {
  ::testing::Test::RecordProperty("acked_writes", static_cast<int>(out.acked));
  ::testing::Test::RecordProperty("acked_writes_lost", static_cast<int>(out.lost));
  ::testing::Test::RecordProperty("acks_per_second", static_cast<int>(out.rate()));
  std::cout << "[ appendfsync " << policy << " ] acknowledged=" << out.acked << " lost=" << out.lost
            << " wrong=" << out.wrong << " in " << out.seconds << " s ("
            << static_cast<long>(out.rate()) << " acks/s)" << std::endl;
}

void ExpectNothingLost(const std::string& policy, const StreamBounds& bounds) {
  const CrashOutcome out = WriteKillRestart(policy, bounds);
  Report(policy, out);
  EXPECT_GT(out.acked, 100u);
  EXPECT_EQ(out.lost, 0u);
  EXPECT_EQ(out.wrong, 0u);
}

TEST(AofCrashTest, AlwaysKeepsEveryAcknowledgedWriteThroughSigkill) {
  ExpectNothingLost("always", kAlwaysBounds);
}

TEST(AofCrashTest, EverysecLosesAtMostTwoSecondsOfAcknowledgedWrites) {
  const CrashOutcome out = WriteKillRestart("everysec", kEverysecBounds);
  Report("everysec", out);
  EXPECT_GT(out.acked, 100u);
  EXPECT_LE(static_cast<double>(out.lost), 2.0 * out.rate() + kWriters);
  EXPECT_EQ(out.wrong, 0u);
}

// Under `no` every command is written to the kernel before its reply and no fsync ever
// postpones a write, so a process kill (the page cache survives it) loses nothing.
TEST(AofCrashTest, NoFsyncKeepsEveryAcknowledgedWriteThroughSigkill) {
  ExpectNothingLost("no", kEverysecBounds);
}

// A server whose set starts as a large imported dump, so a rewrite runs long enough to be
// caught in the middle.
constexpr size_t kLargeKeys = 500'000;
ServerProcess StartLarge(const TempDir& dir, std::vector<std::string> extra = {}) {
  aof::WriteFile(dir.file("dump.rdb"), rdb::SyntheticDump(kLargeKeys, 0));
  return aof::StartAof(dir.path(), std::move(extra));
}

void WriteMarkers(RedisClient& client, const std::string& prefix) {
  rdb::Pipeline(client, 1000, [&](size_t i) -> std::vector<std::string> {
    return {"SET", prefix + std::to_string(i), "v" + std::to_string(i)};
  });
  aof::Must(client, {"SET", "key:0", prefix});
}

void ExpectLargeAndMarkers(RedisClient& client, const std::vector<std::string>& prefixes) {
  EXPECT_EQ(client.Command({"DBSIZE"}),
            Int(static_cast<long long>(kLargeKeys + 1000 * prefixes.size())));
  EXPECT_EQ(client.Command({"GET", "key:0"}), Bulk(prefixes.back()));
  EXPECT_EQ(client.Command({"GET", "key:499999"}), Bulk("value-499999"));
  for (const std::string& prefix : prefixes) {
    EXPECT_EQ(client.Command({"GET", prefix + "999"}), Bulk("v999")) << prefix;
  }
}

TEST(AofCrashTest, SigkillDuringRewriteKeepsEveryWrite) {
  TempDir dir;
  ServerProcess server = StartLarge(dir);
  {
    RedisClient client(server.port());
    ASSERT_EQ(client.Command({"DBSIZE"}), Int(static_cast<long long>(kLargeKeys)));
    ASSERT_NE(client.Command({"BGREWRITEAOF"}).type, Reply::Type::kError);
    WriteMarkers(client, "during:");
    EXPECT_EQ(aof::InfoInt(client, "aof_rewrite_in_progress"), 1) << "rewrite ended too soon";
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  ExpectLargeAndMarkers(client, {"during:"});
}

TEST(AofCrashTest, KilledRewriteChildLeavesALoadableSet) {
  TempDir dir;
  ServerProcess server = StartLarge(dir, {"--snapshot-fork", "yes"});
  {
    RedisClient client(server.port());
    const long long rewrites = aof::InfoInt(client, "aof_rewrites");
    ASSERT_NE(client.Command({"BGREWRITEAOF"}).type, Reply::Type::kError);
    const std::vector<pid_t> children = rdb::ChildrenOf(server.pid());
    ASSERT_EQ(children.size(), 1u);
    ::kill(children[0], SIGKILL);
    WriteMarkers(client, "after-kill:");
    ASSERT_TRUE(WaitFor([&] { return aof::InfoInt(client, "aof_rewrite_in_progress") == 0; },
                        std::chrono::seconds(10)));
    const std::string info = client.Command({"INFO", "persistence"}).str;
    EXPECT_EQ(InfoField(info, "aof_last_bgrewrite_status"), "err") << info;
    EXPECT_EQ(aof::InfoInt(client, "aof_rewrites_consecutive_failures"), 1);
    EXPECT_EQ(aof::InfoInt(client, "aof_rewrites"), rewrites + 1)
        << "redis-server 7.0 counts a rewrite when its child starts, failed or not\n"
        << server.ReadLog();
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  ExpectLargeAndMarkers(client, {"after-kill:"});
  // The next rewrite folds the failed attempt's extra incremental file into history.
  WriteMarkers(client, "next:");
  aof::Rewrite(client);
  EXPECT_TRUE(WaitFor([&] { return aof::ListDir(aof::AofDir(dir.path())).size() == 3; },
                      std::chrono::seconds(5)))
      << ::testing::PrintToString(aof::ListDir(aof::AofDir(dir.path())));
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient reloaded(server.port());
  ExpectLargeAndMarkers(reloaded, {"after-kill:", "next:"});
}

}  // namespace
}  // namespace ember::test
