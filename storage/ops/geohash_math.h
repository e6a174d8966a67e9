// Geohash arithmetic for the GEO commands, matching Redis 7.0 bit for bit: a member's
// sorted-set score is the 52-bit interleaved geohash of its position (26 bits of latitude
// over [-85.05112878, 85.05112878], 26 of longitude over [-180, 180]), and a search scans
// the score ranges of up to nine geohash cells around its centre, chosen by the same
// estimate Redis makes, so the same sorted set yields the same members, distances and scan
// order in both servers. Distances are haversine on a sphere of radius 6372797.560856 m.
//
// Pure functions; safe on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace ember::storage::geo {

inline constexpr double kLongitudeMin = -180;
inline constexpr double kLongitudeMax = 180;
inline constexpr double kLatitudeMin = -85.05112878;
inline constexpr double kLatitudeMax = 85.05112878;
inline constexpr uint8_t kMaxStep = 26;  // bits per coordinate in a score

struct Point {
  double longitude = 0;
  double latitude = 0;
};

// A geohash cell: `step` bits per coordinate, latitude bits at even positions and
// longitude bits at odd ones. The all-zero value means "no cell" (a skipped neighbour).
struct Cell {
  uint64_t bits = 0;
  uint8_t step = 0;
  bool none() const { return bits == 0 && step == 0; }
};

// Whether GEOADD and the search commands accept the position (Redis's range check).
bool InRange(Point p);

// The 52-bit score GEOADD stores for `p`. Requires: InRange(p).
uint64_t EncodeScore(Point p);

// The position a score stands for (the centre of its cell, clamped to the ranges), as
// GEOPOS reports it. Any score decodes: one that GEOADD did not write is read the way
// Redis's x86-64 build converts it to an integer.
Point DecodeScore(double score);

// The 11-character standard geohash (latitude over [-90, 90]) of the position a score
// stands for, as GEOHASH replies.
std::string GeohashString(double score);

// Great-circle distance in metres.
double Distance(Point a, Point b);

// What GEOSEARCH looks for around `center`: a circle of `radius`, or a `width` x `height`
// box aligned with the meridians; lengths in units of `unit_meters` metres.
struct Shape {
  Point center;
  bool box = false;
  double radius = 0;
  double width = 0;
  double height = 0;
  double unit_meters = 1;
};

// The distance in metres from the shape's centre to `p` when `p` lies inside the shape.
std::optional<double> DistanceIfInside(const Shape& shape, Point p);

// The cells to scan for `shape`, in Redis's order: centre, north, south, east, west,
// north-east, north-west, south-east, south-west; a `none()` entry is skipped.
std::array<Cell, 9> CellsCovering(const Shape& shape);

// The scores [min, max) of the members whose positions lie in `cell`.
struct ScoreInterval {
  double min;
  double max;
};
ScoreInterval ScoresOf(Cell cell);

}  // namespace ember::storage::geo
