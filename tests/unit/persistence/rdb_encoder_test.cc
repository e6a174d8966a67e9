// RdbEncoder: each encoding checked against the bytes Redis writes, and read back with
// RdbInput, the decoding side.
#include "persistence/rdb_encoder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "persistence/byte_io.h"
#include "persistence/rdb_input.h"

namespace ember::persistence {
namespace {

template <typename Put>
std::string Encoded(Put put, bool compression = true) {
  std::string out;
  RdbEncoder encoder(&out, compression);
  put(encoder);
  return out;
}

uint64_t ReadBackLength(const std::string& bytes) {
  MemorySource source(bytes);
  RdbInput input(&source);
  uint64_t length = 0;
  EXPECT_TRUE(input.ReadLength(&length).ok());
  EXPECT_EQ(input.offset(), bytes.size());
  return length;
}

std::string ReadBackString(const std::string& bytes) {
  MemorySource source(bytes);
  RdbInput input(&source);
  std::string s;
  EXPECT_TRUE(input.ReadString(&s).ok());
  EXPECT_EQ(input.offset(), bytes.size());
  return s;
}

TEST(RdbEncoderTest, LengthsUseTheSmallestForm) {
  auto length = [](uint64_t n) { return Encoded([n](RdbEncoder& e) { e.PutLength(n); }); };
  EXPECT_EQ(length(63), "\x3f");
  EXPECT_EQ(length(64), "\x40\x40");
  EXPECT_EQ(length(16383), "\x7f\xff");
  EXPECT_EQ(length(16384), std::string("\x80\x00\x00\x40\x00", 5));
  EXPECT_EQ(length(UINT32_MAX), "\x80\xff\xff\xff\xff");
  EXPECT_EQ(length(uint64_t{1} << 32), std::string("\x81\x00\x00\x00\x01\x00\x00\x00\x00", 9));
  for (uint64_t n : {uint64_t{0}, uint64_t{64}, uint64_t{70000}, uint64_t{1} << 40}) {
    EXPECT_EQ(ReadBackLength(length(n)), n);
  }
}

TEST(RdbEncoderTest, IntegersUseTheNarrowestEncodingOrText) {
  auto integer = [](int64_t n) { return Encoded([n](RdbEncoder& e) { e.PutInteger(n); }); };
  EXPECT_EQ(integer(-1), "\xc0\xff");
  EXPECT_EQ(integer(300), "\xc1\x2c\x01");
  EXPECT_EQ(integer(-70000), "\xc2\x90\xee\xfe\xff");
  EXPECT_EQ(integer(INT64_MIN), "\x14-9223372036854775808");
  EXPECT_EQ(ReadBackString(integer(-70000)), "-70000");
}

TEST(RdbEncoderTest, StringValuesKeepIntegerEncodedValuesAsIntegers) {
  const storage::Value integer = storage::Value::Integer(12);
  EXPECT_EQ(Encoded([&](RdbEncoder& e) { e.PutStringValue(integer.Ref()); }), "\xc0\x0c");
  const storage::Value bytes = storage::Value::Bytes("12");
  // Bytes that spell a short canonical integer are integer-encoded, as Redis saves them.
  EXPECT_EQ(Encoded([&](RdbEncoder& e) { e.PutStringValue(bytes.Ref()); }), "\xc0\x0c");
  EXPECT_EQ(Encoded([](RdbEncoder& e) { e.PutString("012"); }),
            "\x03"
            "012");
}

TEST(RdbEncoderTest, LongStringsAreCompressedOnlyWhenEnabledAndWorthIt) {
  const std::string repetitive(200, 'r');
  const std::string compressed = Encoded([&](RdbEncoder& e) { e.PutString(repetitive); });
  EXPECT_EQ(static_cast<uint8_t>(compressed[0]), 0xc3);
  EXPECT_LT(compressed.size(), repetitive.size());
  EXPECT_EQ(ReadBackString(compressed), repetitive);
  const std::string plain = Encoded([&](RdbEncoder& e) { e.PutString(repetitive); }, false);
  EXPECT_EQ(plain, std::string("\x40\xc8", 2) + repetitive);
}

TEST(RdbEncoderTest, BlobsAreSavedAsStrings) {
  // A listpack header (total bytes, element count) and its end byte: never an integer.
  const std::string listpack("\x07\x00\x00\x00\x00\x00\xff", 7);
  EXPECT_EQ(Encoded([&](RdbEncoder& e) { e.PutBlob(listpack); }), "\x07" + listpack);
  const std::string big(100, '\x01');
  const std::string blob = Encoded([&](RdbEncoder& e) { e.PutBlob(big); });
  EXPECT_EQ(static_cast<uint8_t>(blob[0]), 0xc3);
  EXPECT_EQ(ReadBackString(blob), big);
}

TEST(RdbEncoderTest, BinaryDoublesAreLittleEndianIeee754) {
  EXPECT_EQ(Encoded([](RdbEncoder& e) { e.PutBinaryDouble(1.5); }),
            std::string("\x00\x00\x00\x00\x00\x00\xf8\x3f", 8));
  EXPECT_EQ(Encoded([](RdbEncoder& e) { e.PutBinaryDouble(-2.0); }),
            std::string("\x00\x00\x00\x00\x00\x00\x00\xc0", 8));
}

}  // namespace
}  // namespace ember::persistence
