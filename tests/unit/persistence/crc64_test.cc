#include "persistence/crc64.h"

#include <gtest/gtest.h>

#include <string>

namespace ember::persistence {
namespace {

TEST(Crc64Test, CheckValueMatchesJonesReflected) {
  EXPECT_EQ(Crc64(0, "123456789"), 0xe9c6d914c4b8d9caULL);
}

TEST(Crc64Test, EmptyInputLeavesCrcUnchanged) {
  EXPECT_EQ(Crc64(0, ""), 0u);
  EXPECT_EQ(Crc64(42, ""), 42u);
}

TEST(Crc64Test, IncrementalEqualsOneShotAtEverySplit) {
  std::string data;
  for (int i = 0; i < 100; ++i) data.push_back(static_cast<char>(i * 37 + 11));
  const uint64_t whole = Crc64(0, data);
  for (size_t split = 0; split <= data.size(); ++split) {
    std::string_view v(data);
    EXPECT_EQ(Crc64(Crc64(0, v.substr(0, split)), v.substr(split)), whole) << split;
  }
}

}  // namespace
}  // namespace ember::persistence
