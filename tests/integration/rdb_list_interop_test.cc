// Lists between Ember and redis-server 7.0, both directions, before the list commands exist:
// a dump Ember writes passes redis-check-rdb and loads in redis-server with the same
// elements and TTLs; a dump redis-server writes loads in Ember the same; an AOF base Ember
// rewrites passes redis-check-aof and replays in redis-server; DUMP payloads move both ways.
// Ember's side is driven in-process through the persistence library.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "persistence/aof_base.h"
#include "persistence/dump_payload.h"
#include "persistence/rdb_load.h"
#include "persistence/rdb_save.h"
#include "storage/value/list_value.h"
#include "storage/value/number_format.h"
#include "tests/integration/aof_test_util.h"
#include "tests/integration/collection_test_util.h"
#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using rdb::TempDir;
using Strings = std::vector<std::string>;

constexpr int64_t kNowMs = 1'700'000'000'000;
constexpr int64_t kExpireAt = 4102444800321;

struct ExpectedList {
  int db;
  std::string key;
  Strings elements;
  int64_t expire_at_ms = -1;
};

// Short and long lists, uniform and mixed elements (integers, empty strings, an element
// larger than a node), with and without a TTL, in two databases.
std::vector<ExpectedList> Dataset() {
  Strings uniform, mixed;
  for (int i = 0; i < 5000; ++i) uniform.push_back("element-" + std::to_string(10000000 + i));
  for (int i = 0; i < 2000; ++i) {
    mixed.push_back(i % 3 == 0 ? std::to_string(i * 37 - 1000) : std::string(i % 50, 'm'));
  }
  mixed.push_back(std::string(20000, 'L'));
  mixed.push_back("tail");
  return {{0, "l:short", {"a", "b", "c"}},
          {0, "l:uniform", uniform, kExpireAt},
          {0, "l:mixed", mixed},
          {3, "l:db3", {"", "9223372036854775807", "-1", "x"}, kExpireAt}};
}

void Fill(storage::Keyspace& ks, const std::vector<ExpectedList>& dataset) {
  for (const ExpectedList& x : dataset) {
    auto list = std::make_unique<storage::ListValue>();
    for (const std::string& e : x.elements) {
      list->Push(storage::ListValue::End::kBack, e, storage::ListValue::kDefaultFill);
    }
    storage::Entry* e = ks.db(x.db).Add(x.key, storage::Value::Box(std::move(list)));
    if (x.expire_at_ms >= 0) static_cast<void>(ks.db(x.db).SetExpire(e, x.expire_at_ms));
  }
}

Strings ElementsOf(const storage::Entry* e) {
  Strings out;
  const auto list = e->value().Read<storage::ListValue>();
  list->Visit(0, list->Size(), false, [&out](const storage::ListValue::Element& element) {
    storage::NumberBuffer scratch;
    out.emplace_back(element.View(scratch));
    return true;
  });
  return out;
}

Strings RedisList(RedisClient& client, const std::string& key) {
  const Reply reply = client.Command({"LRANGE", key, "0", "-1"});
  Strings out;
  for (const Reply& element : reply.elements) out.push_back(element.str);
  return out;
}

void ExpectInRedis(RedisClient& client, const std::vector<ExpectedList>& dataset) {
  for (const ExpectedList& x : dataset) {
    client.Command({"SELECT", std::to_string(x.db)});
    EXPECT_EQ(RedisList(client, x.key), x.elements) << x.key;
    EXPECT_EQ(client.Command({"OBJECT", "ENCODING", x.key}), Bulk("quicklist")) << x.key;
    EXPECT_EQ(client.Command({"PEXPIRETIME", x.key}), Int(x.expire_at_ms)) << x.key;
  }
}

TEST(RdbListInteropTest, EmberDumpPassesRedisCheckRdbAndLoadsInRedis) {
  const std::vector<ExpectedList> dataset = Dataset();
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

TEST(RdbListInteropTest, RedisDumpLoadsInEmberIdentically) {
  const std::vector<ExpectedList> dataset = Dataset();
  TempDir dir;
  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path()});
  RedisClient client(redis.port());
  for (const ExpectedList& x : dataset) {
    client.Command({"SELECT", std::to_string(x.db)});
    for (size_t from = 0; from < x.elements.size(); from += 500) {
      std::vector<std::string> args = {"RPUSH", x.key};
      for (size_t i = from; i < std::min(x.elements.size(), from + 500); ++i) {
        args.push_back(x.elements[i]);
      }
      ASSERT_EQ(client.Command(args).type, Reply::Type::kInteger) << x.key;
    }
    if (x.expire_at_ms >= 0) client.Command({"PEXPIREAT", x.key, std::to_string(x.expire_at_ms)});
  }
  ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));

  storage::Keyspace ks;
  persistence::Status s = persistence::LoadRdbFile(dir.file("dump.rdb"), &ks, kNowMs, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (const ExpectedList& x : dataset) {
    const storage::Entry* e = ks.db(x.db).Find(x.key, kNowMs);
    ASSERT_NE(e, nullptr) << x.key;
    EXPECT_EQ(ElementsOf(e), x.elements) << x.key;
    EXPECT_EQ(ks.db(x.db).GetExpire(e), x.expire_at_ms) << x.key;
  }
}

TEST(RdbListInteropTest, EmberAofRewritePassesRedisCheckAofAndReplaysInRedis) {
  const std::vector<ExpectedList> dataset = Dataset();
  storage::Keyspace ks;
  Fill(ks, dataset);
  TempDir dir;
  persistence::Status s =
      persistence::WriteAofBaseFile(ks, dir.file("appendonly.aof"), false, {}, kNowMs, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string base = rdb::ReadFile(dir.file("appendonly.aof"));
  EXPECT_NE(base.find("$5\r\nRPUSH\r\n$9\r\nl:uniform\r\n"), std::string::npos);
  EXPECT_EQ(base.find("*" + std::to_string(2 + 65) + "\r\n"), std::string::npos)
      << "a command holds more than 64 elements";
  const aof::ExitResult check = aof::RedisCheckAof(dir.file("appendonly.aof"));
  EXPECT_EQ(check.status, 0) << check.log;
  ServerProcess redis = aof::StartReferenceAof(dir.path());
  RedisClient client(redis.port());
  ExpectInRedis(client, dataset);
}

TEST(RdbListInteropTest, DumpPayloadsMoveBetweenEmberAndRedis) {
  const std::vector<ExpectedList> dataset = Dataset();
  storage::Keyspace ks;
  Fill(ks, dataset);
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient client(redis.port());
  for (const ExpectedList& x : dataset) {
    SCOPED_TRACE(x.key);
    const storage::Entry* e = ks.db(x.db).Find(x.key, kNowMs);
    ASSERT_NE(e, nullptr);
    std::string payload;
    ASSERT_TRUE(persistence::EncodeDumpPayload(e->value(), true, &payload).ok());
    ASSERT_EQ(client.Command({"RESTORE", x.key, "0", payload}), Status("OK"));
    EXPECT_EQ(RedisList(client, x.key), x.elements);

    const Reply dumped = client.Command({"DUMP", x.key});
    ASSERT_EQ(dumped.type, Reply::Type::kString);
    storage::Value value;
    persistence::DumpPayloadError error;
    persistence::Status s =
        persistence::DecodeDumpPayload(dumped.str, persistence::RdbLoadContext{}, &value, &error);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(ElementsOf(ks.db(x.db).Add(x.key + ":back", std::move(value))), x.elements);
  }
}

}  // namespace
}  // namespace ember::test
