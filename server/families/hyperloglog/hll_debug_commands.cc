// PFDEBUG and PFSELFTEST: Redis's internal commands for inspecting HyperLogLog strings and
// checking the implementation, kept because Redis's own test suite and tools call them.
//
// PFDEBUG looks its key up and checks it before it reads the subcommand, so an unknown
// subcommand on a missing key answers "key does not exist" first, as in Redis. GETREG and
// TODENSE turn a sparse string dense for good; that change counts toward the dirty counter
// and propagates the PFDEBUG as sent, so replicas hold the same bytes.
#include <fmt/format.h>

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "storage/ops/hll_ops.h"
#include "storage/ops/hll_selftest.h"

namespace ember::server {
namespace {

using storage::PfDebugAction;

PfDebugAction ParseAction(std::string_view name) {
  if (EqualsIgnoreCase(name, "getreg")) return PfDebugAction::kGetRegisters;
  if (EqualsIgnoreCase(name, "decode")) return PfDebugAction::kDecode;
  if (EqualsIgnoreCase(name, "encoding")) return PfDebugAction::kEncoding;
  if (EqualsIgnoreCase(name, "todense")) return PfDebugAction::kToDense;
  return PfDebugAction::kNone;
}

// PFDEBUG <GETREG|DECODE|ENCODING|TODENSE> key
void PfDebugCommand(CommandContext& ctx) {
  // Redis reads the subcommand as a C string: it ends at the first NUL byte.
  std::string_view name = ctx.args[1];
  name = name.substr(0, name.find('\0'));
  const PfDebugAction action = ParseAction(name);
  auto result = storage::OpPfDebug(ctx.db(), ctx.args[2], action, ctx.now_ms);
  if (!result.ok()) {
    if (result.status() == storage::OpStatus::kKeyNotFound) {
      return ctx.reply.Error(kErrHllNoSuchKey);
    }
    return ctx.ReplyError(result.status());
  }
  if (result->converted) ctx.MarkDirty();
  const bool sparse = result->encoding == storage::hll::Encoding::kSparse;
  switch (action) {
    case PfDebugAction::kGetRegisters:
      ctx.reply.ArrayHeader(static_cast<int64_t>(result->registers.size()));
      for (uint8_t value : result->registers) ctx.reply.Integer(value);
      return;
    case PfDebugAction::kDecode:
      if (!sparse) return ctx.reply.Error(kErrHllNotSparse);
      return ctx.reply.Bulk(result->decoded);
    case PfDebugAction::kEncoding:
      return ctx.reply.SimpleString(sparse ? "sparse" : "dense");
    case PfDebugAction::kToDense:
      return ctx.reply.Integer(result->converted ? 1 : 0);
    case PfDebugAction::kNone:
      return ctx.reply.Error(fmt::format("ERR Unknown PFDEBUG subcommand '{}'", name));
  }
}

// PFSELFTEST
void PfSelfTestCommand(CommandContext& ctx) {
  std::random_device device;
  const uint64_t seed = (static_cast<uint64_t>(device()) << 32) | device();
  const auto failure = storage::hll::RunSelfTest(
      static_cast<size_t>(ctx.server.config().hll_sparse_max_bytes), seed);
  if (failure.has_value()) return ctx.reply.Error("ERR " + *failure);
  ctx.reply.Ok();
}

}  // namespace

// clang-format off
std::span<const CommandSpec> HllDebugCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "pfdebug", .arity = 3, .flags = kWrite | kDenyOom | kAdmin, .keys = kKey2,
       .since = "2.8.9", .summary = "Internal commands for debugging HyperLogLog values.",
       .handler = PfDebugCommand},
      {.name = "pfselftest", .arity = 1, .flags = kAdmin, .since = "2.8.9",
       .summary = "An internal command for testing HyperLogLog values.",
       .handler = PfSelfTestCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
