// GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their _RO forms: one handler,
// Redis 7.0's georadiusGeneric, whose argument order decides which error a bad call gets
// (the key's type first, then the centre and radius of the GEORADIUS forms, then the
// options left to right, then the combination rules), so Ember answers each malformed call
// as redis-server does.
//
// Matches come in Redis's scan order (storage::GeoSearch); ASC and DESC sort them by
// distance the way Redis sorts them (so members at equal distances come in Redis's order
// too), and COUNT without ANY implies ASC.
//
// The STORE forms replace the destination with the matches (score: the geohash, or the
// distance in the query's unit with STOREDIST), or delete it when there are none, and are
// propagated as sent; keyspace events "geosearchstore" / "georadiusstore", or "del".
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/families/geo/geo_args.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/geo_ops.h"
#include "storage/ops/partial_quicksort.h"
#include "storage/ops/zset_ops.h"
#include "storage/value/number_format.h"

namespace ember::server {
namespace {

using storage::GeoMatch;
using storage::SortedSetValue;
using storage::geo::Shape;

// Which command is running (Redis's RADIUS_* / GEOSEARCH flags).
enum class Form : uint8_t {
  kRadius,            // GEORADIUS key longitude latitude radius unit ...
  kRadiusByMember,    // GEORADIUSBYMEMBER key member radius unit ...
  kRadiusReadOnly,    // GEORADIUS_RO: no STORE
  kByMemberReadOnly,  // GEORADIUSBYMEMBER_RO
  kSearch,            // GEOSEARCH key FROMMEMBER|FROMLONLAT BYRADIUS|BYBOX ...
  kSearchStore,       // GEOSEARCHSTORE destination source ...
};

bool IsSearch(Form form) { return form == Form::kSearch || form == Form::kSearchStore; }
bool FromCoordinates(Form form) { return form == Form::kRadius || form == Form::kRadiusReadOnly; }
bool FromMember(Form form) {
  return form == Form::kRadiusByMember || form == Form::kByMemberReadOnly;
}
bool AcceptsStore(Form form) { return form == Form::kRadius || form == Form::kRadiusByMember; }

enum class Order : uint8_t { kNone, kAscending, kDescending };

struct Query {
  Shape shape;
  std::optional<std::string_view> store;  // the destination key
  bool store_distance = false;
  bool with_distance = false;
  bool with_hash = false;
  bool with_coordinates = false;
  bool any = false;
  Order order = Order::kNone;
  int64_t count = 0;  // 0: no limit
};

// Parses the call into `query` in Redis's order; false after replying an error. `set` is
// the source (null when absent): a missing source still gets its arguments checked.
bool ParseQuery(CommandContext& ctx, Form form, const SortedSetValue* set, Query& query) {
  const std::span<const std::string_view> args = ctx.args;
  size_t base = 2;
  if (FromCoordinates(form)) {
    base = 6;
    const auto center = ParsePointOrReply(ctx, 2);
    if (!center) return false;
    query.shape.center = *center;
    if (!ParseRadiusOrReply(ctx, 4, query.shape)) return false;
  } else if (FromMember(form)) {
    base = 5;
    if (set != nullptr) {  // without a source Redis checks neither the member nor the radius
      const auto center = storage::GeoPosition(*set, args[2]);
      if (!center) {
        ctx.reply.Error("ERR could not decode requested zset member");
        return false;
      }
      query.shape.center = *center;
      if (!ParseRadiusOrReply(ctx, 3, query.shape)) return false;
    }
  } else if (form == Form::kSearchStore) {
    base = 3;
    query.store = args[1];
  }

  bool from_member = false;
  bool from_coordinates = false;
  bool by_radius = false;
  bool by_box = false;
  const size_t remaining = args.size() - base;
  for (size_t i = 0; i < remaining; ++i) {
    const std::string_view arg = args[base + i];
    const size_t at = base + i + 1;  // the option's first argument
    if (EqualsIgnoreCase(arg, "withdist")) {
      query.with_distance = true;
    } else if (EqualsIgnoreCase(arg, "withhash")) {
      query.with_hash = true;
    } else if (EqualsIgnoreCase(arg, "withcoord")) {
      query.with_coordinates = true;
    } else if (EqualsIgnoreCase(arg, "any")) {
      query.any = true;
    } else if (EqualsIgnoreCase(arg, "asc")) {
      query.order = Order::kAscending;
    } else if (EqualsIgnoreCase(arg, "desc")) {
      query.order = Order::kDescending;
    } else if (EqualsIgnoreCase(arg, "count") && i + 1 < remaining) {
      const std::optional<int64_t> count = storage::ParseInt64(args[at]);
      if (!count) {
        ctx.reply.Error(kErrNotInteger);
        return false;
      }
      if (*count <= 0) {
        ctx.reply.Error("ERR COUNT must be > 0");
        return false;
      }
      query.count = *count;
      i += 1;
    } else if ((EqualsIgnoreCase(arg, "store") || EqualsIgnoreCase(arg, "storedist")) &&
               i + 1 < remaining && AcceptsStore(form)) {
      query.store = args[at];
      query.store_distance = EqualsIgnoreCase(arg, "storedist");
      i += 1;
    } else if (EqualsIgnoreCase(arg, "storedist") && form == Form::kSearchStore) {
      query.store_distance = true;
    } else if (EqualsIgnoreCase(arg, "frommember") && i + 1 < remaining && IsSearch(form) &&
               !from_coordinates) {
      if (set != nullptr) {
        const auto center = storage::GeoPosition(*set, args[at]);
        if (!center) {
          ctx.reply.Error("ERR could not decode requested zset member");
          return false;
        }
        query.shape.center = *center;
      }
      from_member = true;
      i += 1;
    } else if (EqualsIgnoreCase(arg, "fromlonlat") && i + 2 < remaining && IsSearch(form) &&
               !from_member) {
      const auto center = ParsePointOrReply(ctx, at);
      if (!center) return false;
      query.shape.center = *center;
      from_coordinates = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "byradius") && i + 2 < remaining && IsSearch(form) &&
               !by_box) {
      if (!ParseRadiusOrReply(ctx, at, query.shape)) return false;
      by_radius = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "bybox") && i + 3 < remaining && IsSearch(form) &&
               !by_radius) {
      if (!ParseBoxOrReply(ctx, at, query.shape)) return false;
      by_box = true;
      i += 3;
    } else {
      ctx.reply.Error(kErrSyntax);
      return false;
    }
  }

  if (query.store && (query.with_distance || query.with_hash || query.with_coordinates)) {
    ctx.reply.Error(std::string("ERR ") +
                    (form == Form::kSearchStore ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS") +
                    " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    return false;
  }
  if (IsSearch(form) && !from_member && !from_coordinates) {
    ctx.reply.Error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
                    std::string(args[0]));
    return false;
  }
  if (IsSearch(form) && !by_radius && !by_box) {
    ctx.reply.Error("ERR exactly one of BYRADIUS and BYBOX can be specified for " +
                    std::string(args[0]));
    return false;
  }
  if (query.any && query.count == 0) {
    ctx.reply.Error("ERR the ANY argument requires COUNT argument");
    return false;
  }
  return true;
}

// Replaces the destination with `matches` (or deletes it); replies how many were stored.
void Store(CommandContext& ctx, Form form, const Query& query, std::span<const GeoMatch> matches) {
  std::vector<storage::ScoredMember> entries;
  entries.reserve(matches.size());
  for (const GeoMatch& match : matches) {
    entries.emplace_back(match.member, query.store_distance
                                           ? match.distance / query.shape.unit_meters
                                           : match.score);
  }
  const storage::ZStoreOutcome stored =
      storage::OpZStore(ctx.db(), *query.store, entries, ctx.now_ms);
  if (stored.stored > 0) {
    ctx.MarkDirty(static_cast<uint64_t>(stored.stored));
    ctx.Notify(kNotifyZSet, IsSearch(form) ? "geosearchstore" : "georadiusstore", *query.store);
  } else if (stored.replaced) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyGeneric, "del", *query.store);
  }
  ctx.reply.Integer(stored.stored);
}

void Reply(CommandContext& ctx, const Query& query, std::span<const GeoMatch> matches) {
  const int64_t options =
      (query.with_distance ? 1 : 0) + (query.with_hash ? 1 : 0) + (query.with_coordinates ? 1 : 0);
  ctx.reply.ArrayHeader(static_cast<int64_t>(matches.size()));
  for (const GeoMatch& match : matches) {
    if (options > 0) ctx.reply.ArrayHeader(options + 1);
    ctx.reply.Bulk(match.member);
    if (query.with_distance) ReplyDistance(ctx, match.distance / query.shape.unit_meters);
    if (query.with_hash) ctx.reply.Integer(static_cast<int64_t>(match.score));
    if (query.with_coordinates) {
      ctx.reply.ArrayHeader(2);
      ReplyCoordinate(ctx, match.position.longitude);
      ReplyCoordinate(ctx, match.position.latitude);
    }
  }
}

// Sorts `matches` by distance as Redis does, so that the first `kept` are the ones Redis
// replies in its order: all of them with glibc's qsort (a stable merge sort), only the
// first `kept` with Redis's pqsort (whose order among equal distances is its own).
void SortByDistance(std::vector<GeoMatch>& matches, size_t kept, Order order) {
  const int sign = order == Order::kAscending ? 1 : -1;
  if (kept == matches.size()) {
    std::stable_sort(matches.begin(), matches.end(), [sign](const GeoMatch& a, const GeoMatch& b) {
      return sign > 0 ? a.distance < b.distance : a.distance > b.distance;
    });
    return;
  }
  if (kept == 0) return;
  auto compare = [&matches, sign](size_t i, size_t j) {
    const double a = matches[i].distance;
    const double b = matches[j].distance;
    return sign * (a > b ? 1 : (a == b ? 0 : -1));
  };
  const std::vector<size_t> order_of =
      storage::PartialQuicksort(matches.size(), 0, kept - 1, compare);
  std::vector<GeoMatch> sorted;
  sorted.reserve(kept);
  for (size_t k = 0; k < kept; ++k) sorted.push_back(std::move(matches[order_of[k]]));
  matches = std::move(sorted);
}

void Search(CommandContext& ctx, Form form) {
  const size_t source_at = form == Form::kSearchStore ? 2 : 1;
  auto found = storage::OpZSetForRead(ctx.db(), ctx.args[source_at], ctx.now_ms);
  if (!found.ok()) return ctx.ReplyError(found.status());
  const SortedSetValue* set = *found ? &**found : nullptr;
  Query query;
  if (!ParseQuery(ctx, form, set, query)) return;
  if (set == nullptr) {
    if (query.store) return Store(ctx, form, query, {});
    return ctx.reply.ArrayHeader(0);
  }
  if (query.count != 0 && query.order == Order::kNone && !query.any) {
    query.order = Order::kAscending;  // the nearest COUNT, as Redis decides
  }
  std::vector<GeoMatch> matches =
      storage::GeoSearch(*set, query.shape, query.any ? static_cast<size_t>(query.count) : 0);
  const size_t kept = query.count != 0 && matches.size() > static_cast<uint64_t>(query.count)
                          ? static_cast<size_t>(query.count)
                          : matches.size();
  if (query.order != Order::kNone) SortByDistance(matches, kept, query.order);
  matches.resize(kept);
  if (query.store) return Store(ctx, form, query, matches);
  Reply(ctx, query, matches);
}

void GeoRadiusCommand(CommandContext& ctx) { Search(ctx, Form::kRadius); }
void GeoRadiusReadOnlyCommand(CommandContext& ctx) { Search(ctx, Form::kRadiusReadOnly); }
void GeoRadiusByMemberCommand(CommandContext& ctx) { Search(ctx, Form::kRadiusByMember); }
void GeoRadiusByMemberReadOnlyCommand(CommandContext& ctx) { Search(ctx, Form::kByMemberReadOnly); }
void GeoSearchCommand(CommandContext& ctx) { Search(ctx, Form::kSearch); }
void GeoSearchStoreCommand(CommandContext& ctx) { Search(ctx, Form::kSearchStore); }

}  // namespace

// clang-format off
std::span<const CommandSpec> GeoSearchCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "georadius", .arity = -6, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "3.2.0",
       .summary = "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
       .handler = GeoRadiusCommand},
      {.name = "georadius_ro", .arity = -6, .flags = kReadOnly, .keys = kKey1, .since = "3.2.10",
       .summary = "A read-only variant for GEORADIUS", .handler = GeoRadiusReadOnlyCommand},
      {.name = "georadiusbymember", .arity = -5, .flags = kWrite | kDenyOom, .keys = kKey1,
       .since = "3.2.0",
       .summary = "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
       .handler = GeoRadiusByMemberCommand},
      {.name = "georadiusbymember_ro", .arity = -5, .flags = kReadOnly, .keys = kKey1,
       .since = "3.2.10", .summary = "A read-only variant for GEORADIUSBYMEMBER",
       .handler = GeoRadiusByMemberReadOnlyCommand},
      {.name = "geosearch", .arity = -7, .flags = kReadOnly, .keys = kKey1, .since = "6.2.0",
       .summary = "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
       .handler = GeoSearchCommand},
      {.name = "geosearchstore", .arity = -8, .flags = kWrite | kDenyOom, .keys = kKey12,
       .since = "6.2.0",
       .summary = "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
       .handler = GeoSearchStoreCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
