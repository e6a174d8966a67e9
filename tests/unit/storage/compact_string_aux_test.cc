// The aux layout of CompactString (values): 12 bytes inline, a 24-bit owner field at
// [12, 15) that survives every change of contents, moves and Clone.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "storage/compact_string.h"

namespace ember::storage {
namespace {

constexpr uint32_t kAux = 0xabcdef;

std::string Str(const CompactString& s) {
  NumberBuffer scratch;
  return std::string(s.View(scratch));
}

CompactString WithAux(std::string_view contents) {
  CompactString s = CompactString::WithAux();
  s.set_aux(kAux);
  s.Assign(contents);
  return s;
}

TEST(CompactStringAuxTest, PlainStringsKeepFifteenBytesInlineAndNoAux) {
  CompactString key(std::string(15, 'k'));
  EXPECT_FALSE(key.has_aux());
  EXPECT_EQ(key.inline_capacity(), 15u);
  EXPECT_EQ(key.encoding(), CompactString::Encoding::kInline);
}

TEST(CompactStringAuxTest, TwelveBytesStayInlineThirteenGoToTheHeap) {
  CompactString twelve = WithAux(std::string(12, 'a'));
  EXPECT_EQ(twelve.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(twelve.HeapBytes(), 0u);
  EXPECT_EQ(Str(twelve), std::string(12, 'a'));
  EXPECT_EQ(twelve.aux(), kAux);

  CompactString thirteen = WithAux(std::string(13, 'b'));
  EXPECT_EQ(thirteen.encoding(), CompactString::Encoding::kHeap);
  EXPECT_EQ(Str(thirteen), std::string(13, 'b'));
  EXPECT_EQ(thirteen.aux(), kAux);
}

TEST(CompactStringAuxTest, BenchmarkValueSizesKeepTheirEncoding) {
  EXPECT_EQ(WithAux("xxx").encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(WithAux(std::string(16, 'x')).encoding(), CompactString::Encoding::kHeap);
}

TEST(CompactStringAuxTest, AppendAcrossTheBoundaryKeepsBytesAndAux) {
  CompactString s = WithAux(std::string(11, 'a'));
  s.Append("b");  // 12: still inline
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(s.aux(), kAux);
  s.Append("c");  // 13: moves to the heap
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kHeap);
  EXPECT_EQ(Str(s), std::string(11, 'a') + "bc");
  EXPECT_EQ(s.aux(), kAux);
  s.Assign("short");  // back inline
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(Str(s), "short");
  EXPECT_EQ(s.aux(), kAux);
}

TEST(CompactStringAuxTest, WriteAtPastTheBoundaryKeepsAux) {
  CompactString s = WithAux("abc");
  s.WriteAt(12, "z");  // 13 bytes, zero-padded
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kHeap);
  EXPECT_EQ(Str(s), std::string("abc") + std::string(9, '\0') + "z");
  EXPECT_EQ(s.aux(), kAux);
  CompactString t = WithAux("abc");
  t.WriteAt(9, "xyz");  // exactly 12
  EXPECT_EQ(t.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(Str(t), std::string("abc") + std::string(6, '\0') + "xyz");
  EXPECT_EQ(t.aux(), kAux);
}

TEST(CompactStringAuxTest, IntegersKeepAux) {
  CompactString s = WithAux("x");
  s.AssignInteger(-9223372036854775807LL - 1);
  EXPECT_TRUE(s.is_integer());
  EXPECT_EQ(s.aux(), kAux);
  EXPECT_EQ(Str(s), "-9223372036854775808");
  s.Append("1");  // integer to heap bytes (21 > 12)
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kHeap);
  EXPECT_EQ(s.aux(), kAux);
  s.AssignInteger(7);
  s.Append("8");  // integer to inline bytes
  EXPECT_EQ(s.encoding(), CompactString::Encoding::kInline);
  EXPECT_EQ(Str(s), "78");
  EXPECT_EQ(s.aux(), kAux);
}

TEST(CompactStringAuxTest, SetAuxLeavesInlineBytesAlone) {
  CompactString s = WithAux(std::string(12, 'q'));
  s.set_aux(CompactString::kAuxMax);
  EXPECT_EQ(Str(s), std::string(12, 'q'));
  EXPECT_EQ(s.aux(), CompactString::kAuxMax);
  s.set_aux(0);
  EXPECT_EQ(Str(s), std::string(12, 'q'));
  EXPECT_EQ(s.aux(), 0u);
}

TEST(CompactStringAuxTest, MovesCarryAuxAndLeaveAnEmptyAuxString) {
  CompactString s = WithAux(std::string(40, 'h'));
  s.set_flag(0, true);
  CompactString moved(std::move(s));
  EXPECT_EQ(moved.aux(), kAux);
  EXPECT_TRUE(moved.flag(0));
  EXPECT_EQ(Str(moved), std::string(40, 'h'));
  // NOLINTBEGIN(bugprone-use-after-move): the moved-from state is part of the contract.
  EXPECT_TRUE(s.has_aux());
  EXPECT_EQ(s.aux(), 0u);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_FALSE(s.flag(0));
  // NOLINTEND(bugprone-use-after-move)

  CompactString target = WithAux("old");
  target.set_aux(1);
  target = std::move(moved);
  EXPECT_EQ(target.aux(), kAux);
  EXPECT_EQ(Str(target), std::string(40, 'h'));

  CompactString plain(std::string_view("p"));
  plain = WithAux("twelve-bytes");
  EXPECT_TRUE(plain.has_aux());
  EXPECT_EQ(Str(plain), "twelve-bytes");
}

TEST(CompactStringAuxTest, CloneCopiesLayoutAuxAndContents) {
  for (const std::string& contents :
       {std::string("abc"), std::string(12, 'x'), std::string(13, 'y'), std::string(100, 'z')}) {
    CompactString s = WithAux(contents);
    CompactString copy = s.Clone();
    EXPECT_TRUE(copy.has_aux());
    EXPECT_EQ(copy.aux(), kAux);
    EXPECT_EQ(Str(copy), contents);
    EXPECT_EQ(copy.encoding(), s.encoding());
  }
  CompactString integer = CompactString::WithAux();
  integer.set_aux(42);
  integer.AssignInteger(123);
  CompactString copy = integer.Clone();
  EXPECT_TRUE(copy.is_integer());
  EXPECT_EQ(copy.aux(), 42u);
}

}  // namespace
}  // namespace ember::storage
