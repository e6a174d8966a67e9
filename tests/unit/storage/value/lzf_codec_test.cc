#include "storage/value/lzf_codec.h"

#include <gtest/gtest.h>
#include <lzf.h>

#include <random>
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

// What liblzf's own decoder makes of `compressed` at `original_length`: the bytes, or nullopt.
std::optional<std::string> ReferenceDecompress(const std::string& compressed,
                                               size_t original_length) {
  std::string out(original_length, '\0');
  if (original_length == 0) return compressed.empty() ? std::optional(out) : std::nullopt;
  const unsigned int n =
      lzf_decompress(compressed.data(), static_cast<unsigned int>(compressed.size()), out.data(),
                     static_cast<unsigned int>(original_length));
  if (n != original_length) return std::nullopt;
  return out;
}

// Inputs with back references at every distance class: runs of one byte, short periods
// (2..7, the byte-by-byte path), long periods (8 and more, the word path), copies from far
// back, and literal noise between them.
std::string PatternedInput(std::mt19937& rng) {
  std::string s;
  const size_t target = std::uniform_int_distribution<size_t>(1, 20000)(rng);
  while (s.size() < target) {
    const int kind = std::uniform_int_distribution<int>(0, 3)(rng);
    const size_t length = std::uniform_int_distribution<size_t>(1, 600)(rng);
    if (kind == 0 || s.empty()) {
      for (size_t i = 0; i < length; ++i) s.push_back(static_cast<char>(rng()));
    } else if (kind == 1) {
      s.append(length, static_cast<char>(rng()));
    } else {
      const size_t period =
          std::min(s.size(), std::uniform_int_distribution<size_t>(kind == 2 ? 2 : 8, 9000)(rng));
      for (size_t i = 0; i < length; ++i) s.push_back(s[s.size() - period]);
    }
  }
  return s;
}

TEST(LzfCodecTest, RoundTripsWhatLiblzfCompresses) {
  std::mt19937 rng(20261205);
  int compressed_inputs = 0;
  for (int round = 0; round < 400; ++round) {
    const std::string input = PatternedInput(rng);
    const std::optional<std::string> compressed = LzfCompress(input);
    if (!compressed) continue;
    ++compressed_inputs;
    std::string out;
    ASSERT_TRUE(LzfDecompress(*compressed, input.size(), &out)) << "round " << round;
    ASSERT_EQ(out, input) << "round " << round;
  }
  EXPECT_GT(compressed_inputs, 300);
}

// Corrupt streams (flipped bytes, truncations, wrong lengths, noise): whatever liblzf's
// decoder accepts, ours accepts with the same bytes, and whatever it refuses, ours refuses.
TEST(LzfCodecTest, AgreesWithLiblzfOnCorruptStreams) {
  std::mt19937 rng(7);
  int accepted = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string input = PatternedInput(rng);
    input.resize(std::min<size_t>(input.size(), 3000));
    std::string stream = LzfCompress(input).value_or(input);
    size_t length = input.size();
    switch (round % 5) {
      case 0:
        break;
      case 1:
        for (int flips = 0; flips < 3; ++flips) {
          stream[rng() % stream.size()] = static_cast<char>(rng());
        }
        break;
      case 2:
        stream.resize(rng() % stream.size());
        break;
      case 3:
        length = length + (rng() % 5) - 2;
        break;
      default:
        for (char& c : stream) c = static_cast<char>(rng());
        break;
    }
    const std::optional<std::string> expected = ReferenceDecompress(stream, length);
    std::string out;
    const bool ok = LzfDecompress(stream, length, &out);
    ASSERT_EQ(ok, expected.has_value()) << "round " << round;
    if (ok) {
      ASSERT_EQ(out, *expected) << "round " << round;
      ++accepted;
    } else {
      ++refused;
    }
  }
  EXPECT_GT(accepted, 600);
  EXPECT_GT(refused, 600);
}

}  // namespace
}  // namespace ember::storage
