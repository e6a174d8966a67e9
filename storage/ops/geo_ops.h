// GEO's keyspace work: a sorted set used as a geospatial index (each member's score the
// 52-bit geohash of its position, geohash_math.h), read for positions and searched by
// area the way Redis 7.0's geo.c does. The set is found with OpZSetForRead (zset_ops.h). GEOADD is
// a ZADD of encoded scores (zset_ops.h), and GEOSEARCHSTORE stores with OpZStore; parsing, sorting
// by distance, replying and propagating stay with the server's handlers (server/families/geo/).
// Threading: engine thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/ops/geohash_math.h"
#include "storage/value/zset_value.h"

namespace ember::storage {

// The position `member` stands at (its score decoded), nullopt when it is absent.
std::optional<geo::Point> GeoPosition(const SortedSetValue& set, std::string_view member);

struct GeoMatch {
  std::string member;
  double score = 0;
  geo::Point position;
  double distance = 0;  // metres from the shape's centre
};

// The members inside `shape`, in Redis's scan order: cell by cell in CellsCovering's order
// (a cell equal to the one scanned just before it, other than the centre, is skipped, as
// Redis skips it), each cell in score order. With `limit` > 0 (ANY), stops as soon as that
// many are found.
std::vector<GeoMatch> GeoSearch(const SortedSetValue& set, const geo::Shape& shape, size_t limit);

}  // namespace ember::storage
