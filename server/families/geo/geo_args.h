// What the GEO handlers share: reading positions, distances and units the way Redis 7.0's
// geo.c reads them (its error texts included), and replying coordinates and distances in
// its formats.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "server/command/command_context.h"
#include "storage/ops/geohash_math.h"

namespace ember::server {

// Metres per unit for "m", "km", "ft" or "mi" (any case); replies Redis's error and
// returns nullopt otherwise.
std::optional<double> ParseUnitOrReply(CommandContext& ctx, std::string_view unit);

// The position in args[at] (longitude) and args[at + 1] (latitude); replies the error and
// returns nullopt when either is not a float or the pair is outside GEO's ranges.
std::optional<storage::geo::Point> ParsePointOrReply(CommandContext& ctx, size_t at);

// "radius unit" at args[at]: sets the shape's radius and unit (a circle); false after
// replying an error.
bool ParseRadiusOrReply(CommandContext& ctx, size_t at, storage::geo::Shape& shape);
// "width height unit" at args[at]: sets the shape's box and unit; false after replying.
bool ParseBoxOrReply(CommandContext& ctx, size_t at, storage::geo::Shape& shape);

// A distance as GEODIST and WITHDIST reply it: a bulk string with four decimals.
void ReplyDistance(CommandContext& ctx, double distance);
// A longitude or latitude as GEOPOS and WITHCOORD reply it (Redis's "human" long double:
// a bulk string in RESP2, a double in RESP3).
void ReplyCoordinate(CommandContext& ctx, double degrees);

}  // namespace ember::server
