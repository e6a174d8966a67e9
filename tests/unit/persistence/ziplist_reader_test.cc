#include "persistence/ziplist_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/persistence/compact_blobs.h"

namespace ember::persistence {
namespace {

using testing::Ziplist;

std::vector<std::string> Texts(const std::vector<ZiplistEntry>& entries) {
  std::vector<std::string> out;
  for (const ZiplistEntry& e : entries) {
    out.push_back(e.is_integer ? "i:" + std::to_string(e.integer) : std::string(e.bytes));
  }
  return out;
}

TEST(ZiplistReaderTest, HandWrittenZiplistDecodes) {
  // {"a": 1, "bb": "hello"} as Redis 6.2 stored a small hash: header zlbytes 27, zltail 19,
  // zllen 4; entries (prevlen, encoding, data): 00 01 'a' | 03 F2 (immediate 1) |
  // 02 02 'bb' | 04 05 'hello'; end FF.
  const std::string blob(
      "\x1b\x00\x00\x00\x13\x00\x00\x00\x04\x00"
      "\x00\x01"
      "a"
      "\x03\xf2"
      "\x02\x02"
      "bb"
      "\x04\x05"
      "hello"
      "\xff",
      27);
  std::vector<ZiplistEntry> entries;
  std::string error;
  ASSERT_TRUE(DecodeZiplist(blob, &entries, &error)) << error;
  EXPECT_EQ(Texts(entries), (std::vector<std::string>{"a", "i:1", "bb", "hello"}));
}

TEST(ZiplistReaderTest, EveryIntegerAndStringEncodingDecodes) {
  const std::vector<std::string> values = {"0",
                                           "12",
                                           "13",
                                           "-128",
                                           "127",
                                           "-32768",
                                           "32767",
                                           "-8388608",
                                           "8388607",
                                           "-2147483648",
                                           "2147483647",
                                           "-9223372036854775808",
                                           "9223372036854775807",
                                           "007",
                                           "",
                                           std::string(63, 'a'),
                                           std::string(64, 'b'),
                                           std::string(16383, 'c'),
                                           std::string(16384, 'd')};
  const std::string blob = Ziplist(values);  // the entries are views into it
  std::vector<ZiplistEntry> entries;
  std::string error;
  ASSERT_TRUE(DecodeZiplist(blob, &entries, &error)) << error;
  ASSERT_EQ(entries.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const ZiplistEntry& e = entries[i];
    EXPECT_EQ(e.is_integer ? std::to_string(e.integer) : std::string(e.bytes), values[i]) << i;
  }
  EXPECT_TRUE(entries[0].is_integer);
  EXPECT_FALSE(entries[13].is_integer);  // "007" is not canonical
}

TEST(ZiplistReaderTest, EmptyZiplistHasNoEntries) {
  std::vector<ZiplistEntry> entries;
  std::string error;
  ASSERT_TRUE(DecodeZiplist(Ziplist({}), &entries, &error)) << error;
  EXPECT_TRUE(entries.empty());
}

TEST(ZiplistReaderTest, UnknownCountIsCountedByWalking) {
  std::string blob = Ziplist({"a", "b"});
  blob[8] = '\xff';
  blob[9] = '\xff';
  std::vector<ZiplistEntry> entries;
  std::string error;
  ASSERT_TRUE(DecodeZiplist(blob, &entries, &error)) << error;
  EXPECT_EQ(entries.size(), 2u);
}

// Each corruption must be refused with a message; none may read out of bounds (ASan).
TEST(ZiplistReaderTest, CorruptZiplistsAreRefused) {
  const std::string good = Ziplist({"field", "value", "7", std::string(300, 'z')});
  std::vector<std::pair<std::string, std::string>> cases;
  auto with = [&](const std::string& name, size_t at, char byte) {
    std::string b = good;
    b[at] = byte;
    cases.emplace_back(name, b);
  };
  with("size too large", 0, static_cast<char>(good.size() + 1));
  with("tail off by one", 4, static_cast<char>(good[4] + 1));
  with("count wrong", 8, 5);
  with("first prevlen not zero", 10, 1);
  with("string length past the end", 11, 0x7f);
  with("invalid integer encoding", 10 + 7 + 7 + 1, static_cast<char>(0xC5));
  with("missing end byte", good.size() - 1, 0);
  cases.emplace_back("truncated", good.substr(0, good.size() - 2) + "\xff");
  cases.emplace_back("shorter than a header", std::string("\x0a\x00\x00\x00\xff", 5));
  std::string early_end = good;
  early_end[10] = '\xff';
  cases.emplace_back("end byte inside", early_end);
  for (const auto& [name, blob] : cases) {
    std::vector<ZiplistEntry> entries;
    std::string error;
    EXPECT_FALSE(DecodeZiplist(blob, &entries, &error)) << name;
    EXPECT_FALSE(error.empty()) << name;
  }
}

TEST(ZiplistReaderTest, EveryTruncationAndFlippedByteIsHandled) {
  const std::string good = Ziplist({"f1", "1", "f2", std::string(70, 'v'), "-5", "x"});
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<ZiplistEntry> entries;
    std::string error;
    EXPECT_FALSE(DecodeZiplist(good.substr(0, n), &entries, &error)) << n;
  }
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string b = good;
      b[i] = static_cast<char>(b[i] ^ (1 << bit));
      std::vector<ZiplistEntry> entries;
      std::string error;
      if (DecodeZiplist(b, &entries, &error)) {
        for (const ZiplistEntry& e : entries) {
          if (!e.is_integer) {
            EXPECT_GE(e.bytes.data(), b.data());
            EXPECT_LE(e.bytes.data() + e.bytes.size(), b.data() + b.size());
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace ember::persistence
