// GEOADD, GEOPOS, GEODIST and GEOHASH: members of a sorted set placed by position, as
// Redis 7.0's geo.c keeps them (storage/ops/geo_ops.h, geohash_math.h).
//
// GEOADD is Redis's rewrite into ZADD: the same replies and keyspace event ("zadd"), and it
// is propagated as the ZADD it became (scores as integers), so the AOF and replicas hold
// what redis-server would write; MONITOR and the slow log show the GEOADD as sent.
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
#include "storage/ops/zset_ops.h"
#include "storage/value/number_format.h"

namespace ember::server {
namespace {

// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
void GeoAddCommand(CommandContext& ctx) {
  storage::ZAddOptions options;
  bool ch = false;
  size_t first = 2;  // the first longitude
  for (; first < ctx.args.size(); ++first) {
    const std::string_view option = ctx.args[first];
    if (EqualsIgnoreCase(option, "nx")) {
      options.nx = true;
    } else if (EqualsIgnoreCase(option, "xx")) {
      options.xx = true;
    } else if (EqualsIgnoreCase(option, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  const size_t remaining = ctx.args.size() - first;
  // No triple at all is the syntax error of the ZADD Redis would run.
  if (remaining % 3 != 0 || remaining == 0 || (options.nx && options.xx)) {
    return ctx.reply.Error(kErrSyntax);
  }
  std::vector<std::pair<double, std::string_view>> pairs;
  std::vector<std::string> as_zadd(ctx.args.begin(), ctx.args.begin() + first);
  as_zadd[0] = "zadd";
  for (size_t i = first; i < ctx.args.size(); i += 3) {
    const std::optional<storage::geo::Point> point = ParsePointOrReply(ctx, i);
    if (!point) return;
    const uint64_t score = storage::geo::EncodeScore(*point);
    pairs.emplace_back(static_cast<double>(score), ctx.args[i + 2]);
    as_zadd.push_back(std::to_string(score));
    as_zadd.emplace_back(ctx.args[i + 2]);
  }
  auto outcome = storage::OpZAdd(ctx.db(), ctx.args[1], pairs, options, ctx.now_ms);
  if (!outcome.ok()) return ctx.ReplyError(outcome.status());
  const int64_t changed = outcome->added + outcome->updated;
  ctx.reply.Integer(ch ? changed : outcome->added);
  if (changed == 0) return;
  ctx.MarkDirty(static_cast<uint64_t>(changed));
  ctx.Notify(kNotifyZSet, "zadd", ctx.args[1]);
  ctx.PropagateAs(std::move(as_zadd));
}

// GEOPOS key [member ...]: [longitude, latitude] per member, a null array when absent.
void GeoPosCommand(CommandContext& ctx) {
  auto set = storage::OpZSetForRead(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!set.ok()) return ctx.ReplyError(set.status());
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.args.size() - 2));
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const auto position = *set ? storage::GeoPosition(**set, ctx.args[i]) : std::nullopt;
    if (!position) {
      ctx.reply.NullArray();
      continue;
    }
    ctx.reply.ArrayHeader(2);
    ReplyCoordinate(ctx, position->longitude);
    ReplyCoordinate(ctx, position->latitude);
  }
}

// GEODIST key member1 member2 [M|KM|FT|MI]: nil unless both members exist.
void GeoDistCommand(CommandContext& ctx) {
  double unit_meters = 1;
  if (ctx.args.size() == 5) {
    const std::optional<double> unit = ParseUnitOrReply(ctx, ctx.args[4]);
    if (!unit) return;
    unit_meters = *unit;
  } else if (ctx.args.size() > 5) {
    return ctx.reply.Error(kErrSyntax);
  }
  auto set = storage::OpZSetForRead(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!set.ok()) return ctx.ReplyError(set.status());
  if (!*set) return ctx.reply.Null();
  const auto from = storage::GeoPosition(**set, ctx.args[2]);
  const auto to = storage::GeoPosition(**set, ctx.args[3]);
  if (!from || !to) return ctx.reply.Null();
  ReplyDistance(ctx, storage::geo::Distance(*from, *to) / unit_meters);
}

// GEOHASH key [member ...]: each member's 11-character geohash, nil when absent.
void GeoHashCommand(CommandContext& ctx) {
  auto set = storage::OpZSetForRead(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!set.ok()) return ctx.ReplyError(set.status());
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.args.size() - 2));
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::optional<double> score = *set ? (*set)->Score(ctx.args[i]) : std::nullopt;
    if (!score) {
      ctx.reply.Null();
      continue;
    }
    ctx.reply.Bulk(storage::geo::GeohashString(*score));
  }
}

}  // namespace

// clang-format off
std::span<const CommandSpec> GeoCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "geoadd", .arity = -5, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "3.2.0",
       .summary = "Add one or more geospatial items in the geospatial index represented using a sorted set",
       .handler = GeoAddCommand},
      {.name = "geodist", .arity = -4, .flags = kReadOnly, .keys = kKey1, .since = "3.2.0",
       .summary = "Returns the distance between two members of a geospatial index",
       .handler = GeoDistCommand},
      {.name = "geohash", .arity = -2, .flags = kReadOnly, .keys = kKey1, .since = "3.2.0",
       .summary = "Returns members of a geospatial index as standard geohash strings",
       .handler = GeoHashCommand},
      {.name = "geopos", .arity = -2, .flags = kReadOnly, .keys = kKey1, .since = "3.2.0",
       .summary = "Returns longitude and latitude of members of a geospatial index",
       .handler = GeoPosCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
