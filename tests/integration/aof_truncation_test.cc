// Damaged append-only files at startup: a last command cut at any byte is dropped and the
// file truncated back to the last whole command (aof-load-truncated yes), or the server
// refuses to start naming the file (no); an unfinished MULTI at the end is dropped whole;
// a cut in an earlier file of the set (base or incr), bad bytes, an unknown command or a
// missing file always stop the server, and leave the files as they were.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using aof::TempDir;
using Commands = std::vector<std::vector<std::string>>;

// A set written by a real server: `commands` sent, then SHUTDOWN.
struct SmallSet {
  std::string incr;  // path of the last incremental file
  std::string content;
  aof::ParsedLog log;
};
SmallSet WriteSet(const TempDir& dir, const Commands& commands,
                  std::vector<std::string> args = {}) {
  ServerProcess server = aof::StartAof(dir.path(), args);
  {
    RedisClient client(server.port());
    for (const auto& command : commands) aof::Must(client, command);
  }
  aof::StopServer(server, aof::StopKind::kShutdown);
  SmallSet set;
  set.incr = aof::LastIncrPath(dir.path());
  set.content = aof::ReadFile(set.incr);
  set.log = aof::ParseLog(set.content);
  EXPECT_EQ(set.log.complete, set.content.size());
  return set;
}

std::vector<std::string> RefusingArgs(const TempDir& dir, bool load_truncated) {
  return {"--dir",  dir.path(), "--appendonly",         "yes",
          "--save", "",         "--aof-load-truncated", load_truncated ? "yes" : "no"};
}

// Starting on `dir` fails with a non-zero exit and a log naming `file`, which is unchanged.
void ExpectRefusal(const TempDir& dir, bool load_truncated, const std::string& file) {
  const std::string before = aof::ReadFile(file);
  const aof::ExitResult result = aof::RunEmberToExit(RefusingArgs(dir, load_truncated));
  EXPECT_GT(result.status, 0) << "expected a refusal (-2: it served)\n" << result.log;
  const std::string name = std::filesystem::path(file).filename().string();
  EXPECT_NE(result.log.find(name), std::string::npos) << "log should name " << name << ":\n"
                                                      << result.log;
  EXPECT_EQ(aof::ReadFile(file), before) << "a refused start must not change " << name;
}

const Commands kFourCommands = {
    {"SET", "a", "1"}, {"INCR", "n"}, {"SET", "b", "two"}, {"SET", "c", "3"}};

void ExpectFirstThree(RedisClient& client) {
  EXPECT_EQ(client.Command({"GET", "a"}), Bulk("1"));
  EXPECT_EQ(client.Command({"GET", "n"}), Bulk("1"));
  EXPECT_EQ(client.Command({"GET", "b"}), Bulk("two"));
  EXPECT_EQ(client.Command({"EXISTS", "c"}), Int(0));
}

TEST(AofTruncationTest, EveryCutInTheLastCommandLoadsTheCommandsBeforeIt) {
  TempDir dir;
  const SmallSet set = WriteSet(dir, kFourCommands);
  ASSERT_EQ(set.log.commands.back(), (std::vector<std::string>{"SET", "c", "3"}));
  const size_t last = set.log.starts.back();
  for (size_t cut = last + 1; cut < set.content.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + std::to_string(set.content.size()));
    aof::WriteFile(set.incr, set.content.substr(0, cut));
    ServerProcess server = aof::StartAof(dir.path());
    ASSERT_TRUE(server.running());
    RedisClient client(server.port());
    ExpectFirstThree(client);
    EXPECT_EQ(client.Command({"DBSIZE"}), Int(3));
    EXPECT_EQ(std::filesystem::file_size(set.incr), last) << server.ReadLog();
    server.Kill();
  }
  // Appends after a truncation continue a well-formed file.
  ServerProcess server = aof::StartAof(dir.path());
  {
    RedisClient client(server.port());
    aof::Must(client, {"SET", "d", "after"});
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  ExpectFirstThree(client);
  EXPECT_EQ(client.Command({"GET", "d"}), Bulk("after"));
}

TEST(AofTruncationTest, WithLoadTruncatedNoEveryCutRefusesToStart) {
  TempDir dir;
  const SmallSet set = WriteSet(dir, kFourCommands);
  for (size_t cut = set.log.starts.back() + 1; cut < set.content.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    aof::WriteFile(set.incr, set.content.substr(0, cut));
    ExpectRefusal(dir, /*load_truncated=*/false, set.incr);
  }
}

TEST(AofTruncationTest, UnfinishedMultiAtTheEndIsDropped) {
  TempDir dir;
  const SmallSet set =
      WriteSet(dir, {{"SET", "a", "1"}, {"MULTI"}, {"SET", "x", "1"}, {"INCR", "y"}, {"EXEC"}});
  size_t multi = 0;
  for (size_t i = 0; i < set.log.commands.size(); ++i) {
    if (set.log.commands[i][0] == "MULTI" || set.log.commands[i][0] == "multi") {
      multi = set.log.starts[i];
    }
  }
  ASSERT_GT(multi, 0u) << "no MULTI in the log";
  for (size_t cut = multi + 1; cut < set.content.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + std::to_string(set.content.size()));
    aof::WriteFile(set.incr, set.content.substr(0, cut));
    ServerProcess server = aof::StartAof(dir.path());
    ASSERT_TRUE(server.running());
    RedisClient client(server.port());
    EXPECT_EQ(client.Command({"GET", "a"}), Bulk("1"));
    EXPECT_EQ(client.Command({"DBSIZE"}), Int(1)) << "the transaction must be dropped whole";
    EXPECT_EQ(std::filesystem::file_size(set.incr), multi) << server.ReadLog();
    server.Kill();
  }
  // Cut right before EXEC: refused when truncation is not allowed.
  aof::WriteFile(set.incr, set.content.substr(0, set.log.starts.back()));
  ExpectRefusal(dir, /*load_truncated=*/false, set.incr);
}

// A set whose base holds "a" and "b" (after a rewrite) and whose incr holds "c".
void WriteRewrittenSet(const TempDir& dir, bool preamble) {
  ServerProcess server =
      aof::StartAof(dir.path(), {"--aof-use-rdb-preamble", preamble ? "yes" : "no"});
  {
    RedisClient client(server.port());
    aof::Must(client, {"SET", "a", std::string(200, 'a')});
    aof::Must(client, {"SET", "b", "2", "EX", "1000"});
    aof::Rewrite(client);
    aof::Must(client, {"SET", "c", "3"});
  }
  aof::StopServer(server, aof::StopKind::kShutdown);
}

TEST(AofTruncationTest, CutInTheRespBaseRefusesToStart) {
  TempDir dir;
  WriteRewrittenSet(dir, /*preamble=*/false);
  const std::string base = aof::BasePath(dir.path());
  ASSERT_TRUE(base.ends_with(".base.aof")) << base;
  const std::string content = aof::ReadFile(base);
  for (size_t cut : {content.size() - 1, content.size() / 2}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    aof::WriteFile(base, content.substr(0, cut));
    ExpectRefusal(dir, /*load_truncated=*/true, base);
  }
}

TEST(AofTruncationTest, CutInTheRdbBaseRefusesToStart) {
  TempDir dir;
  WriteRewrittenSet(dir, /*preamble=*/true);
  const std::string base = aof::BasePath(dir.path());
  ASSERT_TRUE(base.ends_with(".base.rdb")) << base;
  const std::string content = aof::ReadFile(base);
  for (size_t cut : {content.size() - 1, content.size() / 2}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    aof::WriteFile(base, content.substr(0, cut));
    ExpectRefusal(dir, /*load_truncated=*/true, base);
  }
}

TEST(AofTruncationTest, CutInAnEarlierIncrRefusesToStart) {
  TempDir dir;
  const SmallSet set = WriteSet(dir, kFourCommands);
  // A second incr after the first, as a rewrite that failed would leave.
  const std::string second = aof::AofDir(dir.path()) + "/appendonly.aof.9.incr.aof";
  aof::WriteFile(second, aof::Resp({"SELECT", "0"}) + aof::Resp({"SET", "z", "9"}));
  aof::WriteFile(aof::ManifestPath(dir.path()),
                 aof::ReadFile(aof::ManifestPath(dir.path())) +
                     "file appendonly.aof.9.incr.aof seq 9 type i\n");
  {
    ServerProcess server = aof::StartAof(dir.path());
    ASSERT_TRUE(server.running()) << "the crafted set must load before it is damaged";
    RedisClient client(server.port());
    EXPECT_EQ(client.Command({"GET", "c"}), Bulk("3"));
    EXPECT_EQ(client.Command({"GET", "z"}), Bulk("9"));
    server.Kill();
  }
  aof::WriteFile(set.incr, set.content.substr(0, set.content.size() - 1));
  ExpectRefusal(dir, /*load_truncated=*/true, set.incr);
}

TEST(AofTruncationTest, BadBytesInTheLastFileRefuseEvenWithLoadTruncated) {
  TempDir dir;
  const SmallSet set = WriteSet(dir, kFourCommands);
  std::string corrupt = set.content;
  corrupt[set.log.starts[2]] = '!';
  aof::WriteFile(set.incr, corrupt);
  ExpectRefusal(dir, /*load_truncated=*/true, set.incr);
  aof::WriteFile(set.incr, set.content + aof::Resp({"NOSUCHCOMMAND", "x"}));
  ExpectRefusal(dir, /*load_truncated=*/true, set.incr);
}

TEST(AofTruncationTest, MissingBaseRefusesToStart) {
  TempDir dir;
  WriteSet(dir, kFourCommands);
  const std::string base = aof::BasePath(dir.path());
  ASSERT_TRUE(std::filesystem::remove(base));
  const aof::ExitResult result = aof::RunEmberToExit(RefusingArgs(dir, true));
  EXPECT_GT(result.status, 0) << result.log;
  EXPECT_NE(result.log.find(std::filesystem::path(base).filename().string()), std::string::npos)
      << result.log;
}

void ExpectBothCheckersAccept(const std::string& dir) {
  const aof::ExitResult redis = aof::RedisCheckAof(aof::ManifestPath(dir));
  EXPECT_EQ(redis.status, 0) << redis.log;
  const aof::ExitResult ember = aof::EmberCheckAof(aof::AofDir(dir));
  EXPECT_EQ(ember.status, 0) << ember.log;
}

// --check-aof, like redis-check-aof, exits 1 on bad bytes and on a cut.
TEST(AofTruncationTest, CheckAofReportsValidAndDamagedSets) {
  TempDir dir;
  ServerProcess ember = aof::StartAof(dir.path());
  {
    RedisClient client(ember.port());
    aof::WriteWorkload(client, 0);
    aof::Rewrite(client);
    aof::WriteWorkload(client, 1);
  }
  aof::StopServer(ember, aof::StopKind::kShutdown);
  ExpectBothCheckersAccept(dir.path());
  const std::string incr = aof::LastIncrPath(dir.path());
  const std::string content = aof::ReadFile(incr);
  const aof::ParsedLog log = aof::ParseLog(content);
  ASSERT_GT(log.starts.size(), 10u);
  std::string corrupt = content;
  corrupt[log.starts[5]] = '!';
  for (const std::string& damaged : {corrupt, content.substr(0, content.size() - 3)}) {
    aof::WriteFile(incr, damaged);
    const aof::ExitResult ember_check = aof::EmberCheckAof(aof::AofDir(dir.path()));
    EXPECT_EQ(ember_check.status, 1) << ember_check.log;
    const aof::ExitResult redis_check = aof::RedisCheckAof(aof::ManifestPath(dir.path()));
    EXPECT_EQ(redis_check.status, 1) << redis_check.log;
  }
}

}  // namespace
}  // namespace ember::test
