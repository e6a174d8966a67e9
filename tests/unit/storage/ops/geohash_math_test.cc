#include "storage/ops/geohash_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "storage/value/number_format.h"

namespace ember::storage::geo {
namespace {

// Goldens below were read from redis-server 7.0.15 (GEOADD, ZADD, GEOPOS, GEOHASH,
// GEODIST on the same inputs).

std::string Human(double v) { return FormatLongDoubleHuman(v); }

TEST(GeohashMathTest, EncodesScoresAsRedisStoresThem) {
  EXPECT_EQ(EncodeScore({13.361389, 38.115556}), 3479099956230698u);
  EXPECT_EQ(EncodeScore({15.087269, 37.502669}), 3479447370796909u);
  EXPECT_EQ(EncodeScore({0, 0}), 3377699720527872u);
  EXPECT_EQ(EncodeScore({-180, -85.05112878}), 0u);
  // The top corner's offsets reach 2^26, one past the last cell: Redis keeps the carry.
  EXPECT_EQ(EncodeScore({180, 85.05112878}), 13510798882111488u);
}

TEST(GeohashMathTest, DecodesToTheCellCentreGeoposReports) {
  const Point palermo = DecodeScore(3479099956230698.0);
  EXPECT_EQ(Human(palermo.longitude), "13.36138933897018433");
  EXPECT_EQ(Human(palermo.latitude), "38.11555639549629859");
  const Point origin = DecodeScore(3377699720527872.0);
  EXPECT_EQ(Human(origin.longitude), "0.00000268220901489");
  EXPECT_EQ(Human(origin.latitude), "0.00000126736058093");
}

TEST(GeohashMathTest, DecodesForeignScoresAsRedisOnX8664) {
  // Negative: every bit set, clamped to the top corner.
  EXPECT_EQ(Human(DecodeScore(-1).longitude), "180");
  EXPECT_EQ(Human(DecodeScore(-1).latitude), "85.0511287799999991");
  // Beyond 2^64: the conversion yields 0, the bottom-left cell.
  EXPECT_EQ(Human(DecodeScore(1e300).longitude), "-179.99999731779098511");
  EXPECT_EQ(Human(DecodeScore(1e300).latitude), "-85.05112751263942528");
  // 2^52: latitude index 2^26, clamped; longitude index 0.
  EXPECT_EQ(Human(DecodeScore(4503599627370496.0).longitude), "-179.99999731779098511");
  EXPECT_EQ(Human(DecodeScore(4503599627370496.0).latitude), "85.0511287799999991");
  // Fractions truncate.
  EXPECT_EQ(Human(DecodeScore(123.5).longitude), "-179.99995976686477661");
  EXPECT_EQ(Human(DecodeScore(123.5).latitude), "-85.05109456126433543");
}

TEST(GeohashMathTest, GeohashStringsMatchRedis) {
  EXPECT_EQ(GeohashString(3479099956230698.0), "sqc8b49rny0");
  EXPECT_EQ(GeohashString(3479447370796909.0), "sqdtr74hyu0");
  EXPECT_EQ(GeohashString(-1), "bp05b5048p0");
  EXPECT_EQ(GeohashString(1e300), "00bh0hbj200");
  EXPECT_EQ(GeohashString(123.5), "00bh0hbj2y0");
}

TEST(GeohashMathTest, DistanceMatchesGeodist) {
  const double metres = Distance(DecodeScore(3479099956230698.0), DecodeScore(3479447370796909.0));
  EXPECT_EQ(FormatFixedPoint(metres / 1000, 4), "166.2742");
  EXPECT_EQ(Distance({10, 20}, {10, 20}), 0.0);
}

TEST(GeohashMathTest, ChecksRanges) {
  EXPECT_TRUE(InRange({180, 85.05112878}));
  EXPECT_TRUE(InRange({-180, -85.05112878}));
  EXPECT_FALSE(InRange({180.0001, 0}));
  EXPECT_FALSE(InRange({0, 85.06}));
  EXPECT_FALSE(InRange({0, -90}));
}

TEST(GeohashMathTest, InsideTestsFollowTheShape) {
  Shape circle{.center = {0, 0}, .radius = 100, .unit_meters = 1000};
  EXPECT_TRUE(DistanceIfInside(circle, {0.5, 0.5}).has_value());  // ~78.6 km
  EXPECT_FALSE(DistanceIfInside(circle, {1, 1}).has_value());     // ~157 km
  Shape box{.center = {0, 0}, .box = true, .width = 400, .height = 100, .unit_meters = 1000};
  EXPECT_TRUE(DistanceIfInside(box, {1.5, 0.2}).has_value());  // 167 km east, 22 km north
  EXPECT_FALSE(DistanceIfInside(box, {0, 0.5}).has_value());   // 55 km north
  EXPECT_FALSE(DistanceIfInside(box, {2, 0}).has_value());     // 222 km east
}

TEST(GeohashMathTest, CellsCoverTheSearchedArea) {
  const Shape shape{.center = {13.361389, 38.115556}, .radius = 200, .unit_meters = 1000};
  const auto cells = CellsCovering(shape);
  ASSERT_FALSE(cells[0].none());
  // Every point inside the shape lies in one of the scanned cells' score intervals.
  for (double dlon = -2.2; dlon <= 2.2; dlon += 0.1) {
    for (double dlat = -1.8; dlat <= 1.8; dlat += 0.1) {
      const Point p{shape.center.longitude + dlon, shape.center.latitude + dlat};
      if (!DistanceIfInside(shape, p)) continue;
      const auto score = static_cast<double>(EncodeScore(p));
      bool covered = false;
      for (const Cell& cell : cells) {
        if (cell.none()) continue;
        const ScoreInterval scores = ScoresOf(cell);
        covered = covered || (score >= scores.min && score < scores.max);
      }
      EXPECT_TRUE(covered) << p.longitude << "," << p.latitude;
    }
  }
}

TEST(GeohashMathTest, FixedPointFormatsAsRedis) {
  EXPECT_EQ(FormatFixedPoint(0, 4), "0.0000");
  EXPECT_EQ(FormatFixedPoint(0.00004, 4), "0.0000");
  EXPECT_EQ(FormatFixedPoint(-0.00004, 4), "0.0000");
  EXPECT_EQ(FormatFixedPoint(0.0123, 4), "0.0123");
  EXPECT_EQ(FormatFixedPoint(123.45678, 4), "123.4568");
  EXPECT_EQ(FormatFixedPoint(-2.5, 1), "-2.5");
}

}  // namespace
}  // namespace ember::storage::geo
