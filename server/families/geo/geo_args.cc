#include "server/families/geo/geo_args.h"

#include <cstdio>
#include <string>

#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"
#include "storage/value/number_format.h"

namespace ember::server {
namespace {

// Redis's getDoubleFromObjectOrReply with a custom message.
std::optional<double> ParseDoubleOrReply(CommandContext& ctx, std::string_view arg,
                                         std::string_view error) {
  std::optional<double> value = storage::ParseDouble(arg);
  if (!value) ctx.reply.Error(error);
  return value;
}

}  // namespace

std::optional<double> ParseUnitOrReply(CommandContext& ctx, std::string_view unit) {
  if (EqualsIgnoreCase(unit, "m")) return 1;
  if (EqualsIgnoreCase(unit, "km")) return 1000;
  if (EqualsIgnoreCase(unit, "ft")) return 0.3048;
  if (EqualsIgnoreCase(unit, "mi")) return 1609.34;
  ctx.reply.Error("ERR unsupported unit provided. please use M, KM, FT, MI");
  return std::nullopt;
}

std::optional<storage::geo::Point> ParsePointOrReply(CommandContext& ctx, size_t at) {
  const std::optional<double> longitude = ParseDoubleOrReply(ctx, ctx.args[at], kErrNotFloat);
  if (!longitude) return std::nullopt;
  const std::optional<double> latitude = ParseDoubleOrReply(ctx, ctx.args[at + 1], kErrNotFloat);
  if (!latitude) return std::nullopt;
  const storage::geo::Point point{*longitude, *latitude};
  if (!storage::geo::InRange(point)) {
    char text[768];  // "%f" of a double needs at most 317 characters
    std::snprintf(text, sizeof(text), "ERR invalid longitude,latitude pair %f,%f", *longitude,
                  *latitude);
    ctx.reply.Error(text);
    return std::nullopt;
  }
  return point;
}

bool ParseRadiusOrReply(CommandContext& ctx, size_t at, storage::geo::Shape& shape) {
  const std::optional<double> radius =
      ParseDoubleOrReply(ctx, ctx.args[at], "ERR need numeric radius");
  if (!radius) return false;
  if (*radius < 0) {
    ctx.reply.Error("ERR radius cannot be negative");
    return false;
  }
  const std::optional<double> unit = ParseUnitOrReply(ctx, ctx.args[at + 1]);
  if (!unit) return false;
  shape.box = false;
  shape.radius = *radius;
  shape.unit_meters = *unit;
  return true;
}

bool ParseBoxOrReply(CommandContext& ctx, size_t at, storage::geo::Shape& shape) {
  const std::optional<double> width =
      ParseDoubleOrReply(ctx, ctx.args[at], "ERR need numeric width");
  if (!width) return false;
  const std::optional<double> height =
      ParseDoubleOrReply(ctx, ctx.args[at + 1], "ERR need numeric height");
  if (!height) return false;
  if (*height < 0 || *width < 0) {
    ctx.reply.Error("ERR height or width cannot be negative");
    return false;
  }
  const std::optional<double> unit = ParseUnitOrReply(ctx, ctx.args[at + 2]);
  if (!unit) return false;
  shape.box = true;
  shape.width = *width;
  shape.height = *height;
  shape.unit_meters = *unit;
  return true;
}

void ReplyDistance(CommandContext& ctx, double distance) {
  ctx.reply.Bulk(storage::FormatFixedPoint(distance, 4));
}

void ReplyCoordinate(CommandContext& ctx, double degrees) {
  const std::string text = storage::FormatLongDoubleHuman(degrees);
  if (!ctx.reply.resp3()) return ctx.reply.Bulk(text);
  ctx.reply.Raw(",");
  ctx.reply.Raw(text);
  ctx.reply.Raw("\r\n");
}

}  // namespace ember::server
