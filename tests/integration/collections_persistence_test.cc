// Hashes and sets through the real binaries: ember-server starts from redis-server 7.0's
// dump and AOF holding them, its SAVE loads in redis-server, and its AOF survives a rewrite
// (HMSET / SADD batches) and a restart, with every encoding and TTL intact; RESTORE takes
// redis-server's DUMP payloads and is logged with an absolute TTL.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"
#include "tests/integration/collection_test_util.h"
#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using collections::HashMap;
using collections::MemberSet;
using collections::RedisHash;
using collections::RedisSet;
using rdb::TempDir;

constexpr long long kExpireAt = 4102444800555;

// Writes hashes and sets of every encoding, with TTLs, through commands; some elements are
// removed again so the log holds HDEL / SREM / SPOP-free deterministic changes.
void WriteCollections(RedisClient& c) {
  auto must = [&c](const std::vector<std::string>& args) {
    const Reply r = c.Command(args);
    ASSERT_NE(r.type, Reply::Type::kError) << r.ToString();
  };
  must({"HSET", "h:small", "a", "1", "b", "two", "c", "-3"});
  must({"HDEL", "h:small", "b"});
  must({"HSET", "h:ttl", "k", "v"});
  must({"PEXPIREAT", "h:ttl", std::to_string(kExpireAt)});
  must({"HSET", "h:long", "f", std::string(100, 'L')});
  for (int i = 0; i < 600; i += 50) {
    std::vector<std::string> args = {"HSET", "h:big"};
    for (int j = i; j < i + 50 && j < 600; ++j) {
      args.push_back("field" + std::to_string(j));
      args.push_back(std::to_string(j));
    }
    must(args);
  }
  must({"HINCRBY", "h:big", "field0", "5"});
  must({"SADD", "s:ints", "5", "1", "-9", "100000"});
  must({"SREM", "s:ints", "1"});
  must({"SADD", "s:strings", "x", "y", "z"});
  must({"PEXPIREAT", "s:strings", std::to_string(kExpireAt)});
  std::vector<std::string> many = {"SADD", "s:many"};
  for (int i = 0; i < 700; ++i) many.push_back(std::to_string(i));
  must(many);
  must({"SELECT", "2"});
  must({"SADD", "s:db2", "only"});
  must({"HSET", "h:db2", "only", "1"});
  must({"SELECT", "0"});
}

// What the keys hold, read through commands, with their encodings and TTLs.
struct Snapshot {
  std::map<std::string, HashMap> hashes;
  std::map<std::string, MemberSet> sets;
  std::map<std::string, std::string> encodings;
  std::map<std::string, long long> expiries;
  bool operator==(const Snapshot&) const = default;
};

Snapshot Read(RedisClient& c) {
  Snapshot out;
  for (int db : {0, 2}) {
    c.Command({"SELECT", std::to_string(db)});
    for (const Reply& key : c.Command({"KEYS", "*"}).elements) {
      const std::string name = std::to_string(db) + ":" + key.str;
      const std::string type = c.Command({"TYPE", key.str}).str;
      if (type == "hash") out.hashes[name] = RedisHash(c, key.str);
      if (type == "set") out.sets[name] = RedisSet(c, key.str);
      out.encodings[name] = c.Command({"OBJECT", "ENCODING", key.str}).str;
      out.expiries[name] = c.Command({"PEXPIRETIME", key.str}).integer;
    }
  }
  c.Command({"SELECT", "0"});
  return out;
}

void ExpectSnapshot(const Snapshot& got, const Snapshot& want) {
  EXPECT_EQ(got.hashes, want.hashes);
  EXPECT_EQ(got.sets, want.sets);
  EXPECT_EQ(got.encodings, want.encodings);
  EXPECT_EQ(got.expiries, want.expiries);
  EXPECT_EQ(got.hashes.size() + got.sets.size(), 9u);
}

TEST(CollectionsPersistenceTest, GoldenDumpLoadsIntoTheServer) {
  TempDir dir;
  rdb::WriteFile(dir.file("dump.rdb"), rdb::ReadFile(rdb::GoldenPath("hashes_sets_7.0.rdb")));
  ServerProcess ember = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient c(ember.port());
  EXPECT_EQ(c.Command({"DBSIZE"}), Int(12));
  EXPECT_EQ(c.Command({"HGET", "h:small", "name"}), Bulk("ember"));
  EXPECT_EQ(c.Command({"OBJECT", "ENCODING", "h:small"}), Bulk("listpack"));
  EXPECT_EQ(c.Command({"HLEN", "h:big"}), Int(600));
  EXPECT_EQ(c.Command({"OBJECT", "ENCODING", "h:big"}), Bulk("hashtable"));
  EXPECT_EQ(c.Command({"PEXPIRETIME", "h:big"}), Int(4102444800456));
  EXPECT_EQ(c.Command({"SISMEMBER", "s:huge", "5000000000"}), Int(1));
  EXPECT_EQ(c.Command({"OBJECT", "ENCODING", "s:huge"}), Bulk("intset"));
  EXPECT_EQ(c.Command({"SCARD", "s:bigints"}), Int(600));
  EXPECT_EQ(c.Command({"OBJECT", "ENCODING", "s:strings"}), Bulk("hashtable"));
  c.Command({"SELECT", "3"});
  EXPECT_EQ(c.Command({"SMEMBERS", "s:db3"}).elements.size(), 2u);
  EXPECT_EQ(c.Command({"PEXPIRETIME", "s:db3"}), Int(4102444800999));
}

TEST(CollectionsPersistenceTest, RedisDumpAndEmberDumpCarryTheSameCollections) {
  TempDir redis_dir, ember_dir;
  Snapshot want;
  {
    ServerProcess redis = ServerProcess::StartReference({"--dir", redis_dir.path()});
    RedisClient c(redis.port());
    WriteCollections(c);
    want = Read(c);
    ASSERT_EQ(c.Command({"SAVE"}), Status("OK"));
  }
  {
    rdb::WriteFile(ember_dir.file("dump.rdb"), rdb::ReadFile(redis_dir.file("dump.rdb")));
    ServerProcess ember = ServerProcess::StartEmber({"--dir", ember_dir.path()});
    RedisClient c(ember.port());
    ExpectSnapshot(Read(c), want);
    ASSERT_EQ(c.Command({"SAVE"}), Status("OK"));
  }
  auto [status, output] = rdb::RedisCheckRdb(ember_dir.file("dump.rdb"));
  EXPECT_EQ(status, 0) << output;
  ServerProcess redis = ServerProcess::StartReference({"--dir", ember_dir.path()});
  RedisClient c(redis.port());
  ExpectSnapshot(Read(c), want);
}

TEST(CollectionsPersistenceTest, RedisAofWithCollectionsLoadsInEmber) {
  TempDir dir;
  Snapshot want;
  {
    ServerProcess redis = aof::StartReferenceAof(dir.path(), {"--aof-use-rdb-preamble", "no"});
    RedisClient c(redis.port());
    WriteCollections(c);
    want = Read(c);
    aof::StopServer(redis, aof::StopKind::kShutdown);
  }
  ServerProcess ember = aof::StartAof(dir.path());
  RedisClient c(ember.port());
  ExpectSnapshot(Read(c), want);
}

// RESTORE of redis-server's DUMP payloads: the hash comes back whole, and the AOF logs the
// RESTORE with the absolute expiry time (ABSTTL), so a restart restores the same TTL.
TEST(CollectionsPersistenceTest, RestoreOfRedisPayloadsIsLoggedWithAbsoluteTtl) {
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient r(redis.port());
  WriteCollections(r);
  const std::string hash_payload = r.Command({"DUMP", "h:big"}).str;
  const std::string set_payload = r.Command({"DUMP", "s:ints"}).str;
  TempDir dir;
  long long expire_at = 0;
  {
    ServerProcess ember = aof::StartAof(dir.path());
    RedisClient c(ember.port());
    ASSERT_EQ(c.Command({"RESTORE", "h", "100000", hash_payload}), Status("OK"));
    ASSERT_EQ(c.Command({"RESTORE", "s", "0", set_payload}), Status("OK"));
    EXPECT_EQ(RedisHash(c, "h"), RedisHash(r, "h:big"));
    EXPECT_EQ(c.Command({"OBJECT", "ENCODING", "h"}), Bulk("hashtable"));
    EXPECT_EQ(RedisSet(c, "s"), RedisSet(r, "s:ints"));
    EXPECT_EQ(c.Command({"OBJECT", "ENCODING", "s"}), Bulk("intset"));
    expire_at = c.Command({"PEXPIRETIME", "h"}).integer;
    EXPECT_GT(expire_at, 0);
    aof::StopServer(ember, aof::StopKind::kShutdown);
  }
  bool logged = false;
  for (const aof::LoggedCommand& command : aof::ReadLoggedCommands(dir.path())) {
    if (command.argv[0] != "RESTORE" || command.argv[1] != "h") continue;
    logged = true;
    EXPECT_EQ(command.argv[2], std::to_string(expire_at));
    EXPECT_EQ(command.argv.back(), "ABSTTL");
  }
  EXPECT_TRUE(logged);
  ServerProcess ember = aof::StartAof(dir.path());
  RedisClient c(ember.port());
  EXPECT_EQ(c.Command({"PEXPIRETIME", "h"}), Int(expire_at));
  EXPECT_EQ(RedisHash(c, "h"), RedisHash(r, "h:big"));
}

class CollectionsAofRewriteTest : public ::testing::TestWithParam<bool> {};

TEST_P(CollectionsAofRewriteTest, RewriteReplaysToTheSameCollections) {
  TempDir dir;
  const std::vector<std::string> preamble = {"--aof-use-rdb-preamble", GetParam() ? "yes" : "no"};
  Snapshot want;
  {
    ServerProcess ember = aof::StartAof(dir.path(), preamble);
    RedisClient c(ember.port());
    WriteCollections(c);
    want = Read(c);
    aof::Rewrite(c);
    c.Command({"SADD", "s:ints", "77"});
    want = Read(c);
    aof::StopServer(ember, aof::StopKind::kShutdown);
  }
  if (!GetParam()) {
    // A RESP base: hashes as HMSET and sets as SADD, never more than 64 elements each.
    const aof::ParsedLog base = aof::ParseLog(aof::ReadFile(aof::BasePath(dir.path())));
    size_t hmset = 0, sadd = 0;
    for (const auto& argv : base.commands) {
      if (argv[0] == "HMSET") {
        ++hmset;
        EXPECT_LE(argv.size(), 2u + 2 * 64);
      }
      if (argv[0] == "SADD") {
        ++sadd;
        EXPECT_LE(argv.size(), 2u + 64);
      }
    }
    EXPECT_EQ(hmset, 3u + 1 + 10);  // h:small, h:ttl, h:long, h:db2, h:big (600 fields)
    EXPECT_EQ(sadd, 3u + 11);       // s:ints, s:strings, s:db2, s:many (700 members)
  }
  const aof::ExitResult check = aof::RedisCheckAof(aof::ManifestPath(dir.path()));
  EXPECT_EQ(check.status, 0) << check.log;
  {
    ServerProcess ember = aof::StartAof(dir.path(), preamble);
    RedisClient c(ember.port());
    ExpectSnapshot(Read(c), want);
  }
  ServerProcess redis = aof::StartReferenceAof(dir.path());
  RedisClient c(redis.port());
  ExpectSnapshot(Read(c), want);
}

INSTANTIATE_TEST_SUITE_P(Preamble, CollectionsAofRewriteTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "Rdb" : "Resp";
                         });

}  // namespace
}  // namespace ember::test
