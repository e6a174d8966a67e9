// Hand-built files exercising what only other writers produce: older versions, second
// resolution expiry times, LRU/LFU hints, unknown AUX fields, files without a checksum.
#include "persistence/rdb_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "persistence/byte_io.h"
#include "persistence/crc64.h"

namespace ember::persistence {
namespace {

std::string WithChecksum(std::string body) {
  uint64_t crc = Crc64(0, body);
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(crc >> (8 * i)));
  return body;
}

struct Loaded {
  Status status;
  std::vector<RdbEntry> entries;
};

Loaded ReadAll(std::string_view data) {
  MemorySource source(data);
  RdbReader reader(&source);
  Loaded out;
  out.status = reader.ReadHeader();
  bool done = false;
  while (out.status.ok() && !done) {
    RdbEntry entry;
    out.status = reader.Next(&entry, &done);
    if (out.status.ok() && !done) out.entries.push_back(std::move(entry));
  }
  return out;
}

std::string Text(const storage::Value& v) {
  storage::NumberBuffer scratch;
  return std::string(v.str().View(scratch));
}

TEST(RdbReaderTest, Version9WithSecondsExpiryIdleFreqAndUnknownAux) {
  std::string body("REDIS0009", 9);
  body += std::string("\xfa\x0bsome-future\x05value", 19);  // unknown AUX
  body += std::string("\xfe\x02", 2);                       // SELECTDB 2
  body += std::string("\xfb\x02\x01", 3);                   // RESIZEDB
  body += std::string("\xfd\x00\xe1\xf5\x05", 5);           // EXPIRETIME 100000000 s
  body += std::string("\xf8\x05", 2);                       // IDLE 5
  body += std::string(
      "\x00\x01"
      "a\x01"
      "x",
      5);
  body += std::string("\xf9\x07", 2);  // FREQ 7
  body += std::string(
      "\x00\x01"
      "b\xc1\x39\x30",
      6);  // int16 12345
  body += "\xff";
  Loaded loaded = ReadAll(WithChecksum(body));
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  ASSERT_EQ(loaded.entries.size(), 2u);
  EXPECT_EQ(loaded.entries[0].db, 2);
  EXPECT_EQ(loaded.entries[0].expire_at_ms, 100'000'000'000LL);
  EXPECT_EQ(Text(loaded.entries[0].value), "x");
  EXPECT_EQ(loaded.entries[1].expire_at_ms, -1);
  EXPECT_TRUE(loaded.entries[1].value.str().is_integer());
  EXPECT_EQ(Text(loaded.entries[1].value), "12345");
}

TEST(RdbReaderTest, Version4HasNoChecksumTrailer) {
  std::string data("REDIS0004\xfe\x00\x00\x01k\x01v\xff", 17);
  Loaded loaded = ReadAll(data);
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  ASSERT_EQ(loaded.entries.size(), 1u);
}

TEST(RdbReaderTest, Version12FromRedis74IsAccepted) {
  Loaded loaded = ReadAll(WithChecksum(std::string("REDIS0012\x00\x01k\x01v\xff", 15)));
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  EXPECT_EQ(loaded.entries.size(), 1u);
}

TEST(RdbReaderTest, ZeroTrailerSkipsVerification) {
  const std::string data = std::string("REDIS0010\x00\x01k\x01v\xff", 15) + std::string(8, '\0');
  MemorySource source(data);
  RdbReader reader(&source);
  ASSERT_TRUE(reader.ReadHeader().ok());
  RdbEntry entry;
  bool done = false;
  ASSERT_TRUE(reader.Next(&entry, &done).ok());
  ASSERT_TRUE(reader.Next(&entry, &done).ok());
  EXPECT_TRUE(done);
  EXPECT_FALSE(reader.checksum_verified());
}

TEST(RdbReaderTest, LzfStringDecodes) {
  // 24 x 'a' as liblzf compresses it: literal "aa", a back reference of 20, literal "aa".
  std::string data("REDIS0010\x00\x01k\xc3\x09\x18\x01\x61\x61\xe0\x0b\x00\x01\x61\x61", 24);
  Loaded loaded = ReadAll(WithChecksum(data + "\xff"));
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  ASSERT_EQ(loaded.entries.size(), 1u);
  EXPECT_EQ(Text(loaded.entries[0].value), std::string(24, 'a'));
}

// Complete function records are read (rdb_functions_test.cc); a cut one is an error.
TEST(RdbReaderTest, ModuleAuxAndCutFunctionRecordsAreRefusedWithOffset) {
  Loaded module = ReadAll(std::string("REDIS0010\xf7\x01", 11));
  ASSERT_FALSE(module.status.ok());
  EXPECT_NE(module.status.message().find("module"), std::string::npos);
  EXPECT_EQ(module.status.offset(), 9);
  Loaded function = ReadAll(std::string("REDIS0010\xf5\x01", 11));
  ASSERT_FALSE(function.status.ok());
  EXPECT_NE(function.status.message().find("function"), std::string::npos);
}

}  // namespace
}  // namespace ember::persistence
