#include "server/config/save_points.h"

#include <gtest/gtest.h>

namespace ember::server {
namespace {

TEST(SavePointsTest, PairsOfSecondsAndChanges) {
  EXPECT_EQ(ValidateSavePoints("3600 1 300 100"), "");
  const std::vector<SavePoint> points = ParseSavePoints("3600 1 300 100");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].seconds, 3600);
  EXPECT_EQ(points[0].changes, 1);
  EXPECT_EQ(points[1].seconds, 300);
  EXPECT_EQ(points[1].changes, 100);
}

TEST(SavePointsTest, EmptyTextMeansNoSavePoints) {
  EXPECT_EQ(ValidateSavePoints(""), "");
  EXPECT_TRUE(ParseSavePoints("").empty());
}

TEST(SavePointsTest, OddCountNegativesAndWordsAreInvalid) {
  EXPECT_EQ(ValidateSavePoints("1 2 3"), "Invalid save parameters");
  EXPECT_EQ(ValidateSavePoints("1 -2"), "Invalid save parameters");
  EXPECT_EQ(ValidateSavePoints("x 1"), "Invalid save parameters");
}

// Redis reads the numbers with strtoll, so a leading '+' or zero is still a number.
TEST(SavePointsTest, NumbersAreReadAsStrtollReadsThem) {
  EXPECT_EQ(ValidateSavePoints("+60 007"), "");
  const std::vector<SavePoint> points = ParseSavePoints("+60 007");
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].seconds, 60);
  EXPECT_EQ(points[0].changes, 7);
}

}  // namespace
}  // namespace ember::server
