// Handlers of the bitmap family that address single bits or ranges: SETBIT, GETBIT,
// BITCOUNT, BITPOS and BITOP. All propagate as sent, and only when they changed a key.
//
// Argument checks follow Redis's order, which clients can observe: SETBIT and GETBIT check
// the offset before the key (an offset error wins over WRONGTYPE); BITCOUNT and BITPOS look
// the key up first, so an absent key answers 0 (or BITPOS's -1 / 0) whatever the range
// arguments hold, and a key of another type answers WRONGTYPE before any syntax error.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/families/bitmap/bit_offset_arg.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/bitmap_math.h"
#include "storage/ops/bitmap_ops.h"
#include "storage/ops/string_ops.h"

namespace ember::server {
namespace {

namespace bitmap = storage::bitmap;

std::optional<uint64_t> BitOffsetOrReply(CommandContext& ctx, std::string_view arg) {
  std::optional<uint64_t> offset = ParseBitOffset(arg, ctx.server.config().proto_max_bulk_len);
  if (!offset.has_value()) ctx.reply.Error(kErrBitOffset);
  return offset;
}

// The string at args[1] for reading (empty when absent, so `found` says which), or
// nullopt after replying WRONGTYPE. The view lives as long as `scratch` and the key.
std::optional<std::string_view> ReadBitmapOrReply(CommandContext& ctx,
                                                  storage::NumberBuffer& scratch, bool* found) {
  auto value = storage::OpGet(ctx.db(), ctx.args[1], ctx.now_ms, scratch);
  *found = value.ok();
  if (value.ok()) return *value;
  if (value.status() == storage::OpStatus::kKeyNotFound) return std::string_view();
  ctx.ReplyError(value.status());
  return std::nullopt;
}

std::optional<int64_t> IntegerOrReply(CommandContext& ctx, std::string_view arg) {
  std::optional<int64_t> value = ArgToInt64(arg);
  if (!value.has_value()) ctx.reply.Error(kErrNotInteger);
  return value;
}

// BIT or BYTE (any case): whether ranges count bits; nullopt after a syntax error.
std::optional<bool> RangeUnitOrReply(CommandContext& ctx, std::string_view arg) {
  if (EqualsIgnoreCase(arg, "bit")) return true;
  if (EqualsIgnoreCase(arg, "byte")) return false;
  ctx.reply.Error(kErrSyntax);
  return std::nullopt;
}

void SetBitCommand(CommandContext& ctx) {
  std::optional<uint64_t> offset = BitOffsetOrReply(ctx, ctx.args[2]);
  if (!offset.has_value()) return;
  std::optional<int64_t> bit = ArgToInt64(ctx.args[3]);
  if (!bit.has_value() || (*bit & ~int64_t{1}) != 0) return ctx.reply.Error(kErrBitValue);
  auto result = storage::OpSetBit(ctx.db(), ctx.args[1], *offset, *bit == 1, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Integer(result->old_bit ? 1 : 0);
  if (!result->changed) return;
  ctx.MarkDirty();
  ctx.Notify(kNotifyString, "setbit", ctx.args[1]);
}

void GetBitCommand(CommandContext& ctx) {
  std::optional<uint64_t> offset = BitOffsetOrReply(ctx, ctx.args[2]);
  if (!offset.has_value()) return;
  storage::NumberBuffer scratch;
  bool found = false;
  std::optional<std::string_view> bytes = ReadBitmapOrReply(ctx, scratch, &found);
  if (!bytes.has_value()) return;
  ctx.reply.Integer(bitmap::BitAt(*bytes, *offset) ? 1 : 0);
}

// BITCOUNT key [start end [BYTE|BIT]]
void BitCountCommand(CommandContext& ctx) {
  storage::NumberBuffer scratch;
  bool found = false;
  std::optional<std::string_view> bytes = ReadBitmapOrReply(ctx, scratch, &found);
  if (!bytes.has_value()) return;
  if (!found) return ctx.reply.Integer(0);
  const size_t argc = ctx.args.size();
  if (argc == 2) return ctx.reply.Integer(static_cast<int64_t>(bitmap::PopCount(*bytes)));
  if (argc != 4 && argc != 5) return ctx.reply.Error(kErrSyntax);
  std::optional<int64_t> start = IntegerOrReply(ctx, ctx.args[2]);
  if (!start.has_value()) return;
  std::optional<int64_t> end = IntegerOrReply(ctx, ctx.args[3]);
  if (!end.has_value()) return;
  // Both negative and inverted: empty, even where clamping would make them overlap. Redis
  // decides this before reading the unit.
  if (*start < 0 && *end < 0 && *start > *end) return ctx.reply.Integer(0);
  std::optional<bool> in_bits = argc == 5 ? RangeUnitOrReply(ctx, ctx.args[4]) : false;
  if (!in_bits.has_value()) return;
  std::optional<bitmap::BitRange> range =
      bitmap::ResolveRange(bytes->size(), *start, *end, *in_bits);
  ctx.reply.Integer(range ? static_cast<int64_t>(bitmap::CountOnes(*bytes, *range)) : 0);
}

// BITPOS key bit [start [end [BYTE|BIT]]]
void BitPosCommand(CommandContext& ctx) {
  std::optional<int64_t> bit = IntegerOrReply(ctx, ctx.args[2]);
  if (!bit.has_value()) return;
  if (*bit != 0 && *bit != 1) return ctx.reply.Error(kErrBitArgument);
  storage::NumberBuffer scratch;
  bool found = false;
  std::optional<std::string_view> bytes = ReadBitmapOrReply(ctx, scratch, &found);
  if (!bytes.has_value()) return;
  // An absent key is an endless run of zeros.
  if (!found) return ctx.reply.Integer(*bit == 1 ? -1 : 0);
  const size_t argc = ctx.args.size();
  if (argc > 6) return ctx.reply.Error(kErrSyntax);
  int64_t start = 0;
  int64_t end = -1;
  bool in_bits = false;
  const bool end_given = argc >= 5;
  if (argc >= 4) {
    std::optional<int64_t> parsed_start = IntegerOrReply(ctx, ctx.args[3]);
    if (!parsed_start.has_value()) return;
    start = *parsed_start;
    if (argc == 6) {
      std::optional<bool> unit = RangeUnitOrReply(ctx, ctx.args[5]);
      if (!unit.has_value()) return;
      in_bits = *unit;
    }
    if (end_given) {
      std::optional<int64_t> parsed_end = IntegerOrReply(ctx, ctx.args[4]);
      if (!parsed_end.has_value()) return;
      end = *parsed_end;
    }
  }
  std::optional<bitmap::BitRange> range = bitmap::ResolveRange(bytes->size(), start, end, in_bits);
  if (!range.has_value()) return ctx.reply.Integer(-1);
  std::optional<uint64_t> pos = bitmap::FindFirst(*bytes, *bit == 1, *range);
  if (pos.has_value()) return ctx.reply.Integer(static_cast<int64_t>(*pos));
  // No clear bit in the string: without an explicit end the string counts as zero-padded,
  // so the first clear bit is the one just past it.
  if (*bit == 0 && !end_given) return ctx.reply.Integer(static_cast<int64_t>(range->last + 1));
  ctx.reply.Integer(-1);
}

std::optional<bitmap::BitOperation> ParseBitOperation(std::string_view name) {
  if (EqualsIgnoreCase(name, "and")) return bitmap::BitOperation::kAnd;
  if (EqualsIgnoreCase(name, "or")) return bitmap::BitOperation::kOr;
  if (EqualsIgnoreCase(name, "xor")) return bitmap::BitOperation::kXor;
  if (EqualsIgnoreCase(name, "not")) return bitmap::BitOperation::kNot;
  return std::nullopt;
}

// BITOP operation destkey key [key ...]
void BitOpCommand(CommandContext& ctx) {
  std::optional<bitmap::BitOperation> op = ParseBitOperation(ctx.args[1]);
  if (!op.has_value()) return ctx.reply.Error(kErrSyntax);
  if (*op == bitmap::BitOperation::kNot && ctx.args.size() != 4) {
    return ctx.reply.Error(kErrBitOpNotArity);
  }
  const std::string_view dest = ctx.args[2];
  auto result = storage::OpBitOp(ctx.db(), *op, dest, ctx.args.subspan(3), ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Integer(result->length);
  if (result->effect == storage::BitOpEffect::kStored) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyString, "set", dest);
  } else if (result->effect == storage::BitOpEffect::kDeleted) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyGeneric, "del", dest);
  }
}

}  // namespace

// clang-format off
std::span<const CommandSpec> BitmapCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "setbit", .arity = 4, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "2.2.0",
       .summary = "Sets or clears the bit at an offset of a key's string value.",
       .handler = SetBitCommand},
      {.name = "getbit", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.2.0",
       .summary = "Returns the bit at an offset of a key's string value.",
       .handler = GetBitCommand},
      {.name = "bitcount", .arity = -2, .flags = kReadOnly, .keys = kKey1, .since = "2.6.0",
       .summary = "Counts the set bits of a key's string value, or of a range of it.",
       .handler = BitCountCommand},
      {.name = "bitpos", .arity = -3, .flags = kReadOnly, .keys = kKey1, .since = "2.8.7",
       .summary = "Finds the first set or clear bit of a key's string value.",
       .handler = BitPosCommand},
      {.name = "bitop", .arity = -4, .flags = kWrite | kDenyOom, .keys = {2, -1, 1},
       .since = "2.6.0", .summary = "Combines strings bit by bit and stores the result.",
       .handler = BitOpCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
