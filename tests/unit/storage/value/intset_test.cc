#include "storage/value/intset.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/value/chunk_bytes.h"

namespace ember::storage {
namespace {

// Little-endian bytes of `v` in `width` bytes.
std::string Le(uint64_t v, size_t width) {
  std::string out;
  for (size_t i = 0; i < width; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

std::string Blob(uint32_t width, const std::vector<int64_t>& members) {
  std::string out = Le(width, 4) + Le(members.size(), 4);
  for (int64_t m : members) out += Le(static_cast<uint64_t>(m), width);
  return out;
}

std::vector<int64_t> Members(const Intset& s) {
  std::vector<int64_t> out;
  for (size_t i = 0; i < s.size(); ++i) out.push_back(s.At(i));
  return out;
}

TEST(IntsetTest, EmptyIsHeaderOfWidthTwo) {
  Intset s;
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.width(), 2u);
  EXPECT_EQ(s.bytes(), Blob(2, {}));
  EXPECT_FALSE(s.Contains(0));
  EXPECT_FALSE(s.Remove(0));
  EXPECT_EQ(s.HeapBytes(), ChunkBytes(8));
}

TEST(IntsetTest, AddKeepsMembersSortedAndDistinct) {
  Intset s;
  for (int64_t v : {5, -3, 100, 0, 5, -3, 7}) s.Add(v);
  EXPECT_EQ(Members(s), (std::vector<int64_t>{-3, 0, 5, 7, 100}));
  EXPECT_FALSE(s.Add(7));
  EXPECT_TRUE(s.Add(6));
  EXPECT_EQ(s.bytes(), Blob(2, {-3, 0, 5, 6, 7, 100}));
  EXPECT_EQ(s.HeapBytes(), ChunkBytes(8 + 2 * 6));
}

TEST(IntsetTest, WidthBoundariesPickTheNarrowestWidth) {
  struct Case {
    int64_t value;
    size_t width;
  };
  const Case cases[] = {
      {INT16_MAX, 2},
      {INT16_MIN, 2},
      {int64_t{INT16_MAX} + 1, 4},
      {int64_t{INT16_MIN} - 1, 4},
      {INT32_MAX, 4},
      {INT32_MIN, 4},
      {int64_t{INT32_MAX} + 1, 8},
      {int64_t{INT32_MIN} - 1, 8},
      {std::numeric_limits<int64_t>::max(), 8},
      {std::numeric_limits<int64_t>::min(), 8},
  };
  for (const Case& c : cases) {
    Intset s;
    EXPECT_TRUE(s.Add(c.value));
    EXPECT_EQ(s.width(), c.width) << c.value;
    EXPECT_EQ(s.At(0), c.value);
    EXPECT_EQ(s.bytes(), Blob(static_cast<uint32_t>(c.width), {c.value}));
    EXPECT_TRUE(s.Contains(c.value));
  }
}

TEST(IntsetTest, UpgradeAppendsAPositiveAndPrependsANegative) {
  Intset s;
  for (int64_t v : {1, -2, 3}) s.Add(v);
  EXPECT_TRUE(s.Add(70000));
  EXPECT_EQ(s.width(), 4u);
  EXPECT_EQ(s.bytes(), Blob(4, {-2, 1, 3, 70000}));
  EXPECT_TRUE(s.Add(-70000));
  EXPECT_EQ(s.bytes(), Blob(4, {-70000, -2, 1, 3, 70000}));
  EXPECT_TRUE(s.Add(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(s.width(), 8u);
  EXPECT_EQ(Members(s),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), -70000, -2, 1, 3, 70000}));
  EXPECT_TRUE(s.Add(int64_t{1} << 40));
  EXPECT_EQ(s.At(s.size() - 1), int64_t{1} << 40);
  EXPECT_EQ(s.HeapBytes(), ChunkBytes(8 + 8 * 7));
}

TEST(IntsetTest, UpgradeFromTwoStraightToEight) {
  Intset s;
  s.Add(-1);
  s.Add(1);
  EXPECT_TRUE(s.Add(int64_t{5} << 33));
  EXPECT_EQ(s.bytes(), Blob(8, {-1, 1, int64_t{5} << 33}));
}

TEST(IntsetTest, RemoveNeverDowngrades) {
  Intset s;
  for (int64_t v : {1, 2, 3, 100000}) s.Add(v);
  EXPECT_TRUE(s.Remove(100000));
  EXPECT_EQ(s.width(), 4u);
  EXPECT_EQ(s.bytes(), Blob(4, {1, 2, 3}));
  EXPECT_TRUE(s.Remove(1));
  EXPECT_TRUE(s.Remove(3));
  EXPECT_EQ(s.bytes(), Blob(4, {2}));
  EXPECT_FALSE(s.Remove(3));
  EXPECT_TRUE(s.Remove(2));
  EXPECT_EQ(s.bytes(), Blob(4, {}));
  EXPECT_EQ(s.size(), 0u);
}

TEST(IntsetTest, ContainsAndRemoveOfWiderValuesMiss) {
  Intset s;
  s.Add(1);
  EXPECT_FALSE(s.Contains(int64_t{1} << 40));
  EXPECT_FALSE(s.Remove(int64_t{1} << 40));
  EXPECT_FALSE(s.Contains(70000));
  EXPECT_EQ(s.width(), 2u);
}

TEST(IntsetTest, MatchesAStdSetUnderRandomOperations) {
  std::mt19937_64 rng(42);
  Intset s;
  std::set<int64_t> model;
  const int64_t scales[] = {100, 40000, int64_t{1} << 34};
  for (int i = 0; i < 3000; ++i) {
    const int64_t scale = scales[(i / 1000) % 3];
    const int64_t v = static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * scale)) - scale;
    if (rng() % 3 == 0) {
      EXPECT_EQ(s.Remove(v), model.erase(v) == 1);
    } else {
      EXPECT_EQ(s.Add(v), model.insert(v).second);
    }
    EXPECT_EQ(s.Contains(v), model.count(v) == 1);
  }
  EXPECT_EQ(Members(s), std::vector<int64_t>(model.begin(), model.end()));
}

TEST(IntsetTest, RandomReturnsEveryMember) {
  Intset s;
  for (int64_t v : {-5, 0, 9}) s.Add(v);
  std::mt19937_64 rng(1);
  std::set<int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    const int64_t v = s.Random(rng);
    EXPECT_TRUE(s.Contains(v));
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST(IntsetTest, CloneAndMoveKeepTheBytes) {
  Intset s;
  for (int64_t v : {3, 1, 2}) s.Add(v);
  Intset copy = s.Clone();
  copy.Add(4);
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(copy.size(), 4u);
  Intset moved(std::move(copy));
  EXPECT_EQ(moved.bytes(), Blob(2, {1, 2, 3, 4}));
  Intset assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.bytes(), Blob(2, {1, 2, 3, 4}));
}

TEST(IntsetTest, FromBytesAdoptsAValidBlob) {
  std::string error;
  const std::string blob = Blob(4, {-70000, 1, 70000});
  std::optional<Intset> s = Intset::FromBytes(blob, &error);
  ASSERT_TRUE(s.has_value()) << error;
  EXPECT_EQ(s->bytes(), blob);
  EXPECT_EQ(s->width(), 4u);
  EXPECT_TRUE(s->Contains(1));
  EXPECT_TRUE(s->Add(2));
  EXPECT_EQ(s->bytes(), Blob(4, {-70000, 1, 2, 70000}));
}

void ExpectRejected(const std::string& blob, const std::string& needle) {
  std::string error;
  EXPECT_FALSE(Intset::FromBytes(blob, &error).has_value());
  EXPECT_NE(error.find(needle), std::string::npos) << "error: " << error;
}

TEST(IntsetTest, FromBytesRejectsShortHeader) { ExpectRejected(std::string(7, '\0'), "header"); }

TEST(IntsetTest, FromBytesRejectsBadWidth) {
  std::string blob = Blob(2, {1, 2});
  blob[0] = 3;
  ExpectRejected(blob, "width 3");
  blob[0] = 16;
  ExpectRejected(blob, "width 16");
}

TEST(IntsetTest, FromBytesRejectsSizeMismatch) {
  const std::string blob = Blob(2, {1, 2});
  ExpectRejected(blob.substr(0, blob.size() - 1), "size mismatch");
  ExpectRejected(blob + "x", "size mismatch");
  std::string huge = blob;
  huge[7] = '\x7f';  // length near 2^31: must not overflow the size computation
  ExpectRejected(huge, "size mismatch");
}

TEST(IntsetTest, FromBytesRejectsEmptyAsRedisDoes) { ExpectRejected(Blob(2, {}), "empty"); }

TEST(IntsetTest, FromBytesRejectsUnsortedAndDuplicates) {
  ExpectRejected(Blob(2, {1, 3, 2}), "ascending");
  ExpectRejected(Blob(8, {1, 1}), "ascending");
  ExpectRejected(Blob(4, {-1, -2}), "ascending");
}

}  // namespace
}  // namespace ember::storage
