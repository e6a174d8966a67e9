#include "storage/value/listpack.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "tests/unit/storage/value/listpack_test_util.h"

namespace ember::storage {
namespace {

using lptest::Backward;
using lptest::Blob;
using lptest::Bytes;
using lptest::Forward;
using Strings = std::vector<std::string>;

// The single-entry listpack holding `value`.
std::string One(const std::string& value) {
  Listpack lp;
  lp.Append(value);
  return std::string(lp.bytes());
}

TEST(ListpackTest, EmptyIsHeaderAndEndByte) {
  Listpack lp;
  EXPECT_EQ(lp.bytes(), Bytes({7, 0, 0, 0, 0, 0, 0xff}));
  EXPECT_TRUE(lp.empty());
  EXPECT_EQ(lp.First(), Listpack::kNoEntry);
  EXPECT_EQ(lp.Last(), Listpack::kNoEntry);
  EXPECT_EQ(lp.Find("a", lp.First(), 0), Listpack::kNoEntry);
  EXPECT_EQ(lp.HeapBytes(), ChunkBytes(7));
}

TEST(ListpackTest, IntegersTakeTheNarrowestEncodingAtEveryBoundary) {
  struct Case {
    int64_t value;
    std::string entry;
  };
  const Case cases[] = {
      {0, Bytes({0x00, 0x01})},
      {127, Bytes({0x7f, 0x01})},
      {128, Bytes({0xc0, 0x80, 0x02})},
      {-1, Bytes({0xdf, 0xff, 0x02})},
      {4095, Bytes({0xcf, 0xff, 0x02})},
      {-4096, Bytes({0xd0, 0x00, 0x02})},
      {4096, Bytes({0xf1, 0x00, 0x10, 0x03})},
      {-4097, Bytes({0xf1, 0xff, 0xef, 0x03})},
      {32767, Bytes({0xf1, 0xff, 0x7f, 0x03})},
      {-32768, Bytes({0xf1, 0x00, 0x80, 0x03})},
      {32768, Bytes({0xf2, 0x00, 0x80, 0x00, 0x04})},
      {-32769, Bytes({0xf2, 0xff, 0x7f, 0xff, 0x04})},
      {8388607, Bytes({0xf2, 0xff, 0xff, 0x7f, 0x04})},
      {-8388608, Bytes({0xf2, 0x00, 0x00, 0x80, 0x04})},
      {8388608, Bytes({0xf3, 0x00, 0x00, 0x80, 0x00, 0x05})},
      {INT32_MAX, Bytes({0xf3, 0xff, 0xff, 0xff, 0x7f, 0x05})},
      {INT32_MIN, Bytes({0xf3, 0x00, 0x00, 0x00, 0x80, 0x05})},
      {int64_t{INT32_MAX} + 1, Bytes({0xf4, 0, 0, 0, 0x80, 0, 0, 0, 0, 0x09})},
      {int64_t{INT32_MIN} - 1, Bytes({0xf4, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 9})},
      {std::numeric_limits<int64_t>::max(),
       Bytes({0xf4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x09})},
      {std::numeric_limits<int64_t>::min(), Bytes({0xf4, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x09})},
  };
  for (const Case& c : cases) {
    const std::string text = std::to_string(c.value);
    EXPECT_EQ(One(text), Blob(c.entry, 1)) << text;
    Listpack lp;
    lp.AppendInteger(c.value);
    EXPECT_EQ(lp.bytes(), Blob(c.entry, 1)) << text;
    const Listpack::Element e = lp.Get(lp.First());
    EXPECT_TRUE(e.is_integer);
    EXPECT_EQ(e.integer, c.value);
    EXPECT_TRUE(e.Equals(text));
    NumberBuffer scratch;
    EXPECT_EQ(e.View(scratch), text);
  }
}

TEST(ListpackTest, OnlyCanonicalIntegersAreIntegerEncoded) {
  for (const std::string s : {"-0", "01", "+1", " 1", "1 ", "", "9223372036854775808",
                              "-9223372036854775809", "1.0", "0x10", "-"}) {
    Listpack lp;
    lp.Append(s);
    const Listpack::Element e = lp.Get(lp.First());
    EXPECT_FALSE(e.is_integer) << s;
    EXPECT_EQ(e.bytes, s);
    EXPECT_TRUE(e.Equals(s));
  }
  EXPECT_EQ(One("-0"), Blob(Bytes({0x82, '-', '0', 0x03}), 1));
  EXPECT_EQ(One(""), Blob(Bytes({0x80, 0x01}), 1));
}

TEST(ListpackTest, IntegerEntryEqualsOnlyItsCanonicalSpelling) {
  Listpack lp;
  lp.Append("12");
  const Listpack::Element e = lp.Get(lp.First());
  EXPECT_TRUE(e.Equals("12"));
  EXPECT_FALSE(e.Equals("012"));
  EXPECT_FALSE(e.Equals("+12"));
  EXPECT_FALSE(e.Equals("12 "));
  EXPECT_FALSE(e.Equals("13"));
}

TEST(ListpackTest, StringLengthBoundariesPickTheEncoding) {
  const std::string s63(63, 'a');
  EXPECT_EQ(One(s63), Blob(Bytes({0xbf}) + s63 + Bytes({64}), 1));
  const std::string s64(64, 'b');
  EXPECT_EQ(One(s64), Blob(Bytes({0xe0, 64}) + s64 + Bytes({66}), 1));
  const std::string s126(126, 'c');  // encoding + data = 128: the first 2-byte backlen
  EXPECT_EQ(One(s126), Blob(Bytes({0xe0, 126}) + s126 + Bytes({0x01, 0x80}), 1));
  const std::string s4095(4095, 'd');
  EXPECT_EQ(One(s4095), Blob(Bytes({0xef, 0xff}) + s4095 + Bytes({0x20, 0x81}), 1));
  const std::string s4096(4096, 'e');
  EXPECT_EQ(One(s4096), Blob(Bytes({0xf0, 0, 0x10, 0, 0}) + s4096 + Bytes({0x20, 0x85}), 1));
}

TEST(ListpackTest, BacklenOf16383TakesThreeBytesAsInRedis) {
  // 5 + 16377 = 16382 fits 2 bytes; 5 + 16378 = 16383 already takes 3 (Redis's `<`).
  EXPECT_EQ(One(std::string(16377, 'x')).size(), 6u + 16382 + 2 + 1);
  const std::string blob = One(std::string(16378, 'x'));
  EXPECT_EQ(blob.size(), 6u + 16383 + 3 + 1);
  EXPECT_EQ(blob.substr(blob.size() - 4, 3), Bytes({0x00, 0xff, 0xff}));
}

TEST(ListpackTest, WalksBothWaysOverEveryEntrySize) {
  Listpack lp;
  const Strings values = {"a",
                          std::string(63, 'b'),
                          "7",
                          std::string(64, 'c'),
                          "-70000",
                          std::string(4096, 'd'),
                          std::string(20000, 'e'),
                          "-9223372036854775808",
                          "",
                          std::string(300, 'f')};
  for (const std::string& v : values) lp.Append(v);
  EXPECT_EQ(lp.size(), values.size());
  EXPECT_EQ(Forward(lp), values);
  EXPECT_EQ(Backward(lp), values);
  EXPECT_EQ(lp.Next(lp.Last()), Listpack::kNoEntry);
  EXPECT_EQ(lp.Prev(lp.First()), Listpack::kNoEntry);
  std::string error;
  EXPECT_TRUE(Listpack::FromBytes(lp.bytes(), &error).has_value()) << error;
}

TEST(ListpackTest, FindHonoursSkipAndStartOffset) {
  Listpack lp;
  for (const char* v : {"f1", "v1", "f2", "f1", "3", "x", "f1", "v3"}) lp.Append(v);
  const size_t first = lp.First();
  // Fields are at 0, 2, 4, 6: "f1" as a field is at entry 0, then entry 6 (entry 3 is a value).
  EXPECT_EQ(lp.Find("f1", first, 1), first);
  const size_t third = lp.Next(lp.Next(first));
  size_t at = lp.Find("f1", third, 1);
  ASSERT_NE(at, Listpack::kNoEntry);
  EXPECT_EQ(lp.Get(lp.Next(at)).bytes, "v3");
  EXPECT_EQ(lp.Find("v1", first, 1), Listpack::kNoEntry);
  EXPECT_EQ(lp.Find("v1", first, 0), lp.Next(first));
  // Integer entries match only the canonical spelling.
  EXPECT_NE(lp.Find("3", first, 1), Listpack::kNoEntry);
  EXPECT_EQ(lp.Find("03", first, 0), Listpack::kNoEntry);
  EXPECT_EQ(lp.Find("nope", first, 0), Listpack::kNoEntry);
  EXPECT_EQ(lp.Find("f1", Listpack::kNoEntry, 0), Listpack::kNoEntry);
}

TEST(ListpackTest, InsertAtFirstMiddleAndLast) {
  Listpack lp;
  for (const char* v : {"b", "d"}) lp.Append(v);
  size_t at = lp.Insert(lp.First(), "a");
  EXPECT_EQ(at, lp.First());
  at = lp.Insert(lp.Last(), "c");
  EXPECT_EQ(lp.Get(at).bytes, "c");
  at = lp.Insert(Listpack::kNoEntry, "100000");
  EXPECT_EQ(at, lp.Last());
  EXPECT_EQ(Forward(lp), (Strings{"a", "b", "c", "d", "100000"}));
  EXPECT_EQ(Backward(lp), Forward(lp));
  EXPECT_EQ(lp.size(), 5u);
  Listpack expected;
  for (const char* v : {"a", "b", "c", "d", "100000"}) expected.Append(v);
  EXPECT_EQ(lp.bytes(), expected.bytes());
}

TEST(ListpackTest, ReplaceGrowsShrinksAndKeepsTheCount) {
  Listpack lp;
  for (const char* v : {"a", "b", "c"}) lp.Append(v);
  size_t mid = lp.Next(lp.First());
  EXPECT_EQ(lp.Replace(mid, std::string(5000, 'x')), mid);
  EXPECT_EQ(Forward(lp), (Strings{"a", std::string(5000, 'x'), "c"}));
  EXPECT_EQ(Backward(lp), Forward(lp));
  EXPECT_EQ(lp.Replace(mid, "-5"), mid);
  EXPECT_EQ(Forward(lp), (Strings{"a", "-5", "c"}));
  lp.Replace(lp.First(), "first");
  lp.Replace(lp.Last(), "9");
  EXPECT_EQ(lp.size(), 3u);
  Listpack expected;
  for (const char* v : {"first", "-5", "9"}) expected.Append(v);
  EXPECT_EQ(lp.bytes(), expected.bytes());
}

TEST(ListpackTest, ReplaceAndInsertAcceptTheirOwnBytes) {
  Listpack lp;
  lp.Append(std::string(100, 'q'));
  lp.Insert(lp.First(), lp.Get(lp.First()).bytes);
  lp.Replace(lp.Last(), lp.Get(lp.First()).bytes.substr(0, 70));
  EXPECT_EQ(Forward(lp), (Strings{std::string(100, 'q'), std::string(70, 'q')}));
}

TEST(ListpackTest, DeleteAtFirstMiddleLastAndPastTheEnd) {
  Listpack lp;
  for (const char* v : {"a", "b", "c", "d", "e", "f"}) lp.Append(v);
  size_t next = lp.Delete(lp.First(), 1);
  EXPECT_EQ(next, lp.First());
  EXPECT_EQ(lp.Get(next).bytes, "b");
  next = lp.Delete(lp.Next(lp.First()), 2);  // c, d
  EXPECT_EQ(lp.Get(next).bytes, "e");
  EXPECT_EQ(lp.Delete(lp.Last(), 1), Listpack::kNoEntry);
  EXPECT_EQ(Forward(lp), (Strings{"b", "e"}));
  EXPECT_EQ(lp.size(), 2u);
  EXPECT_EQ(lp.Delete(lp.Next(lp.First()), 10), Listpack::kNoEntry);
  EXPECT_EQ(lp.size(), 1u);
  EXPECT_EQ(lp.Delete(lp.First(), 0), lp.First());
  EXPECT_EQ(lp.Delete(lp.First(), 1), Listpack::kNoEntry);
  EXPECT_EQ(lp.bytes(), Listpack().bytes());
}

TEST(ListpackTest, MatchesAVectorUnderRandomEdits) {
  std::mt19937_64 rng(7);
  const auto random_value = [&rng]() -> std::string {
    switch (rng() % 4) {
      case 0:
        return std::to_string(static_cast<int64_t>(rng()) >> (rng() % 64));
      case 1:
        return std::string(rng() % 70, static_cast<char>('a' + rng() % 26));
      case 2:
        return std::string(60 + rng() % 5000, 'z');
      default:
        return "0" + std::to_string(rng() % 10);
    }
  };
  Listpack lp;
  Strings model;
  for (int i = 0; i < 2000; ++i) {
    const size_t index = model.empty() ? 0 : rng() % model.size();
    size_t at = lp.First();
    for (size_t k = 0; k < index && at != Listpack::kNoEntry; ++k) at = lp.Next(at);
    const int op = static_cast<int>(rng() % 4);
    if (model.empty() || op == 0) {
      const std::string v = random_value();
      lp.Insert(at, v);
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(index), v);
    } else if (op == 1) {
      const std::string v = random_value();
      lp.Replace(at, v);
      model[index] = v;
    } else if (op == 2) {
      const size_t n = 1 + rng() % 3;
      lp.Delete(at, n);
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(index),
                  model.begin() + static_cast<std::ptrdiff_t>(std::min(model.size(), index + n)));
    } else {
      const std::string v = random_value();
      lp.Append(v);
      model.push_back(v);
    }
    ASSERT_EQ(lp.size(), model.size());
  }
  EXPECT_EQ(Forward(lp), model);
  EXPECT_EQ(Backward(lp), model);
  Listpack rebuilt;
  for (const std::string& v : model) rebuilt.Append(v);
  EXPECT_EQ(lp.bytes(), rebuilt.bytes());
}

TEST(ListpackTest, CountPastTheHeaderFieldIsWalked) {
  Listpack lp;
  for (int i = 0; i < 65536; ++i) lp.AppendInteger(i % 100);
  EXPECT_EQ(static_cast<uint8_t>(lp.bytes()[4]), 0xff);
  EXPECT_EQ(static_cast<uint8_t>(lp.bytes()[5]), 0xff);
  EXPECT_EQ(lp.size(), 65536u);
  lp.Delete(lp.First(), 2);
  // Back within the header's range: the count is written again, as Redis's lpLength does.
  EXPECT_EQ(lp.size(), 65534u);
  EXPECT_EQ(static_cast<uint8_t>(lp.bytes()[4]), 0xfe);
}

TEST(ListpackTest, CloneAndMoveKeepTheBytes) {
  Listpack lp;
  lp.Append("k");
  lp.Append("v");
  Listpack copy = lp.Clone();
  copy.Append("more");
  EXPECT_EQ(lp.size(), 2u);
  Listpack moved(std::move(copy));
  EXPECT_EQ(Forward(moved), (Strings{"k", "v", "more"}));
  Listpack assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.size(), 3u);
  EXPECT_EQ(assigned.HeapBytes(), ChunkBytes(assigned.bytes().size()));
}

TEST(ListpackTest, SafeToAddStopsAtOneGibibyte) {
  Listpack lp;
  EXPECT_TRUE(lp.SafeToAdd(1000));
  EXPECT_TRUE(lp.SafeToAdd(Listpack::kMaxSafeBytes - 7));
  EXPECT_FALSE(lp.SafeToAdd(Listpack::kMaxSafeBytes - 6));
}

}  // namespace
}  // namespace ember::storage
