// BITFIELD and BITFIELD_RO: several integer-field operations on one string in one call
// (GET, SET, INCRBY, and OVERFLOW WRAP|SAT|FAIL, which applies to the SET and INCRBY after
// it). Every operation is parsed before any runs, so an error anywhere changes nothing.
//
// BITFIELD propagates as sent when a field changed, and counts each changed field toward
// the dirty counter; one with only GETs is a read and is never propagated. BITFIELD_RO
// refuses SET and INCRBY once the whole call has parsed.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/families/bitmap/bit_offset_arg.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/bitmap_ops.h"

namespace ember::server {
namespace {

using storage::BitFieldOp;
using storage::bitmap::Overflow;

// Sets is_signed and bits from a type such as "i16" or "u8" (lowercase letter, then
// 1..64 bits signed or 1..63 unsigned: a u64 could not be replied as a RESP integer).
bool ParseFieldType(std::string_view arg, BitFieldOp* op) {
  if (arg.empty() || (arg[0] != 'i' && arg[0] != 'u')) return false;
  op->is_signed = arg[0] == 'i';
  // Redis reads the width as a C string: it ends at the first NUL byte.
  std::string_view width = arg.substr(1);
  width = width.substr(0, width.find('\0'));
  std::optional<int64_t> bits = ArgToInt64(width);
  if (!bits.has_value() || *bits < 1 || *bits > (op->is_signed ? 64 : 63)) return false;
  op->bits = static_cast<unsigned>(*bits);
  return true;
}

std::optional<Overflow> ParseOverflow(std::string_view arg) {
  if (EqualsIgnoreCase(arg, "wrap")) return Overflow::kWrap;
  if (EqualsIgnoreCase(arg, "sat")) return Overflow::kSat;
  if (EqualsIgnoreCase(arg, "fail")) return Overflow::kFail;
  return std::nullopt;
}

// The operation named at args[index] with `remaining` arguments after it, or nullopt when
// the name is unknown or lacks its arguments (Redis's syntax error in both cases).
std::optional<BitFieldOp::Kind> OperationKind(std::string_view name, size_t remaining) {
  if (EqualsIgnoreCase(name, "get") && remaining >= 2) return BitFieldOp::Kind::kGet;
  if (EqualsIgnoreCase(name, "set") && remaining >= 3) return BitFieldOp::Kind::kSet;
  if (EqualsIgnoreCase(name, "incrby") && remaining >= 3) return BitFieldOp::Kind::kIncrBy;
  return std::nullopt;
}

// Every operation of the call, or nullopt after replying with the first error.
std::optional<std::vector<BitFieldOp>> ParseOperationsOrReply(CommandContext& ctx) {
  const std::span<const std::string_view> args = ctx.args;
  const int64_t max_bytes = ctx.server.config().proto_max_bulk_len;
  std::vector<BitFieldOp> ops;
  Overflow overflow = Overflow::kWrap;
  for (size_t i = 2; i < args.size(); ++i) {
    const size_t remaining = args.size() - i - 1;
    if (EqualsIgnoreCase(args[i], "overflow") && remaining >= 1) {
      std::optional<Overflow> mode = ParseOverflow(args[++i]);
      if (!mode.has_value()) {
        ctx.reply.Error(kErrBitFieldOverflow);
        return std::nullopt;
      }
      overflow = *mode;
      continue;
    }
    std::optional<BitFieldOp::Kind> kind = OperationKind(args[i], remaining);
    if (!kind.has_value()) {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
    BitFieldOp op{.kind = *kind, .overflow = overflow};
    if (!ParseFieldType(args[i + 1], &op)) {
      ctx.reply.Error(kErrBitFieldType);
      return std::nullopt;
    }
    std::optional<uint64_t> offset = ParseBitOffset(args[i + 2], max_bytes, op.bits);
    if (!offset.has_value()) {
      ctx.reply.Error(kErrBitOffset);
      return std::nullopt;
    }
    op.offset = *offset;
    if (op.kind != BitFieldOp::Kind::kGet) {
      std::optional<int64_t> value = ArgToInt64(args[i + 3]);
      if (!value.has_value()) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      op.value = *value;
    }
    ops.push_back(op);
    i += op.kind == BitFieldOp::Kind::kGet ? 2 : 3;
  }
  return ops;
}

bool HasWrites(std::span<const BitFieldOp> ops) {
  for (const BitFieldOp& op : ops) {
    if (op.kind != BitFieldOp::Kind::kGet) return true;
  }
  return false;
}

void BitFieldGeneric(CommandContext& ctx, bool read_only) {
  std::optional<std::vector<BitFieldOp>> ops = ParseOperationsOrReply(ctx);
  if (!ops.has_value()) return;
  if (read_only && HasWrites(*ops)) return ctx.reply.Error(kErrBitFieldReadOnly);
  auto result = storage::OpBitField(ctx.db(), ctx.args[1], *ops, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.ArrayHeader(static_cast<int64_t>(result->replies.size()));
  for (const std::optional<int64_t>& reply : result->replies) {
    if (reply.has_value()) {
      ctx.reply.Integer(*reply);
    } else {
      ctx.reply.Null();
    }
  }
  if (result->changes == 0) return;
  ctx.MarkDirty(result->changes);
  ctx.Notify(kNotifyString, "setbit", ctx.args[1]);
}

void BitFieldCommand(CommandContext& ctx) { BitFieldGeneric(ctx, /*read_only=*/false); }

void BitFieldRoCommand(CommandContext& ctx) { BitFieldGeneric(ctx, /*read_only=*/true); }

}  // namespace

// clang-format off
std::span<const CommandSpec> BitFieldCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "bitfield", .arity = -2, .flags = kWrite | kDenyOom, .keys = kKey1,
       .since = "3.2.0", .summary = "Reads and changes integer fields of a key's string value.",
       .handler = BitFieldCommand},
      {.name = "bitfield_ro", .arity = -2, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "6.0.0", .summary = "Reads integer fields of a key's string value.",
       .handler = BitFieldRoCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
