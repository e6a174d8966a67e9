// Listpack::FromBytes: every corruption lpValidateIntegrity (deep) refuses is refused here
// with a reason, and whatever is accepted can be walked safely.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/value/listpack.h"
#include "tests/unit/storage/value/listpack_test_util.h"

namespace ember::storage {
namespace {

using lptest::Backward;
using lptest::Blob;
using lptest::Bytes;
using lptest::Forward;

void ExpectRejected(const std::string& blob, const std::string& needle) {
  std::string error;
  EXPECT_FALSE(Listpack::FromBytes(blob, &error).has_value());
  EXPECT_NE(error.find(needle), std::string::npos) << "error: " << error;
}

// "abc" then 5: 83 'a' 'b' 'c' 04 | 05 01.
std::string Sample() { return Blob(Bytes({0x83, 'a', 'b', 'c', 0x04, 0x05, 0x01}), 2); }

TEST(ListpackValidateTest, AcceptsWhatAppendBuilds) {
  std::string error;
  std::optional<Listpack> lp = Listpack::FromBytes(Sample(), &error);
  ASSERT_TRUE(lp.has_value()) << error;
  EXPECT_EQ(Forward(*lp), (std::vector<std::string>{"abc", "5"}));
  EXPECT_EQ(Backward(*lp), Forward(*lp));
  lp->Append("x");
  EXPECT_EQ(lp->size(), 3u);
  ASSERT_TRUE(Listpack::FromBytes(Listpack().bytes(), &error).has_value()) << error;
}

TEST(ListpackValidateTest, AcceptsAnUnknownCount) {
  std::string blob = Sample();
  blob[4] = '\xff';
  blob[5] = '\xff';
  std::string error;
  std::optional<Listpack> lp = Listpack::FromBytes(blob, &error);
  ASSERT_TRUE(lp.has_value()) << error;
  EXPECT_EQ(lp->size(), 2u);
}

TEST(ListpackValidateTest, RejectsTooShort) {
  ExpectRejected(Bytes({6, 0, 0, 0, 0, 0}), "shorter");
  ExpectRejected("", "shorter");
}

TEST(ListpackValidateTest, RejectsBadTotalBytes) {
  std::string blob = Sample();
  blob[0] = static_cast<char>(blob[0] + 1);
  ExpectRejected(blob, "total bytes");
  blob = Sample();
  blob[3] = '\x01';
  ExpectRejected(blob, "total bytes");
}

TEST(ListpackValidateTest, RejectsBadCount) {
  ExpectRejected(Blob(Bytes({0x83, 'a', 'b', 'c', 0x04, 0x05, 0x01}), 3),
                 "counts 3 entries, found 2");
  ExpectRejected(Blob(Bytes({0x83, 'a', 'b', 'c', 0x04}), 0), "counts 0 entries, found 1");
}

TEST(ListpackValidateTest, RejectsMissingEndByte) {
  std::string blob = Sample();
  blob.back() = '\xfe';
  ExpectRejected(blob, "end byte");
}

TEST(ListpackValidateTest, RejectsAnEarlyEndByte) {
  // The first entry slot holds 0xFF although bytes follow before the real end.
  ExpectRejected(Blob(Bytes({0xff, 0x05, 0x01}), 0), "precedes");
}

TEST(ListpackValidateTest, RejectsTruncatedEntries) {
  // A 6-bit string claiming 5 bytes where 3 are left.
  ExpectRejected(Blob(Bytes({0x85, 'a', 'b', 'c', 0x04}), 1), "truncated");
  // A 12-bit string whose length byte is the end byte position.
  ExpectRejected(Blob(Bytes({0xe0}), 1), "truncated");
  // A 32-bit string of 4 GiB.
  ExpectRejected(Blob(Bytes({0xf0, 0xff, 0xff, 0xff, 0xff, 'a', 0x06}), 1), "truncated");
  // An int64 with only 4 bytes of value.
  ExpectRejected(Blob(Bytes({0xf4, 1, 2, 3, 4, 0x09}), 1), "truncated");
  // The sample with its last entry cut (the blob resized consistently).
  ExpectRejected(Blob(Bytes({0x83, 'a', 'b', 'c', 0x04, 0x05}), 2), "");
}

TEST(ListpackValidateTest, RejectsInvalidEncodingBytes) {
  for (int b = 0xf5; b <= 0xfe; ++b) {
    ExpectRejected(Blob(Bytes({b, 0x01}), 1), "invalid encoding byte");
  }
}

TEST(ListpackValidateTest, RejectsBadBacklen) {
  ExpectRejected(Blob(Bytes({0x83, 'a', 'b', 'c', 0x05}), 1), "bad backlen");
  ExpectRejected(Blob(Bytes({0x05, 0x02}), 1), "bad backlen");
  // A continuation flag on every byte reads past 5 bytes.
  const std::string s(10, 'x');
  ExpectRejected(Blob(Bytes({0x8a}) + s.substr(0, 6) + Bytes({0x80, 0x80, 0x80, 0x80, 0x8b}), 1),
                 "bad backlen");
}

TEST(ListpackValidateTest, RejectsEveryTruncationAndSurvivesEveryByteFlip) {
  Listpack lp;
  for (const char* v : {"field", "12345", "-1", "x", "100000"}) lp.Append(v);
  lp.Append(std::string(200, 'y'));
  const std::string good(lp.bytes());
  std::string error;
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(Listpack::FromBytes(good.substr(0, n), &error).has_value()) << n;
  }
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      std::optional<Listpack> got = Listpack::FromBytes(bad, &error);
      if (got.has_value()) {
        EXPECT_EQ(Backward(*got), Forward(*got)) << i << ":" << bit;
      }
    }
  }
}

}  // namespace
}  // namespace ember::storage
