#include "persistence/zipmap_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/unit/persistence/compact_blobs.h"

namespace ember::persistence {
namespace {

using testing::Zipmap;

TEST(ZipmapReaderTest, HandWrittenZipmapDecodes) {
  // {"name": "ab"} as Redis 2.4 stored a small hash: count 01; field length 04 "name";
  // value length 02, free 01, "ab", one unused byte; end FF.
  const std::string blob(
      "\x01\x04name\x02\x01"
      "ab?\xff",
      12);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  std::string error;
  ASSERT_TRUE(DecodeZipmap(blob, &pairs, &error)) << error;
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].first, "name");
  EXPECT_EQ(pairs[0].second, "ab");
}

TEST(ZipmapReaderTest, ZipmapWithLongLengthsAndFreeBytesDecodes) {
  const std::string long_value(300, 'v');
  const std::string blob = Zipmap({{"a", "1"}, {std::string(260, 'k'), long_value}}, 3);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  std::string error;
  ASSERT_TRUE(DecodeZipmap(blob, &pairs, &error)) << error;
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[1].first, std::string(260, 'k'));
  EXPECT_EQ(pairs[1].second, long_value);
}

TEST(ZipmapReaderTest, CorruptZipmapsAreRefused) {
  const std::string good = Zipmap({{"f", "v"}, {"g", "w"}}, 1);
  std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", std::string("\x00\xff", 2)},
      {"too short", std::string("\xff", 1)},
      {"no end byte", good.substr(0, good.size() - 1) + "x"},
      {"truncated", good.substr(0, 5) + "\xff"},
  };
  std::string bad_count = good;
  bad_count[0] = 3;
  cases.emplace_back("count wrong", bad_count);
  std::string free_too_big = good;
  free_too_big[4] = 100;
  cases.emplace_back("free runs past the end", free_too_big);
  std::string big_len = good;
  big_len[1] = static_cast<char>(0xFE);
  cases.emplace_back("field length runs past the end", big_len);
  for (const auto& [name, blob] : cases) {
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    std::string error;
    EXPECT_FALSE(DecodeZipmap(blob, &pairs, &error)) << name;
    EXPECT_FALSE(error.empty()) << name;
  }
}

}  // namespace
}  // namespace ember::persistence
