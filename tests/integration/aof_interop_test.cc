// The AOF against the reference tools, redis-server 7.0 and redis-check-aof (Debian's
// redis-tools): a set Ember writes (with and without the RDB preamble, before and after a
// rewrite) passes redis-check-aof and loads in redis-server identically; a set redis-server
// writes loads in Ember identically and Ember goes on appending to it; a legacy single-file
// appendonly.aof (plain RESP, or an RDB preamble plus RESP) is loaded and upgraded into
// appendonlydir/ (a cut last command is dropped); commands are logged in the form Redis
// logs them; INFO persistence has Redis's aof_* fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using aof::TempDir;

void ExpectBothCheckersAccept(const std::string& dir) {
  const aof::ExitResult redis = aof::RedisCheckAof(aof::ManifestPath(dir));
  EXPECT_EQ(redis.status, 0) << redis.log;
  EXPECT_NE(redis.log.find("All AOF files and manifest are valid"), std::string::npos) << redis.log;
  for (const std::string& path : {aof::AofDir(dir), aof::ManifestPath(dir)}) {
    const aof::ExitResult ember = aof::EmberCheckAof(path);
    EXPECT_EQ(ember.status, 0) << path << "\n" << ember.log;
  }
}

class AofInteropTest : public ::testing::TestWithParam<bool> {
 protected:
  std::vector<std::string> Preamble() const {
    return {"--aof-use-rdb-preamble", GetParam() ? "yes" : "no"};
  }
};

TEST_P(AofInteropTest, EmberSetPassesRedisCheckAofAndLoadsInRedisServer) {
  TempDir dir;
  ServerProcess ember = aof::StartAof(dir.path(), Preamble());
  {
    RedisClient client(ember.port());
    aof::WriteWorkload(client, 0);
    rdb::FillMixed(client, 300);
  }
  aof::StopServer(ember, aof::StopKind::kShutdown);
  {
    SCOPED_TRACE("before a rewrite");
    ExpectBothCheckersAccept(dir.path());
  }
  ember = aof::StartAof(dir.path(), Preamble());
  aof::Dataset expected;
  {
    RedisClient client(ember.port());
    aof::Rewrite(client);
    aof::WriteWorkload(client, 1);
    expected = aof::ReadDataset(client);
  }
  aof::StopServer(ember, aof::StopKind::kShutdown);
  {
    SCOPED_TRACE("after a rewrite");
    ExpectBothCheckersAccept(dir.path());
  }
  ServerProcess redis = aof::StartReferenceAof(dir.path(), Preamble());
  ASSERT_TRUE(redis.running());
  RedisClient client(redis.port());
  EXPECT_EQ(aof::ReadDataset(client), expected) << redis.ReadLog();
}

TEST_P(AofInteropTest, RedisSetLoadsInEmberAndEmberAppendsToIt) {
  TempDir dir;
  aof::Dataset expected;
  {
    // Redis then writes #TS annotations (when a new second starts, so not always here).
    std::vector<std::string> args = Preamble();
    args.insert(args.end(), {"--aof-timestamp-enabled", "yes"});
    ServerProcess redis = aof::StartReferenceAof(dir.path(), args);
    ASSERT_TRUE(redis.running());
    RedisClient client(redis.port());
    aof::WriteWorkload(client, 0);
    rdb::FillMixed(client, 300);
    aof::Rewrite(client);
    aof::WriteWorkload(client, 1);
    expected = aof::ReadDataset(client);
    aof::StopServer(redis, aof::StopKind::kShutdown);
  }
  ASSERT_EQ(aof::ManifestFiles(dir.path(), "b").size(), 1u);
  ServerProcess ember = aof::StartAof(dir.path(), Preamble());
  ASSERT_TRUE(ember.running());
  {
    RedisClient client(ember.port());
    EXPECT_EQ(aof::ReadDataset(client), expected) << ember.ReadLog();
    aof::WriteWorkload(client, 2);
    expected = aof::ReadDataset(client);
  }
  aof::StopServer(ember, aof::StopKind::kSigkill);
  ember = aof::StartAof(dir.path(), Preamble());
  RedisClient client(ember.port());
  EXPECT_EQ(aof::ReadDataset(client), expected) << ember.ReadLog();
  ExpectBothCheckersAccept(dir.path());
}

INSTANTIATE_TEST_SUITE_P(Preamble, AofInteropTest, ::testing::Bool(),
                         [](const auto& test_info) { return test_info.param ? "Rdb" : "Resp"; });

// Commands for a legacy file's RESP part, and the dataset they give on redis-server.
const std::vector<std::vector<std::string>> kLegacyTail = {
    {"SELECT", "0"},   {"SET", "a", "1"},
    {"INCR", "n"},     {"SELECT", "3"},
    {"SET", "b", "2"}, {"PEXPIREAT", "b", "4102444800000"},
    {"MULTI"},         {"SET", "t", "x"},
    {"INCR", "n3"},    {"EXEC"},
    {"SELECT", "0"},   {"APPEND", "a", "23"},
    {"DEL", "key:0"},  {"SET", "key:3", "overwritten"}};

// The commands as a file, with #TS annotations (which loading skips) at the start and
// between two commands.
std::string LegacyTail() {
  std::string out = "#TS:1700000000\r\n";
  for (const auto& command : kLegacyTail) {
    out += aof::Resp(command);
    if (command[0] == "EXEC") out += "#TS:1700000001\r\n";
  }
  return out;
}

// Starts Ember on a directory holding only `legacy` as appendonly.aof; expects `expected`,
// the file moved into appendonlydir/ as the base of a new set (holding `kept` bytes of it,
// all by default), and the same after a restart.
void ExpectLegacyLoadedAndUpgraded(const std::string& legacy, const aof::Dataset& expected,
                                   size_t kept = std::string::npos) {
  TempDir dir;
  aof::WriteFile(dir.file("appendonly.aof"), legacy);
  ServerProcess ember = aof::StartAof(dir.path());
  ASSERT_TRUE(ember.running());
  {
    RedisClient client(ember.port());
    EXPECT_EQ(aof::ReadDataset(client), expected) << ember.ReadLog();
    EXPECT_EQ(aof::InfoInt(client, "aof_enabled"), 1);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("appendonly.aof")));
  EXPECT_EQ(aof::ManifestFiles(dir.path(), "b"), std::vector<std::string>{"appendonly.aof"})
      << aof::ReadFile(aof::ManifestPath(dir.path()));
  EXPECT_EQ(aof::ReadFile(aof::AofDir(dir.path()) + "/appendonly.aof"), legacy.substr(0, kept));
  aof::StopServer(ember, aof::StopKind::kSigkill);
  ember = aof::StartAof(dir.path());
  RedisClient client(ember.port());
  EXPECT_EQ(aof::ReadDataset(client), expected) << ember.ReadLog();
  aof::StopServer(ember, aof::StopKind::kSigkill);
  ExpectBothCheckersAccept(dir.path());
}

TEST(AofLegacyTest, PlainRespFileIsLoadedAndUpgraded) {
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient reference(redis.port());
  for (const auto& command : kLegacyTail) aof::Must(reference, command);
  TempDir check_dir;
  aof::WriteFile(check_dir.file("appendonly.aof"), LegacyTail());
  const aof::ExitResult check = aof::EmberCheckAof(check_dir.file("appendonly.aof"));
  EXPECT_EQ(check.status, 0) << "--check-aof on a legacy file\n" << check.log;
  ExpectLegacyLoadedAndUpgraded(LegacyTail(), aof::ReadDataset(reference));
}

TEST(AofLegacyTest, FileWithRdbPreambleIsLoadedAndUpgraded) {
  TempDir dump_dir;
  ServerProcess redis = ServerProcess::StartReference({"--dir", dump_dir.path()});
  RedisClient reference(redis.port());
  rdb::FillMixed(reference, 300);
  ASSERT_EQ(reference.Command({"SAVE"}), Status("OK"));
  const std::string preamble = aof::ReadFile(dump_dir.file("dump.rdb"));
  for (const auto& command : kLegacyTail) aof::Must(reference, command);
  ExpectLegacyLoadedAndUpgraded(preamble + LegacyTail(), aof::ReadDataset(reference));
}

// A legacy file is the last (only) file of its set: a cut last command is dropped.
TEST(AofLegacyTest, CutLegacyFileIsTruncatedAndUpgraded) {
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient reference(redis.port());
  for (size_t i = 0; i + 1 < kLegacyTail.size(); ++i) aof::Must(reference, kLegacyTail[i]);
  const std::string legacy = LegacyTail();
  const size_t last = legacy.size() - aof::Resp(kLegacyTail.back()).size();
  ExpectLegacyLoadedAndUpgraded(legacy.substr(0, legacy.size() - 3), aof::ReadDataset(reference),
                                last);
}

// The aof_* fields of INFO persistence, in order, are Redis 7.0's, with the AOF on and off.
TEST(AofInfoTest, InfoPersistenceHasRedisAofFields) {
  auto aof_fields = [](int port) {
    RedisClient client(port);
    std::vector<std::string> names;
    for (const auto& [name, value] : ParseInfo(client.Command({"INFO", "persistence"}).str)) {
      if (name.starts_with("aof_")) names.push_back(name);
    }
    return names;
  };
  for (bool on : {true, false}) {
    SCOPED_TRACE(on ? "appendonly yes" : "appendonly no");
    TempDir ember_dir, redis_dir;
    ServerProcess ember = on ? aof::StartAof(ember_dir.path()) : ServerProcess::StartEmber();
    ServerProcess redis =
        on ? aof::StartReferenceAof(redis_dir.path()) : ServerProcess::StartReference();
    EXPECT_EQ(aof_fields(ember.port()), aof_fields(redis.port()));
  }
}

// The server's clock, so expiry times in the log are checked against what it used.
long long ServerNowMs(RedisClient& client) {
  const Reply time = client.Command({"TIME"});
  return std::stoll(time.elements[0].str) * 1000 + std::stoll(time.elements[1].str) / 1000;
}

// The log holds expiries as absolute times, transactions as MULTI ... EXEC and SELECT on
// each change of database, as Redis writes it.
TEST(AofLogContentTest, ExpiriesAreAbsoluteTransactionsBracketedSelectOnDbChange) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  const long long now_ms = ServerNowMs(client);
  // clang-format off
  const std::vector<std::vector<std::string>> commands = {
      {"SELECT", "2"}, {"SET", "ex", "v", "EX", "100"}, {"SET", "e", "v"}, {"EXPIRE", "e", "200"},
      {"SETEX", "sx", "300", "v"}, {"GETEX", "e", "PX", "400000"},
      {"SELECT", "5"}, {"MULTI"}, {"SET", "t1", "a"}, {"INCR", "t2"}, {"EXEC"},
      {"SET", "same-db", "v"}};
  // clang-format on
  for (const auto& command : commands) aof::Must(client, command);
  aof::StopServer(server, aof::StopKind::kSigkill);
  const std::vector<aof::LoggedCommand> log = aof::ReadLoggedCommands(dir.path());
  auto expires_in = [&](const std::string& value, long long seconds) {
    const long long at = std::atoll(value.c_str());
    return at >= now_ms + seconds * 1000 - 2000 && at <= now_ms + seconds * 1000 + 2000;
  };
  // `name key ... <absolute ms>` is in the log, in database 2.
  auto logged_at = [&](const std::string& name, const std::string& key, long long seconds) {
    return std::any_of(log.begin(), log.end(), [&](const aof::LoggedCommand& c) {
      return c.db == 2 && c.argv[0] == name && c.argv.size() >= 3 && c.argv[1] == key &&
             expires_in(c.argv.back(), seconds);
    });
  };
  std::string text;
  for (const auto& c : log) {
    text += std::to_string(c.db) + " " + ::testing::PrintToString(c.argv) + "\n";
  }
  EXPECT_TRUE(logged_at("SET", "ex", 100)) << "SET EX as SET PXAT\n" << text;
  EXPECT_TRUE(logged_at("PEXPIREAT", "e", 200)) << "EXPIRE as PEXPIREAT\n" << text;
  EXPECT_TRUE(logged_at("SET", "sx", 300) || logged_at("PEXPIREAT", "sx", 300)) << text;
  EXPECT_TRUE(logged_at("PEXPIREAT", "e", 400)) << "GETEX PX as PEXPIREAT\n" << text;
  size_t multi = log.size();
  for (size_t i = 0; i < log.size(); ++i) {
    const std::string& name = log[i].argv[0];
    EXPECT_TRUE(name != "EXPIRE" && name != "PEXPIRE" && name != "SETEX" && name != "GETEX")
        << "relative expiry logged: " << text;
    if (name == "MULTI") multi = i;
  }
  ASSERT_LT(multi + 4, log.size()) << text;
  EXPECT_EQ(log[multi].db, 5) << "SELECT 5 comes before the transaction\n" << text;
  EXPECT_EQ(log[multi + 1].argv, (std::vector<std::string>{"SET", "t1", "a"}));
  EXPECT_EQ(log[multi + 2].argv, (std::vector<std::string>{"INCR", "t2"}));
  EXPECT_EQ(log[multi + 3].argv[0], "EXEC");
  EXPECT_EQ(log[multi + 4].argv, (std::vector<std::string>{"SET", "same-db", "v"}))
      << "no SELECT when the database did not change\n"
      << text;
}

}  // namespace
}  // namespace ember::test
