#include "storage/value/lzf_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace ember::storage {
namespace {

TEST(LzfCodecTest, RepetitiveInputRoundTrips) {
  std::string input(1000, 'a');
  auto compressed = LzfCompress(input);
  ASSERT_TRUE(compressed.has_value());
  EXPECT_LT(compressed->size(), input.size());
  std::string out;
  ASSERT_TRUE(LzfDecompress(*compressed, input.size(), &out));
  EXPECT_EQ(out, input);
}

TEST(LzfCodecTest, IncompressibleInputIsRefused) {
  std::string input;
  uint32_t x = 12345;
  for (int i = 0; i < 64; ++i) {
    x = x * 1103515245 + 12345;
    input.push_back(static_cast<char>(x >> 16));
  }
  EXPECT_FALSE(LzfCompress(input).has_value());
}

TEST(LzfCodecTest, WrongOriginalLengthIsRejected) {
  std::string input(200, 'x');
  auto compressed = LzfCompress(input);
  ASSERT_TRUE(compressed.has_value());
  std::string out;
  EXPECT_FALSE(LzfDecompress(*compressed, input.size() - 1, &out));
  EXPECT_FALSE(LzfDecompress(*compressed, input.size() + 1, &out));
}

TEST(LzfCodecTest, GarbageStreamIsRejected) {
  std::string out;
  EXPECT_FALSE(LzfDecompress(std::string("\xff\xff\xff\xff", 4), 100, &out));
}

}  // namespace
}  // namespace ember::storage
