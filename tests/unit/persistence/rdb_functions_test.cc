// Function library records: FUNCTION DUMP payloads byte for byte as redis-server 7.0.15
// writes them, both record forms read from a file, and the payload errors Redis reports.
#include "persistence/rdb_functions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/crc64.h"
#include "persistence/rdb_reader.h"
#include "persistence/rdb_save.h"

namespace ember::persistence {
namespace {

const std::string kCode = "#!lua name=l\nredis.register_function('f', function() return 1 end)";
// FUNCTION DUMP of redis-server 7.0.15 holding kCode alone: opcode 245, the code (too
// repetitive for nothing, too short for LZF to win), version 10, CRC-64.
const std::string kRedisDump =
    "\xf5\x40\x42" + kCode + std::string("\x0a\x00\x62\x95\x68\xe6\x5f\x41\x2b\xe2", 10);

std::string WithFooter(std::string body) {
  body += std::string("\x0a\x00", 2);
  const uint64_t crc = Crc64(0, body);
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(crc >> (8 * i)));
  return body;
}

std::string Decode(std::string_view payload, std::vector<std::string>* codes) {
  Status s = DecodeFunctionsPayload(payload, codes);
  return s.ok() ? "" : s.message();
}

TEST(RdbFunctionsTest, DumpPayloadIsRedisBytes) {
  const std::vector<std::string> codes = {kCode};
  EXPECT_EQ(EncodeFunctionsPayload(codes, /*compression=*/true), kRedisDump);
}

TEST(RdbFunctionsTest, RedisPayloadDecodesToItsCode) {
  std::vector<std::string> codes;
  EXPECT_EQ(Decode(kRedisDump, &codes), "");
  EXPECT_EQ(codes, std::vector<std::string>{kCode});
}

TEST(RdbFunctionsTest, EmptyPayloadHoldsNoLibrary) {
  std::vector<std::string> codes = {"left over"};
  EXPECT_EQ(Decode(EncodeFunctionsPayload({}, true), &codes), "");
  EXPECT_TRUE(codes.empty());
}

TEST(RdbFunctionsTest, LongCodeRoundTripsThroughLzf) {
  const std::string code = "#!lua name=big\n" + std::string(5000, '-') + "\n";
  const std::vector<std::string> codes = {code, kCode};
  const std::string payload = EncodeFunctionsPayload(codes, true);
  EXPECT_LT(payload.size(), 1000u);
  std::vector<std::string> decoded;
  EXPECT_EQ(Decode(payload, &decoded), "");
  EXPECT_EQ(decoded, codes);
}

TEST(RdbFunctionsTest, BadPayloadsGetRedisErrors) {
  std::vector<std::string> codes;
  EXPECT_EQ(Decode("bad_payload", &codes), "DUMP payload version or checksum are wrong");
  std::string flipped = kRedisDump;
  flipped[10] ^= 1;
  EXPECT_EQ(Decode(flipped, &codes), "DUMP payload version or checksum are wrong");
  EXPECT_EQ(Decode(WithFooter(std::string("\x00\x01k\x01v", 5)), &codes),
            "given type is not a function");
  EXPECT_EQ(Decode(WithFooter("\xf5\x40\x42#!lua"), &codes), "Failed loading library payload");
  EXPECT_EQ(Decode(WithFooter("\xf6\x01"), &codes), "Failed loading library name");
}

TEST(RdbFunctionsTest, PreGaRecordBecomesCodeWithShebang) {
  // Redis 7.0 rc1/rc2: name, engine, a description (flag then text), the bare code.
  const std::string body = "return 1";
  std::string record = "\xf6\x03lib\x03LUA\x01\x04" + std::string("desc") + "\x08" + body;
  std::vector<std::string> codes;
  EXPECT_EQ(Decode(WithFooter(record), &codes), "");
  EXPECT_EQ(codes, std::vector<std::string>{"#!LUA name=lib\nreturn 1"});
}

TEST(RdbFunctionsTest, SnapshotCarriesLibrariesBeforeTheKeysAndReadsThemBack) {
  storage::Keyspace keyspace(16);
  RdbWriteOptions options;
  options.function_libraries = {kCode, "#!lua name=two\nredis.register_function('g', print)"};
  MemorySink sink;
  ASSERT_TRUE(WriteRdbSnapshot(keyspace, &sink, options, 0, nullptr).ok());
  const std::string file = sink.data();
  EXPECT_NE(file.find("\xf5\x40\x42" + kCode), std::string::npos);

  MemorySource source(file);
  RdbReader reader(&source);
  ASSERT_TRUE(reader.ReadHeader().ok());
  RdbEntry entry;
  bool done = false;
  ASSERT_TRUE(reader.Next(&entry, &done).ok());
  EXPECT_TRUE(done);
  EXPECT_EQ(reader.functions(), options.function_libraries);
}

}  // namespace
}  // namespace ember::persistence
