// The forkless BGSAVE through the real binary: the file is the dataset of the moment BGSAVE
// was accepted, exactly (every key of every type with its value and TTL as of then, none
// written later), while clients overwrite, delete, change collections in place, let keys
// expire and FLUSHALL during the save; SHUTDOWN stops a running save and saves everything;
// kill -9 mid-save leaves the previous dump intact. rdb-key-save-delay stretches the save
// so the changes land while it runs (each test asserts it was still running).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using rdb::TempDir;

constexpr size_t kKeys = 4000;

// Keys of every type: strings (some with a TTL far off, some expiring during the save),
// small hashes, sets, lists and sorted sets, and one large hash. Returns every key.
std::vector<std::string> Fill(RedisClient& client) {
  std::vector<std::string> keys;
  rdb::Pipeline(client, kKeys, [&](size_t i) -> std::vector<std::string> {
    const std::string n = std::to_string(i);
    switch (i % 6) {
      case 0:
        keys.push_back("s:" + n);
        return {"SET", "s:" + n, "value-" + n, "EX", "100000"};
      case 1:
        keys.push_back("h:" + n);
        return {"HSET", "h:" + n, "a", n, "b", "x" + n};
      case 2:
        keys.push_back("l:" + n);
        return {"RPUSH", "l:" + n, "1", n, "3"};
      case 3:
        keys.push_back("z:" + n);
        return {"ZADD", "z:" + n, "1", "a", n, "b"};
      case 4:
        keys.push_back("t:" + n);
        return {"SADD", "t:" + n, n, "m", "7"};
      default:
        keys.push_back("e:" + n);
        return {"SET", "e:" + n, n, "PX", "1000"};  // expires while the save runs
    }
  });
  rdb::Pipeline(client, 1000, [](size_t i) -> std::vector<std::string> {
    return {"HSET", "big", "field" + std::to_string(i), std::string(40, 'v')};
  });
  keys.push_back("big");
  return keys;
}

// Each key's DUMP payload; the large hash's fields and values instead, sorted, since a hash
// table rebuilt by a load may order them differently.
std::map<std::string, std::string> DumpAll(RedisClient& client,
                                           const std::vector<std::string>& keys) {
  for (const std::string& key : keys) client.Append({"DUMP", key});
  std::map<std::string, std::string> out;
  for (const std::string& key : keys) out[key] = client.ReadReply().str;
  const Reply big = client.Command({"HGETALL", "big"});
  std::map<std::string, std::string> fields;
  for (size_t i = 0; i + 1 < big.elements.size(); i += 2) {
    fields[big.elements[i].str] = big.elements[i + 1].str;
  }
  out["big"].clear();
  for (const auto& [field, value] : fields) out["big"] += field + "=" + value + ";";
  return out;
}

// A server whose forkless saves take about 2 ms a key: long enough to act mid-save.
ServerProcess StartSlowSaver(const TempDir& dir) {
  return ServerProcess::StartEmber(
      {"--dir", dir.path(), "--save", "", "--rdb-key-save-delay", "2000"});
}

bool SaveRunning(RedisClient& client) {
  return client.Command({"INFO", "persistence"}).str.find("rdb_bgsave_in_progress:1") !=
         std::string::npos;
}

TEST(RdbForklessTest, TheFileIsTheDatasetOfTheMomentBgsaveBegan) {
  TempDir dir;
  ServerProcess server =
      ServerProcess::StartEmber({"--dir", dir.path(), "--save", "", "--rdb-key-save-delay", "400"});
  RedisClient client(server.port());
  const std::vector<std::string> keys = Fill(client);
  const std::map<std::string, std::string> before = DumpAll(client, keys);

  // Pipelined, so no expiry cycle runs between them: the save holds DBSIZE keys.
  client.Append({"DBSIZE"});
  client.Append({"BGSAVE"});
  const long long keys_at_start = client.ReadReply().integer;
  ASSERT_EQ(client.ReadReply(), Status("Background saving started"));
  EXPECT_EQ(client.Command({"BGSAVE"}), Error("ERR Background save already in progress"));
  EXPECT_EQ(client.Command({"SAVE"}), Error("ERR Background save already in progress"));
  // Changes of every kind, spread over the keys, while the walk is under way.
  rdb::Pipeline(client, kKeys, [&](size_t i) -> std::vector<std::string> {
    const std::string n = std::to_string(i);
    switch (i % 6) {
      case 0:
        return i % 12 == 0 ? std::vector<std::string>{"DEL", "s:" + n}
                           : std::vector<std::string>{"SET", "s:" + n, "after"};
      case 1:
        return {"HSET", "h:" + n, "a", "after", "c", "new"};
      case 2:
        return {"LPOP", "l:" + n};
      case 3:
        return {"ZINCRBY", "z:" + n, "5", "a"};
      case 4:
        return {"SREM", "t:" + n, "m"};
      default:
        return {"SET", "new:" + n, "after"};
    }
  });
  client.Command({"HDEL", "big", "field1", "field2"});
  client.Command({"EXPIRE", "h:1", "1000"});
  client.Command({"RENAME", "l:2", "renamed"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the e: keys expire
  ASSERT_TRUE(SaveRunning(client)) << "the save ended before the changes were made";
  ASSERT_EQ(client.Command({"FLUSHALL"}), Status("OK"));
  ASSERT_EQ(client.Command({"SET", "after-flush", "1"}), Status("OK"));
  ASSERT_TRUE(SaveRunning(client)) << "the save ended before FLUSHALL";
  EXPECT_EQ(client.Command({"SET", "k", "v"}), Status("OK")) << "the loop keeps serving";
  const std::string info = rdb::WaitForBgsave(client);
  EXPECT_NE(info.find("rdb_last_bgsave_status:ok"), std::string::npos) << info;
  server.Kill();

  const auto [status, check] = rdb::RedisCheckRdb(dir.file("dump.rdb"));
  EXPECT_EQ(status, 0) << check;
  EXPECT_NE(check.find(std::to_string(keys_at_start) + " keys read"), std::string::npos) << check;
  ServerProcess reloaded = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient reader(reloaded.port());
  std::vector<std::string> lasting;
  for (const std::string& key : keys) {
    if (!key.starts_with("e:")) lasting.push_back(key);
  }
  const std::map<std::string, std::string> after = DumpAll(reader, lasting);
  size_t differing = 0;
  for (const std::string& key : lasting) {
    if (after.at(key) != before.at(key) && ++differing <= 5) ADD_FAILURE() << "differs: " << key;
  }
  EXPECT_EQ(differing, 0u);
  EXPECT_EQ(reader.Command({"DBSIZE"}), Int(static_cast<long long>(lasting.size())));
  EXPECT_EQ(reader.Command({"EXISTS", "new:5", "renamed", "after-flush", "k"}), Int(0));
  EXPECT_EQ(reader.Command({"TTL", "h:1"}), Int(-1));
}

TEST(RdbForklessTest, ShutdownStopsARunningSaveAndSavesEverything) {
  TempDir dir;
  ServerProcess server = StartSlowSaver(dir);
  RedisClient client(server.port());
  Fill(client);
  ASSERT_EQ(client.Command({"BGSAVE"}), Status("Background saving started"));
  ASSERT_EQ(client.Command({"SET", "written-after", "1"}), Status("OK"));
  ASSERT_TRUE(SaveRunning(client));
  client.Command({"SHUTDOWN", "SAVE"});
  ASSERT_TRUE(server.WaitForExit(std::chrono::seconds(20)).has_value());
  EXPECT_FALSE(std::filesystem::exists(dir.file("temp-" + std::to_string(server.pid()) + ".rdb")));
  EXPECT_NE(server.ReadLog().find("There is a forkless snapshot in progress. Stopping it!"),
            std::string::npos);

  ServerProcess reloaded = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient reader(reloaded.port());
  EXPECT_EQ(reader.Command({"GET", "written-after"}), Bulk("1"));
  EXPECT_EQ(reader.Command({"HLEN", "big"}), Int(1000));
}

TEST(RdbForklessTest, KillNineMidSaveLeavesThePreviousDumpIntact) {
  TempDir dir;
  ServerProcess server = StartSlowSaver(dir);
  RedisClient client(server.port());
  Fill(client);
  ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));
  const std::string previous = rdb::ReadFile(dir.file("dump.rdb"));
  client.Command({"SET", "marker", "1"});
  ASSERT_EQ(client.Command({"BGSAVE"}), Status("Background saving started"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(SaveRunning(client));
  server.Kill();
  EXPECT_TRUE(rdb::ReadFile(dir.file("dump.rdb")) == previous) << "the previous dump changed";
  ServerProcess reloaded = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient reader(reloaded.port());
  EXPECT_EQ(reader.Command({"EXISTS", "marker"}), Int(0));
  EXPECT_EQ(reader.Command({"HLEN", "big"}), Int(1000));
}

}  // namespace
}  // namespace ember::test
