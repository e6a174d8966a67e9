// Byte-exactness of the compact encodings against the reference redis-server 7.0: a small
// hash (listpack) or integer set (intset) built in redis-server and the same elements built
// with our Listpack / Intset give identical bytes. The bytes are read out of DUMP payloads:
// type byte (16 = hash listpack, 11 = set intset), an RDB string holding the blob (the
// server runs with rdbcompression off, so it is never LZF-compressed), 2 bytes of RDB
// version and 8 bytes of CRC64.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/value/intset.h"
#include "storage/value/listpack.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using storage::Intset;
using storage::Listpack;
using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr uint8_t kRdbTypeSetIntset = 11;
constexpr uint8_t kRdbTypeHashListpack = 16;

// The blob inside a DUMP payload of type `type`; fails the test and returns "" otherwise.
std::string BlobFromDump(const Reply& dump, uint8_t type) {
  EXPECT_EQ(dump.type, Reply::Type::kString) << dump.ToString();
  const std::string& p = dump.str;
  if (p.size() < 1 + 1 + 10) {
    ADD_FAILURE() << "DUMP payload too short: " << p.size();
    return "";
  }
  EXPECT_EQ(static_cast<uint8_t>(p[0]), type);
  const auto byte = [&p](size_t i) { return static_cast<uint8_t>(p[i]); };
  size_t pos = 1;
  uint64_t length = 0;
  switch (byte(pos) >> 6) {
    case 0:
      length = byte(pos) & 0x3F;
      pos += 1;
      break;
    case 1:
      length = (uint64_t{byte(pos)} & 0x3F) << 8 | byte(pos + 1);
      pos += 2;
      break;
    case 2:
      if (byte(pos) != 0x80) {
        ADD_FAILURE() << "unexpected 64-bit RDB length";
        return "";
      }
      for (size_t i = 1; i <= 4; ++i) length = length << 8 | byte(pos + i);
      pos += 5;
      break;
    default:
      ADD_FAILURE() << "RDB string is specially encoded (LZF or integer), not raw";
      return "";
  }
  if (pos + length + 10 != p.size()) {
    ADD_FAILURE() << "RDB string length " << length << " does not fill the payload";
    return "";
  }
  return p.substr(pos, length);
}

class CompactEncodingBytesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = std::make_unique<ServerProcess>(ServerProcess::StartReference(
        {"--rdbcompression", "no", "--hash-max-listpack-entries", "1000",
         "--hash-max-listpack-value", "20000", "--set-max-intset-entries", "5000"}));
    client_ = std::make_unique<RedisClient>(redis_->port());
  }

  std::string Dump(const std::string& key, uint8_t type) {
    return BlobFromDump(client_->Command({"DUMP", key}), type);
  }

  // HSETs `pairs` one pair per command (so order and updates are Redis's) and returns the
  // listpack Redis holds.
  std::string RedisHash(const std::string& key, const Pairs& pairs) {
    for (const auto& [field, value] : pairs) client_->Command({"HSET", key, field, value});
    EXPECT_EQ(client_->Command({"OBJECT", "ENCODING", key}), Bulk("listpack"));
    return Dump(key, kRdbTypeHashListpack);
  }

  std::unique_ptr<ServerProcess> redis_;
  std::unique_ptr<RedisClient> client_;
};

// What a hash's HSET does to a listpack: replace the value of an existing field, else
// append field and value.
void HashSet(Listpack& lp, const std::string& field, const std::string& value) {
  const size_t at = lp.Find(field, lp.First(), 1);
  if (at == Listpack::kNoEntry) {
    lp.Append(field);
    lp.Append(value);
  } else {
    lp.Replace(lp.Next(at), value);
  }
}

TEST_F(CompactEncodingBytesTest, HashListpackMatchesRedisForEveryEncoding) {
  const Pairs pairs = {
      {"f", "v"},
      {"0", "127"},
      {"128", "-1"},
      {"4095", "-4096"},
      {"4096", "-4097"},
      {"32767", "-32768"},
      {"32768", "-32769"},
      {"8388607", "-8388608"},
      {"8388608", "2147483647"},
      {"-2147483648", "2147483648"},
      {"-2147483649", "9223372036854775807"},
      {"-9223372036854775808", "9223372036854775808"},
      {"-0", "007"},
      {"+5", " 5"},
      {"", "1.5"},
      {std::string(63, 'a'), std::string(64, 'b')},
      {std::string(126, 'c'), std::string(127, 'd')},
      {std::string(4095, 'e'), std::string(4096, 'f')},
      {std::string(16377, 'g'), std::string(16378, 'h')},
  };
  const std::string redis = RedisHash("h", pairs);
  Listpack lp;
  for (const auto& [field, value] : pairs) {
    lp.Append(field);
    lp.Append(value);
  }
  EXPECT_EQ(lp.bytes(), redis);
  std::string error;
  std::optional<Listpack> adopted = Listpack::FromBytes(redis, &error);
  ASSERT_TRUE(adopted.has_value()) << error;
  EXPECT_EQ(adopted->size(), 2 * pairs.size());
}

TEST_F(CompactEncodingBytesTest, HashUpdatesAndDeletesMatchRedis) {
  Listpack lp;
  const Pairs first = {{"a", "1"}, {"b", "two"}, {"c", "3"}, {"d", "four"}};
  for (const auto& [field, value] : first) HashSet(lp, field, value);
  RedisHash("h", first);
  // Grow, shrink and re-type values in place.
  const Pairs updates = {
      {"b", std::string(200, 'x')}, {"a", "-100000"}, {"d", "4"}, {"b", "short"}, {"e", "5"}};
  for (const auto& [field, value] : updates) HashSet(lp, field, value);
  EXPECT_EQ(lp.bytes(), RedisHash("h", updates));
  // HDEL removes the field and its value.
  for (const std::string field : {"a", "e", "c"}) {
    client_->Command({"HDEL", "h", field});
    lp.Delete(lp.Find(field, lp.First(), 1), 2);
  }
  EXPECT_EQ(lp.bytes(), Dump("h", kRdbTypeHashListpack));
}

TEST_F(CompactEncodingBytesTest, IntsetMatchesRedisAcrossWidths) {
  const std::vector<std::vector<int64_t>> sets = {
      {5, -3, 100, 0, 7},
      {1, -2, 3, 70000},
      {1, -2, 3, -70000, 40000, INT16_MIN, INT16_MAX},
      {-1, 1, int64_t{5} << 33},
      {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 0, INT32_MIN,
       int64_t{INT32_MAX} + 1},
  };
  int n = 0;
  for (const std::vector<int64_t>& members : sets) {
    const std::string key = "s" + std::to_string(n++);
    Intset ours;
    for (int64_t m : members) {
      client_->Command({"SADD", key, std::to_string(m)});
      ours.Add(m);
    }
    EXPECT_EQ(client_->Command({"OBJECT", "ENCODING", key}), Bulk("intset"));
    const std::string redis = Dump(key, kRdbTypeSetIntset);
    EXPECT_EQ(ours.bytes(), redis) << key;
    std::string error;
    std::optional<Intset> adopted = Intset::FromBytes(redis, &error);
    ASSERT_TRUE(adopted.has_value()) << error;
    EXPECT_EQ(adopted->size(), members.size());
  }
}

TEST_F(CompactEncodingBytesTest, IntsetRemovalsKeepTheWidthAsRedisDoes) {
  Intset ours;
  for (int i = -600; i < 600; i += 3) {
    client_->Command({"SADD", "s", std::to_string(i)});
    ours.Add(i);
  }
  client_->Command({"SADD", "s", "100000"});
  ours.Add(100000);
  for (const int64_t m : {100000, -600, 0, 597}) {
    client_->Command({"SREM", "s", std::to_string(m)});
    ours.Remove(m);
  }
  EXPECT_EQ(ours.width(), 4u);
  EXPECT_EQ(ours.bytes(), Dump("s", kRdbTypeSetIntset));
}

}  // namespace
}  // namespace ember::test
