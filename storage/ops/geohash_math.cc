#include "storage/ops/geohash_math.h"

#include <cmath>
#include <numbers>

namespace ember::storage::geo {
namespace {

// Redis's constants and unit conversions, kept in the same form so that every
// intermediate double rounds the same way.
constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
constexpr double kEarthRadiusMeters = 6372797.560856;
constexpr double kMercatorMax = 20037726.37;

struct Range {
  double min;
  double max;
};
constexpr Range kLongitudeRange{kLongitudeMin, kLongitudeMax};
constexpr Range kLatitudeRange{kLatitudeMin, kLatitudeMax};

struct Area {
  Range longitude;
  Range latitude;
};

double ToRadians(double degrees) { return degrees * kRadiansPerDegree; }
double ToDegrees(double radians) { return radians / kRadiansPerDegree; }

// Moves the low 32 bits of `v` to the even bit positions of the result.
uint64_t SpreadBits(uint32_t v) {
  uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x << 2)) & 0x3333333333333333ULL;
  x = (x | (x << 1)) & 0x5555555555555555ULL;
  return x;
}

// The inverse of SpreadBits: the even bits of `v`, packed.
uint32_t GatherBits(uint64_t v) {
  uint64_t x = v & 0x5555555555555555ULL;
  x = (x | (x >> 1)) & 0x3333333333333333ULL;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return static_cast<uint32_t>(x);
}

uint64_t Interleave(uint32_t latitude_index, uint32_t longitude_index) {
  return SpreadBits(latitude_index) | (SpreadBits(longitude_index) << 1);
}

// The cell of `step` bits per coordinate holding `p`, over the given ranges.
// Requires: InRange(p) and 1 <= step <= 32.
Cell Encode(Point p, uint8_t step, Range longitude, Range latitude) {
  double latitude_offset = (p.latitude - latitude.min) / (latitude.max - latitude.min);
  double longitude_offset = (p.longitude - longitude.min) / (longitude.max - longitude.min);
  latitude_offset *= static_cast<double>(1ULL << step);
  longitude_offset *= static_cast<double>(1ULL << step);
  return Cell{
      Interleave(static_cast<uint32_t>(latitude_offset), static_cast<uint32_t>(longitude_offset)),
      step};
}

// The bounds of a cell over the WGS84 ranges. Bits above the cell's width (only in scores
// GEOADD did not write) widen the index as they do in Redis.
Area Decode(Cell cell) {
  const uint32_t latitude_index = GatherBits(cell.bits);
  const uint32_t longitude_index = GatherBits(cell.bits >> 1);
  const double cells = static_cast<double>(1ULL << cell.step);
  const double latitude_scale = kLatitudeRange.max - kLatitudeRange.min;
  const double longitude_scale = kLongitudeRange.max - kLongitudeRange.min;
  Area area;
  area.latitude.min = kLatitudeRange.min + (latitude_index * 1.0 / cells) * latitude_scale;
  // The +1 is 32-bit arithmetic, as in Redis (it wraps only for such foreign scores).
  const uint32_t latitude_next = latitude_index + 1;
  const uint32_t longitude_next = longitude_index + 1;
  area.latitude.max = kLatitudeRange.min + (latitude_next * 1.0 / cells) * latitude_scale;
  area.longitude.min = kLongitudeRange.min + (longitude_index * 1.0 / cells) * longitude_scale;
  area.longitude.max = kLongitudeRange.min + (longitude_next * 1.0 / cells) * longitude_scale;
  return area;
}

// The neighbouring cell `dx` cells east and `dy` cells north, wrapping around the ranges.
// As in Redis, a coordinate that does not move keeps its bits as they are, including any
// above the cell's width (a centre on the east or north edge has them), and one that moves
// loses them.
Cell Moved(Cell cell, int dx, int dy) {
  const uint64_t mask = (1ULL << cell.step) - 1;
  uint64_t latitude_bits = cell.bits & 0x5555555555555555ULL;
  uint64_t longitude_bits = cell.bits & 0xAAAAAAAAAAAAAAAAULL;
  if (dx != 0) {
    const uint64_t index = (GatherBits(cell.bits >> 1) + static_cast<uint64_t>(dx)) & mask;
    longitude_bits = SpreadBits(static_cast<uint32_t>(index)) << 1;
  }
  if (dy != 0) {
    const uint64_t index = (GatherBits(cell.bits) + static_cast<uint64_t>(dy)) & mask;
    latitude_bits = SpreadBits(static_cast<uint32_t>(index));
  }
  return Cell{latitude_bits | longitude_bits, cell.step};
}

// How Redis's x86-64 build turns a score into the integer it decodes (a C cast from double
// to uint64_t: one branch around 2^63, with the CPU's "integer indefinite" for values out
// of range), so that scores ZADD wrote decode the same in both servers.
uint64_t ScoreToBits(double score) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  constexpr uint64_t kIndefinite = 0x8000000000000000ULL;
  auto truncate = [](double v) -> uint64_t {
    if (!(v > -kTwoTo63 && v < kTwoTo63)) return kIndefinite;
    return static_cast<uint64_t>(static_cast<int64_t>(v));
  };
  if (!(score >= kTwoTo63)) return truncate(score);
  return truncate(score - kTwoTo63) ^ kIndefinite;
}

// Redis's estimate of the cell size whose 3x3 block covers a search of `range_meters`
// around `latitude`.
uint8_t EstimateStep(double range_meters, double latitude) {
  if (range_meters == 0) return kMaxStep;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    step++;
  }
  step -= 2;
  if (latitude > 66 || latitude < -66) {
    step--;
    if (latitude > 80 || latitude < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > kMaxStep) step = kMaxStep;
  return static_cast<uint8_t>(step);
}

// The longitude and latitude bounds of the shape (its sides bend with the meridians).
Area BoundingBox(const Shape& shape) {
  const double height = shape.unit_meters * (shape.box ? shape.height / 2 : shape.radius);
  const double width = shape.unit_meters * (shape.box ? shape.width / 2 : shape.radius);
  const double latitude = shape.center.latitude;
  const double longitude = shape.center.longitude;
  const double latitude_delta = ToDegrees(height / kEarthRadiusMeters);
  const double longitude_delta_top =
      ToDegrees(width / kEarthRadiusMeters / std::cos(ToRadians(latitude + latitude_delta)));
  const double longitude_delta_bottom =
      ToDegrees(width / kEarthRadiusMeters / std::cos(ToRadians(latitude - latitude_delta)));
  const double longitude_delta = latitude < 0 ? longitude_delta_bottom : longitude_delta_top;
  return Area{{longitude - longitude_delta, longitude + longitude_delta},
              {latitude - latitude_delta, latitude + latitude_delta}};
}

double LatitudeDistance(double latitude1, double latitude2) {
  return kEarthRadiusMeters * std::fabs(ToRadians(latitude2) - ToRadians(latitude1));
}

}  // namespace

bool InRange(Point p) {
  return p.longitude >= kLongitudeMin && p.longitude <= kLongitudeMax &&
         p.latitude >= kLatitudeMin && p.latitude <= kLatitudeMax;
}

uint64_t EncodeScore(Point p) {
  const Cell cell = Encode(p, kMaxStep, kLongitudeRange, kLatitudeRange);
  return cell.bits << (52 - kMaxStep * 2);
}

Point DecodeScore(double score) {
  const Area area = Decode(Cell{ScoreToBits(score), kMaxStep});
  Point p{(area.longitude.min + area.longitude.max) / 2,
          (area.latitude.min + area.latitude.max) / 2};
  if (p.longitude > kLongitudeMax) p.longitude = kLongitudeMax;
  if (p.longitude < kLongitudeMin) p.longitude = kLongitudeMin;
  if (p.latitude > kLatitudeMax) p.latitude = kLatitudeMax;
  if (p.latitude < kLatitudeMin) p.latitude = kLatitudeMin;
  return p;
}

std::string GeohashString(double score) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  const Cell cell = Encode(DecodeScore(score), kMaxStep, Range{-180, 180}, Range{-90, 90});
  std::string text(11, '0');  // the 11th character stands for bits a score does not have
  for (int i = 0; i < 10; ++i) text[i] = kAlphabet[(cell.bits >> (52 - (i + 1) * 5)) & 0x1f];
  return text;
}

double Distance(Point a, Point b) {
  const double longitude1 = ToRadians(a.longitude);
  const double longitude2 = ToRadians(b.longitude);
  const double v = std::sin((longitude2 - longitude1) / 2);
  // Same meridian: the haversine reduces to the latitude difference.
  if (v == 0.0) return LatitudeDistance(a.latitude, b.latitude);
  const double latitude1 = ToRadians(a.latitude);
  const double latitude2 = ToRadians(b.latitude);
  const double u = std::sin((latitude2 - latitude1) / 2);
  const double h = u * u + std::cos(latitude1) * std::cos(latitude2) * v * v;
  return 2.0 * kEarthRadiusMeters * std::asin(std::sqrt(h));
}

std::optional<double> DistanceIfInside(const Shape& shape, Point p) {
  if (!shape.box) {
    const double distance = Distance(shape.center, p);
    if (distance > shape.radius * shape.unit_meters) return std::nullopt;
    return distance;
  }
  const double width = shape.width * shape.unit_meters;
  const double height = shape.height * shape.unit_meters;
  // The latitude test is the cheaper one, so it goes first.
  if (LatitudeDistance(p.latitude, shape.center.latitude) > height / 2) return std::nullopt;
  if (Distance(p, Point{shape.center.longitude, p.latitude}) > width / 2) return std::nullopt;
  return Distance(shape.center, p);
}

std::array<Cell, 9> CellsCovering(const Shape& shape) {
  const Area bounds = BoundingBox(shape);
  double range_meters = shape.box ? std::sqrt((shape.width / 2) * (shape.width / 2) +
                                              (shape.height / 2) * (shape.height / 2))
                                  : shape.radius;
  range_meters *= shape.unit_meters;
  uint8_t step = EstimateStep(range_meters, shape.center.latitude);

  // Centre, N, S, E, W, NE, NW, SE, SW.
  auto block = [&shape](uint8_t s) {
    const Cell centre = Encode(shape.center, s, kLongitudeRange, kLatitudeRange);
    return std::array<Cell, 9>{centre,
                               Moved(centre, 0, 1),
                               Moved(centre, 0, -1),
                               Moved(centre, 1, 0),
                               Moved(centre, -1, 0),
                               Moved(centre, 1, 1),
                               Moved(centre, -1, 1),
                               Moved(centre, 1, -1),
                               Moved(centre, -1, -1)};
  };
  std::array<Cell, 9> cells = block(step);
  // Near a cell's edge the estimate can leave part of the shape outside the block: then
  // use cells twice as large.
  const bool too_small = Decode(cells[1]).latitude.max < bounds.latitude.max ||
                         Decode(cells[2]).latitude.min > bounds.latitude.min ||
                         Decode(cells[3]).longitude.max < bounds.longitude.max ||
                         Decode(cells[4]).longitude.min > bounds.longitude.min;
  if (step > 1 && too_small) cells = block(--step);

  // Drop the neighbours on the sides the shape does not reach beyond the centre cell.
  if (step >= 2) {
    const Area centre = Decode(cells[0]);
    auto drop = [&cells](std::initializer_list<int> which) {
      for (int i : which) cells[i] = Cell{};
    };
    if (centre.latitude.min < bounds.latitude.min) drop({2, 8, 7});
    if (centre.latitude.max > bounds.latitude.max) drop({1, 5, 6});
    if (centre.longitude.min < bounds.longitude.min) drop({4, 8, 6});
    if (centre.longitude.max > bounds.longitude.max) drop({3, 7, 5});
  }
  return cells;
}

ScoreInterval ScoresOf(Cell cell) {
  const int shift = 52 - cell.step * 2;
  return ScoreInterval{static_cast<double>(cell.bits << shift),
                       static_cast<double>((cell.bits + 1) << shift)};
}

}  // namespace ember::storage::geo
