#include "storage/value/compact_string.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "storage/value/value.h"

namespace ember::storage {
namespace {

std::string Str(const CompactString& s) {
  std::string out;
  s.AppendTo(&out);
  return out;
}

TEST(CompactStringTest, ShortStringsStayInline) {
  CompactString s(std::string_view("fifteen bytes!!"));
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(s.size(), 15u);
  EXPECT_EQ(s.BytesView(), "fifteen bytes!!");
  EXPECT_EQ(s.HeapBytes(), 0u);
}

TEST(CompactStringTest, LongStringsGoToTheHeap) {
  std::string text(16, 'x');
  CompactString s(text);
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kHeap);
  EXPECT_EQ(s.BytesView(), text);
  EXPECT_GE(s.HeapBytes(), 16u + 4u);
}

TEST(CompactStringTest, IsBinarySafe) {
  std::string text("a\0b\0c", 5);
  CompactString inline_s(text);
  EXPECT_EQ(inline_s.BytesView(), text);
  std::string longer = text + std::string(20, '\0');
  CompactString heap_s(longer);
  EXPECT_EQ(heap_s.BytesView(), longer);
}

TEST(CompactStringTest, FromValueEncodesOnlyCanonicalIntegers) {
  EXPECT_TRUE(CompactString::FromValue("12345").is_integer());
  EXPECT_TRUE(CompactString::FromValue("-9223372036854775808").is_integer());
  EXPECT_FALSE(CompactString::FromValue("012").is_integer());
  EXPECT_FALSE(CompactString::FromValue("+1").is_integer());
  EXPECT_FALSE(CompactString::FromValue("-0").is_integer());
  EXPECT_FALSE(CompactString::FromValue("9223372036854775808").is_integer());
  EXPECT_FALSE(CompactString(std::string_view("12345")).is_integer());
  CompactString n = CompactString::FromValue("-9223372036854775808");
  EXPECT_EQ(n.integer(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(n.size(), 20u);
  NumberBuffer scratch;
  EXPECT_EQ(n.View(scratch), "-9223372036854775808");
  EXPECT_TRUE(n.Equals("-9223372036854775808"));
  EXPECT_FALSE(n.Equals("-9223372036854775807"));
}

TEST(CompactStringTest, TransitionsBetweenEncodings) {
  CompactString s = CompactString::FromInteger(42);
  s.Append("x");
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(Str(s), "42x");
  s.Append(std::string(20, 'y'));
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kHeap);
  EXPECT_EQ(Str(s), "42x" + std::string(20, 'y'));
  s.AssignInteger(-7);
  EXPECT_TRUE(s.is_integer());
  EXPECT_EQ(s.HeapBytes(), 0u);
  EXPECT_EQ(Str(s), "-7");
  s.Assign("short");
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(Str(s), "short");
}

TEST(CompactStringTest, AppendGrowsGeometrically) {
  CompactString s;
  std::string expected;
  size_t reallocations = 0;
  size_t last_capacity = s.HeapBytes();
  for (int i = 0; i < 10000; ++i) {
    s.Append("abc");
    expected += "abc";
    if (s.HeapBytes() != last_capacity) {
      ++reallocations;
      last_capacity = s.HeapBytes();
    }
  }
  EXPECT_EQ(Str(s), expected);
  EXPECT_LT(reallocations, 20u);
  EXPECT_LE(s.HeapBytes(), 4 + 2 * expected.size());
}

TEST(CompactStringTest, AppendOfItsOwnBytesIsSafe) {
  CompactString s(std::string(40, 'q'));
  NumberBuffer scratch;
  s.Append(s.View(scratch));
  EXPECT_EQ(Str(s), std::string(80, 'q'));
}

TEST(CompactStringTest, WriteAtPadsWithZeros) {
  CompactString s(std::string_view("ab"));
  s.WriteAt(5, "cd");
  EXPECT_EQ(Str(s), std::string("ab\0\0\0cd", 7));
  s.WriteAt(1, "Z");
  EXPECT_EQ(Str(s), std::string("aZ\0\0\0cd", 7));
  s.WriteAt(30, "end");
  EXPECT_EQ(s.size(), 33u);
  EXPECT_EQ(Str(s).substr(7), std::string(23, '\0') + "end");
  s.WriteAt(100, "");
  EXPECT_EQ(s.size(), 33u);
}

TEST(CompactStringTest, WriteAtOverAnIntegerUsesItsDigits) {
  CompactString s = CompactString::FromInteger(12345);
  s.WriteAt(1, "9");
  EXPECT_FALSE(s.is_integer());
  EXPECT_EQ(Str(s), "19345");
}

TEST(CompactStringTest, MovedFromIsEmpty) {
  CompactString s(std::string(50, 'a'));
  CompactString moved(std::move(s));
  EXPECT_EQ(s.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(Str(moved), std::string(50, 'a'));
  CompactString target(std::string(30, 'z'));
  target = std::move(moved);
  EXPECT_EQ(Str(target), std::string(50, 'a'));
}

TEST(CompactStringTest, CloneIsDeep) {
  CompactString a(std::string(32, 'a'));
  CompactString b = a.Clone();
  b.WriteAt(0, "B");
  EXPECT_EQ(a.BytesView(), std::string(32, 'a'));
  EXPECT_EQ(b.BytesView(), "B" + std::string(31, 'a'));
}

TEST(CompactStringTest, AssignReleasesTheHeapWhenShort) {
  CompactString s(std::string(1000, 'a'));
  EXPECT_GT(s.HeapBytes(), 1000u);
  s.Assign(std::string(20, 'b'));
  EXPECT_LT(s.HeapBytes(), 100u);
  s.Assign("tiny");
  EXPECT_EQ(s.HeapBytes(), 0u);
}

}  // namespace
}  // namespace ember::storage
