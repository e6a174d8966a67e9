// Function libraries across restarts and between servers, through the real binary: kept in
// the RDB (SAVE, then a restart; the file passes redis-check-rdb and loads in redis-server),
// replayed from the AOF (FUNCTION LOAD / DELETE / FLUSH / RESTORE as logged, then after a
// rewrite with and without the RDB preamble), loaded from an RDB or an AOF redis-server
// wrote, and moved with FUNCTION DUMP / RESTORE in both directions.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "persistence/crc64.h"
#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using aof::TempDir;

const std::string kLibA =
    "#!lua name=liba\n"
    "redis.register_function('fa', function(keys, args) return redis.call('set', keys[1], "
    "args[1]) end)\n"
    "redis.register_function{function_name='fa_ro', callback=function(keys) return "
    "redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads a key'}";
const std::string kLibB =
    "#!lua name=libb\nredis.register_function('fb', function() return 'from b' end)";
// Long and repetitive: saved LZF-compressed.
const std::string kLibBig = "#!lua name=big\n-- " + std::string(3000, '=') +
                            "\nredis.register_function('fbig', function() return 'big' end)";

// Every library's code, sorted (servers list libraries in different orders).
std::vector<std::string> LibraryCodes(RedisClient& client) {
  Reply list = client.Command({"FUNCTION", "LIST", "WITHCODE"});
  std::vector<std::string> codes;
  for (const Reply& library : list.elements) {
    for (size_t i = 0; i + 1 < library.elements.size(); i += 2) {
      if (library.elements[i].str == "library_code") codes.push_back(library.elements[i + 1].str);
    }
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

std::vector<std::string> Sorted(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  return codes;
}

// The libraries kLibA, kLibB and kLibBig answer as loaded.
void ExpectLibrariesWork(RedisClient& client, const std::vector<std::string>& expected) {
  EXPECT_EQ(LibraryCodes(client), Sorted(expected));
  EXPECT_EQ(client.Command({"FCALL", "fb", "0"}), Bulk("from b"));
  EXPECT_EQ(client.Command({"FCALL", "FA", "1", "fkey", "fvalue"}), Status("OK"));
  EXPECT_EQ(client.Command({"FCALL_RO", "fa_ro", "1", "fkey"}), Bulk("fvalue"));
}

void LoadAll(RedisClient& client) {
  for (const std::string& code : {kLibA, kLibB, kLibBig})
    aof::Must(client, {"FUNCTION", "LOAD", code});
}

TEST(FunctionPersistenceTest, RdbKeepsLibrariesAcrossARestartAndPassesRedisChecks) {
  TempDir dir;
  {
    ServerProcess ember = ServerProcess::StartEmber({"--dir", dir.path()});
    RedisClient client(ember.port());
    LoadAll(client);
    aof::Must(client, {"SET", "plain", "key"});
    ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));
  }
  auto [status, output] = rdb::RedisCheckRdb(dir.file("dump.rdb"));
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("RDB looks OK"), std::string::npos) << output;

  {
    ServerProcess ember = ServerProcess::StartEmber({"--dir", dir.path()});
    RedisClient client(ember.port());
    ExpectLibrariesWork(client, {kLibA, kLibB, kLibBig});
    EXPECT_EQ(client.Command({"GET", "plain"}), Bulk("key"));
    // Shutdown saves (save points are on by default) what changed since.
    aof::Must(client, {"FUNCTION", "DELETE", "big"});
    client.Command({"SHUTDOWN"});
    ASSERT_TRUE(ember.WaitForExit(std::chrono::seconds(10)).has_value());
  }
  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
  RedisClient reference(redis.port());
  ExpectLibrariesWork(reference, {kLibA, kLibB});
}

TEST(FunctionPersistenceTest, RedisRdbWithFunctionsLoadsInEmber) {
  TempDir dir;
  {
    ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
    RedisClient reference(redis.port());
    LoadAll(reference);
    aof::Must(reference, {"SET", "plain", "key"});
    ASSERT_EQ(reference.Command({"SAVE"}), Status("OK"));
  }
  ServerProcess ember = ServerProcess::StartEmber({"--dir", dir.path()});
  ASSERT_TRUE(ember.running()) << ember.ReadLog();
  RedisClient client(ember.port());
  ExpectLibrariesWork(client, {kLibA, kLibB, kLibBig});
  EXPECT_EQ(client.Command({"GET", "plain"}), Bulk("key"));
}

TEST(FunctionPersistenceTest, DuplicateLibraryInAnRdbStopsTheStart) {
  TempDir dir;
  {
    ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
    RedisClient reference(redis.port());
    aof::Must(reference, {"FUNCTION", "LOAD", kLibB});
    ASSERT_EQ(reference.Command({"SAVE"}), Status("OK"));
  }
  // The same record twice, checksum recomputed. Redis writes the libraries right after its
  // last AUX field, aof-base (value 0, one int8-encoded byte), and no key follows them.
  std::string file = rdb::ReadFile(dir.file("dump.rdb"));
  const size_t record = file.find("aof-base") + 8 + 2;
  const size_t eof = file.size() - 9;
  ASSERT_EQ(file[record], '\xf5');
  file.insert(eof, file.substr(record, eof - record));
  file.resize(file.size() - 8);
  const uint64_t crc = persistence::Crc64(0, file);
  for (int i = 0; i < 8; ++i) file.push_back(static_cast<char>(crc >> (8 * i)));
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.port = ServerProcess::FreePort();
  options.args = {"--port", std::to_string(options.port), "--http-port", "0"};
  options.files = {{"dump.rdb", file}};
  ServerProcess ember = ServerProcess::Spawn(options);
  const std::optional<int> status = ember.WaitForExit(std::chrono::seconds(10));
  ASSERT_TRUE(status.has_value()) << "the server started on a file it cannot load";
  EXPECT_NE(*status, 0);
  EXPECT_NE(ember.ReadLog().find("Failed loading library, Library 'libb' already exists"),
            std::string::npos)
      << ember.ReadLog();
}

TEST(FunctionPersistenceTest, AofReplaysLibraryCommandsBeforeAndAfterRewrites) {
  TempDir dir;
  std::string payload;
  {
    ServerProcess ember = aof::StartAof(dir.path());
    RedisClient client(ember.port());
    aof::Must(client, {"FUNCTION", "LOAD", kLibBig});
    aof::Must(client, {"FUNCTION", "FLUSH", "ASYNC"});
    aof::Must(client, {"FUNCTION", "LOAD", kLibB});
    payload = aof::Must(client, {"FUNCTION", "DUMP"}).str;
    aof::Must(client, {"FUNCTION", "DELETE", "libb"});
    aof::Must(client, {"FUNCTION", "LOAD", kLibA});
    aof::Must(client, {"FCALL", "fa", "1", "written", "by fa"});
    aof::Must(client, {"FUNCTION", "RESTORE", payload});
    aof::StopServer(ember, aof::StopKind::kSigkill);
  }
  for (const char* preamble : {"yes", "no"}) {
    SCOPED_TRACE(std::string("aof-use-rdb-preamble ") + preamble);
    ServerProcess ember = aof::StartAof(dir.path(), {"--aof-use-rdb-preamble", preamble});
    ASSERT_TRUE(ember.running()) << ember.ReadLog();
    RedisClient client(ember.port());
    EXPECT_EQ(client.Command({"GET", "written"}), Bulk("by fa"));
    ExpectLibrariesWork(client, {kLibA, kLibB});
    aof::Rewrite(client);
    if (std::string(preamble) == "no") {
      // Redis's rewriteFunctions: one FUNCTION LOAD per library, before any key.
      const aof::ParsedLog base = aof::ParseLog(rdb::ReadFile(aof::BasePath(dir.path())));
      ASSERT_GE(base.commands.size(), 2u);
      EXPECT_EQ(base.commands[0], (std::vector<std::string>{"FUNCTION", "LOAD", kLibA}));
      EXPECT_EQ(base.commands[1], (std::vector<std::string>{"FUNCTION", "LOAD", kLibB}));
    }
    aof::StopServer(ember, aof::StopKind::kShutdown);
    ServerProcess again = aof::StartAof(dir.path());
    ASSERT_TRUE(again.running()) << again.ReadLog();
    RedisClient restarted(again.port());
    ExpectLibrariesWork(restarted, {kLibA, kLibB});
    aof::StopServer(again, aof::StopKind::kShutdown);
  }
  const aof::ExitResult check = aof::RedisCheckAof(aof::ManifestPath(dir.path()));
  EXPECT_EQ(check.status, 0) << check.log;
}

TEST(FunctionPersistenceTest, RedisAofWithFunctionsLoadsInEmber) {
  TempDir dir;
  {
    ServerProcess redis = aof::StartReferenceAof(dir.path());
    RedisClient reference(redis.port());
    LoadAll(reference);
    aof::Must(reference, {"FUNCTION", "DELETE", "big"});
    aof::Must(reference, {"FCALL", "fa", "1", "k", "v"});
    reference.Command({"SHUTDOWN"});
    redis.WaitForExit(std::chrono::seconds(10));
  }
  ServerProcess ember = aof::StartAof(dir.path());
  ASSERT_TRUE(ember.running()) << ember.ReadLog();
  RedisClient client(ember.port());
  EXPECT_EQ(client.Command({"GET", "k"}), Bulk("v"));
  ExpectLibrariesWork(client, {kLibA, kLibB});
}

TEST(FunctionPersistenceTest, DumpPayloadsMoveBothWays) {
  ServerProcess ember = ServerProcess::StartEmber();
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient client(ember.port());
  RedisClient reference(redis.port());

  // One library: the same bytes from both servers.
  aof::Must(client, {"FUNCTION", "LOAD", kLibBig});
  aof::Must(reference, {"FUNCTION", "LOAD", kLibBig});
  EXPECT_EQ(client.Command({"FUNCTION", "DUMP"}), reference.Command({"FUNCTION", "DUMP"}));

  // Redis -> Ember.
  aof::Must(reference, {"FUNCTION", "LOAD", kLibA});
  aof::Must(reference, {"FUNCTION", "LOAD", kLibB});
  const Reply from_redis = reference.Command({"FUNCTION", "DUMP"});
  ASSERT_EQ(from_redis.type, Reply::Type::kString);
  EXPECT_EQ(client.Command({"FUNCTION", "RESTORE", from_redis.str}),
            Error("ERR Library big already exists"));
  EXPECT_EQ(client.Command({"FUNCTION", "RESTORE", from_redis.str, "REPLACE"}), Status("OK"));
  ExpectLibrariesWork(client, {kLibA, kLibB, kLibBig});

  // Ember -> Redis.
  aof::Must(client, {"FUNCTION", "DELETE", "libb"});
  const Reply from_ember = client.Command({"FUNCTION", "DUMP"});
  EXPECT_EQ(reference.Command({"FUNCTION", "RESTORE", from_ember.str, "FLUSH"}), Status("OK"));
  EXPECT_EQ(LibraryCodes(reference), Sorted({kLibA, kLibBig}));
  EXPECT_EQ(reference.Command({"FCALL", "fbig", "0"}), Bulk("big"));
}

}  // namespace
}  // namespace ember::test
