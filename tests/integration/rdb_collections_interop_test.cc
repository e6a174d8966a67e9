// Hashes and sets between Ember and redis-server 7.0, both directions: a dump Ember writes
// (every encoding, with TTLs) passes redis-check-rdb and loads in redis-server with the same
// elements, encodings and expiry times; a dump redis-server writes loads in Ember the same;
// an AOF base Ember rewrites as commands passes redis-check-aof and replays in redis-server
// to the same data; DUMP payloads move both ways (RESTORE in redis-server of Ember's
// payload, Ember decoding redis-server's DUMP).
//
// Ember's side is driven in-process through the persistence library (a Keyspace saved with
// SaveRdbFile, loaded with LoadRdbFile), so these tests hold whichever commands exist.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "persistence/aof_base.h"
#include "persistence/dump_payload.h"
#include "persistence/rdb_load.h"
#include "persistence/rdb_save.h"
#include "tests/integration/aof_test_util.h"
#include "tests/integration/collection_test_util.h"
#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using collections::EncodingOf;
using collections::HashMap;
using collections::HashOf;
using collections::MemberSet;
using collections::RedisHash;
using collections::RedisSet;
using collections::SetOf;
using rdb::TempDir;

constexpr int64_t kNowMs = 1'700'000'000'000;
constexpr int64_t kExpireAt = 4102444800321;

struct Expected {
  int db;
  std::string key;
  bool is_hash;
  HashMap hash;
  MemberSet set;
  std::string encoding;
  int64_t expire_at_ms = -1;
};

// Hashes and sets of every encoding, some with a TTL, in two databases.
std::vector<Expected> Dataset() {
  std::vector<Expected> out;
  HashMap big, long_value = {{"a", "1"}, {"long", std::string(200, 'x')}};
  for (int i = 0; i < 700; ++i) big["field:" + std::to_string(i)] = std::to_string(i * 7);
  out.push_back(
      {0, "h:listpack", true, {{"f", "v"}, {"n", "-12"}, {"big", "5000000000"}}, {}, "listpack"});
  out.push_back({0, "h:listpack-ttl", true, {{"a", "b"}}, {}, "listpack", kExpireAt});
  out.push_back({0, "h:table", true, big, {}, "hashtable", kExpireAt});
  out.push_back({1, "h:long", true, long_value, {}, "hashtable"});
  MemberSet ints = {"-1", "0", "40000", "9223372036854775807"}, many, strings = {"x", "y", "1"};
  for (int i = 0; i < 1000; ++i) many.insert(std::to_string(i * 3));
  out.push_back({0, "s:intset", false, {}, ints, "intset"});
  out.push_back({0, "s:intset-ttl", false, {}, {"5"}, "intset", kExpireAt});
  out.push_back({0, "s:many", false, {}, many, "hashtable"});
  out.push_back({1, "s:strings", false, {}, strings, "hashtable", kExpireAt});
  return out;
}

void Fill(storage::Keyspace& ks, const std::vector<Expected>& dataset) {
  const storage::EncodingLimits limits;
  for (const Expected& x : dataset) {
    storage::Value value;
    if (x.is_hash) {
      auto hash = std::make_unique<storage::HashValue>();
      for (const auto& [f, v] : x.hash) hash->Set(f, v, limits);
      value = storage::Value::Box(std::move(hash));
    } else {
      auto set = std::make_unique<storage::SetValue>();
      for (const std::string& m : x.set) set->Add(m, limits);
      value = storage::Value::Box(std::move(set));
    }
    storage::Entry* e = ks.db(x.db).Add(x.key, std::move(value));
    ASSERT_EQ(EncodingOf(e), x.encoding) << x.key;
    if (x.expire_at_ms >= 0) static_cast<void>(ks.db(x.db).SetExpire(e, x.expire_at_ms));
  }
}

void ExpectInRedis(RedisClient& client, const std::vector<Expected>& dataset) {
  for (const Expected& x : dataset) {
    client.Command({"SELECT", std::to_string(x.db)});
    if (x.is_hash) {
      EXPECT_EQ(RedisHash(client, x.key), x.hash) << x.key;
    } else {
      EXPECT_EQ(RedisSet(client, x.key), x.set) << x.key;
    }
    EXPECT_EQ(client.Command({"OBJECT", "ENCODING", x.key}), Bulk(x.encoding)) << x.key;
    EXPECT_EQ(client.Command({"PEXPIRETIME", x.key}), Int(x.expire_at_ms)) << x.key;
  }
}

TEST(RdbCollectionsInteropTest, EmberDumpPassesRedisCheckRdbAndLoadsInRedis) {
  const std::vector<Expected> dataset = Dataset();
  for (bool compression : {true, false}) {
    SCOPED_TRACE(compression ? "rdbcompression yes" : "rdbcompression no");
    storage::Keyspace ks;
    Fill(ks, dataset);
    TempDir dir;
    ServerProcess redis = collections::SaveAndStartReference(ks, dir, compression, kNowMs / 1000);
    RedisClient client(redis.port());
    ExpectInRedis(client, dataset);
  }
}

TEST(RdbCollectionsInteropTest, RedisDumpLoadsInEmberIdentically) {
  const std::vector<Expected> dataset = Dataset();
  TempDir dir;
  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
  RedisClient client(redis.port());
  for (const Expected& x : dataset) {
    client.Command({"SELECT", std::to_string(x.db)});
    std::vector<std::string> args = {x.is_hash ? "HSET" : "SADD", x.key};
    for (const auto& [f, v] : x.hash) {
      args.push_back(f);
      args.push_back(v);
    }
    args.insert(args.end(), x.set.begin(), x.set.end());
    ASSERT_NE(client.Command(args).type, Reply::Type::kError) << x.key;
    if (x.expire_at_ms >= 0) {
      client.Command({"PEXPIREAT", x.key, std::to_string(x.expire_at_ms)});
    }
  }
  ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));

  storage::Keyspace ks;
  persistence::Status s = persistence::LoadRdbFile(dir.file("dump.rdb"), &ks, kNowMs, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (const Expected& x : dataset) {
    const storage::Entry* e = ks.db(x.db).Find(x.key, kNowMs);
    ASSERT_NE(e, nullptr) << x.key;
    if (x.is_hash) {
      EXPECT_EQ(HashOf(e), x.hash) << x.key;
    } else {
      EXPECT_EQ(SetOf(e), x.set) << x.key;
    }
    EXPECT_EQ(EncodingOf(e), x.encoding) << x.key;
    EXPECT_EQ(ks.db(x.db).GetExpire(e), x.expire_at_ms) << x.key;
  }
}

TEST(RdbCollectionsInteropTest, EmberAofRewritePassesRedisCheckAofAndReplaysInRedis) {
  const std::vector<Expected> dataset = Dataset();
  storage::Keyspace ks;
  Fill(ks, dataset);
  TempDir dir;
  // A RESP base (aof-use-rdb-preamble no): HMSET / SADD in batches, SELECT, PEXPIREAT.
  persistence::Status s =
      persistence::WriteAofBaseFile(ks, dir.file("appendonly.aof"), false, {}, kNowMs, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string base = rdb::ReadFile(dir.file("appendonly.aof"));
  EXPECT_NE(base.find("$5\r\nHMSET\r\n$7\r\nh:table\r\n"), std::string::npos);
  EXPECT_EQ(base.find("*" + std::to_string(2 + 2 * 65) + "\r\n"), std::string::npos)
      << "a command holds more than 64 pairs";

  const aof::ExitResult check = aof::RedisCheckAof(dir.file("appendonly.aof"));
  EXPECT_EQ(check.status, 0) << check.log;
  // redis-server 7.0 loads a legacy single-file appendonly.aof as its base.
  ServerProcess redis = aof::StartReferenceAof(dir.path());
  RedisClient client(redis.port());
  ExpectInRedis(client, dataset);
}

TEST(RdbCollectionsInteropTest, DumpPayloadsMoveBetweenEmberAndRedis) {
  const std::vector<Expected> dataset = Dataset();
  storage::Keyspace ks;
  Fill(ks, dataset);
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient client(redis.port());
  for (const Expected& x : dataset) {
    SCOPED_TRACE(x.key);
    const storage::Entry* e = ks.db(x.db).Find(x.key, kNowMs);
    ASSERT_NE(e, nullptr);
    std::string payload;
    ASSERT_TRUE(persistence::EncodeDumpPayload(e->value(), true, &payload).ok());
    ASSERT_EQ(client.Command({"RESTORE", x.key, "0", payload}), Status("OK"));
    if (x.is_hash) {
      EXPECT_EQ(RedisHash(client, x.key), x.hash);
    } else {
      EXPECT_EQ(RedisSet(client, x.key), x.set);
    }
    EXPECT_EQ(client.Command({"OBJECT", "ENCODING", x.key}), Bulk(x.encoding));

    const Reply dumped = client.Command({"DUMP", x.key});
    ASSERT_EQ(dumped.type, Reply::Type::kString);
    storage::Value value;
    persistence::DumpPayloadError error;
    persistence::Status s =
        persistence::DecodeDumpPayload(dumped.str, persistence::RdbLoadContext{}, &value, &error);
    ASSERT_TRUE(s.ok()) << s.ToString();
    storage::Entry* back = ks.db(x.db).Add(x.key + ":back", std::move(value));
    if (x.is_hash) {
      EXPECT_EQ(HashOf(back), x.hash);
    } else {
      EXPECT_EQ(SetOf(back), x.set);
    }
    EXPECT_EQ(EncodingOf(back), x.encoding);
  }
}

}  // namespace
}  // namespace ember::test
