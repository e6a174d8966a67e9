#include "persistence/dump_payload.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "persistence/crc64.h"
#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"

namespace ember::persistence {
namespace {

using storage::CollectionEncoding;
using storage::Value;

// DUMP replies of redis-server 7.0.15: a hash {"a": "1"} (type 16, its 12-byte listpack),
// and a set {1, 2} (type 11, a 12-byte intset of width 2); each then version 10 (0a 00)
// and the CRC-64.
const std::string kRedisHashDump(
    "\x10\x0c\x0c\x00\x00\x00\x02\x00\x81"
    "a\x02\x01\x01\xff\n\x00\x84\xa6\x93\xe8\xaa\x17\xe4\xdb",
    24);
const std::string kRedisSetDump(
    "\x0b\x0c\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00\x02\x00\n\x00oy8\xb1"
    "4\xeb .",
    24);

Value Decode(std::string_view payload, DumpPayloadError* error) {
  Value v;
  static_cast<void>(DecodeDumpPayload(payload, RdbLoadContext{}, &v, error));
  return v;
}

TEST(DumpPayloadTest, RedisHashAndSetPayloadsDecode) {
  DumpPayloadError error;
  Value hash = Decode(kRedisHashDump, &error);
  ASSERT_EQ(error, DumpPayloadError::kNone);
  ASSERT_EQ(hash.type(), storage::ValueType::kHash);
  EXPECT_EQ(hash.collection().encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(hash.As<storage::HashValue>().Size(), 1u);
  Value set = Decode(kRedisSetDump, &error);
  ASSERT_EQ(error, DumpPayloadError::kNone);
  EXPECT_EQ(set.collection().encoding(), CollectionEncoding::kIntset);
  EXPECT_EQ(set.As<storage::SetValue>().Size(), 2u);
}

TEST(DumpPayloadTest, EncodingWhatRedisDecodedGivesRedisBytes) {
  DumpPayloadError error;
  for (const std::string& payload : {kRedisHashDump, kRedisSetDump}) {
    Value v = Decode(payload, &error);
    ASSERT_EQ(error, DumpPayloadError::kNone);
    std::string again;
    ASSERT_TRUE(EncodeDumpPayload(v.Ref(), true, &again).ok());
    EXPECT_EQ(again, payload);
  }
}

TEST(DumpPayloadTest, StringPayloadRoundTrips) {
  std::string payload;
  ASSERT_TRUE(EncodeDumpPayload(Value::String("hello").Ref(), true, &payload).ok());
  EXPECT_EQ(payload.substr(0, 7), std::string("\x00\x05hello", 7));
  DumpPayloadError error;
  Value v = Decode(payload, &error);
  ASSERT_EQ(error, DumpPayloadError::kNone);
  storage::NumberBuffer scratch;
  EXPECT_EQ(v.Ref().View(scratch), "hello");
}

TEST(DumpPayloadTest, DamagedFooterIsAVersionOrChecksumError) {
  DumpPayloadError error;
  std::string flipped = kRedisSetDump;
  flipped[3] ^= 1;
  Decode(flipped, &error);
  EXPECT_EQ(error, DumpPayloadError::kBadVersionOrChecksum);
  Decode("short", &error);
  EXPECT_EQ(error, DumpPayloadError::kBadVersionOrChecksum);
  std::string future = kRedisSetDump;
  future[future.size() - 10] = 13;
  Decode(future, &error);
  EXPECT_EQ(error, DumpPayloadError::kBadVersionOrChecksum);
}

// Reseals `body` (type byte and value) with version 10 and its checksum.
std::string Seal(std::string body) {
  body += std::string("\x0a\x00", 2);
  const uint64_t crc = Crc64(0, body);
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(crc >> (8 * i)));
  return body;
}

TEST(DumpPayloadTest, CorruptValueIsABadDataError) {
  DumpPayloadError error;
  // An intset claiming width 3.
  Decode(Seal(std::string("\x0b\x0c\x03\x00\x00\x00\x02\x00\x00\x00\x01\x00\x02\x00", 14)), &error);
  EXPECT_EQ(error, DumpPayloadError::kBadData);
  // A valid intset followed by a stray byte.
  Decode(Seal(std::string("\x0b\x0c\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00\x02\x00!", 15)),
         &error);
  EXPECT_EQ(error, DumpPayloadError::kBadData);
  // A list (quicklist2): a type Ember cannot hold yet.
  Decode(Seal(std::string("\x12\x01\x02\x0b\x0b\x00\x00\x00\x01\x00\x81"
                          "a\x02\xff",
                          14)),
         &error);
  EXPECT_EQ(error, DumpPayloadError::kBadData);
  Decode(Seal(std::string("\x02\x00", 2)), &error);  // an empty plain set
  EXPECT_EQ(error, DumpPayloadError::kBadData);
}

}  // namespace
}  // namespace ember::persistence
