// MEMORY USAGE / STATS / DOCTOR / PURGE / HELP.
#include <fmt/format.h>
#include <malloc.h>

#include <optional>
#include <span>

#include "server/command/arg_parser.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "server/core/server_metrics.h"
#include "server/core/server_state.h"
#include "storage/value/value_concerns.h"

namespace ember::server {
namespace {

// Bytes one key costs: its entry block (key, value and TTL inline), the bucket slot
// pointing at it, and what its value owns beyond the block (`value_bytes`, in heap chunks).
uint64_t KeyBytes(const storage::Entry& entry, size_t value_bytes) {
  return entry.block_size() + sizeof(void*) + value_bytes;
}

void MemoryUsageCommand(CommandContext& ctx) {
  // SAMPLES bounds the elements sampled in aggregate values; strings have none to sample.
  ArgParser options(ctx.args, 3);
  while (options.HasNext()) {
    if (!options.Check("samples")) {
      options.Fail(kErrSyntax);
    } else if (std::optional<int64_t> samples = options.NextInt64(kErrNotInteger)) {
      if (*samples < 0) options.Fail(kErrSyntax);
    }
  }
  if (!options.ok()) return ctx.reply.Error(options.error());
  const storage::Entry* entry = ctx.db().FindNoTouch(ctx.args[2], ctx.now_ms);
  // A type MEMORY USAGE does not measure yet is answered as a missing key.
  const std::optional<size_t> value_bytes =
      entry == nullptr ? std::nullopt : storage::ValueMemoryUsage(entry->value());
  if (!value_bytes.has_value()) {
    ctx.reply.Null();
    return;
  }
  ctx.reply.Integer(static_cast<int64_t>(KeyBytes(*entry, *value_bytes)));
}

void MemoryStatsCommand(CommandContext& ctx) {
  const MemoryMetrics m = CollectMemory(ctx.server);
  uint64_t keys = 0;
  for (int i = 0; i < ctx.keyspace().database_count(); ++i) keys += ctx.keyspace().db(i).size();
  const auto percent = [](uint64_t part, uint64_t whole) {
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  };
  ctx.reply.MapHeader(13);
  ctx.reply.Bulk("peak.allocated");
  ctx.reply.Integer(static_cast<int64_t>(m.peak));
  ctx.reply.Bulk("total.allocated");
  ctx.reply.Integer(static_cast<int64_t>(m.used));
  ctx.reply.Bulk("startup.allocated");
  ctx.reply.Integer(static_cast<int64_t>(m.startup));
  ctx.reply.Bulk("replication.backlog");
  ctx.reply.Integer(0);
  ctx.reply.Bulk("clients.normal");
  ctx.reply.Integer(0);
  ctx.reply.Bulk("overhead.total");
  ctx.reply.Integer(static_cast<int64_t>(m.overhead));
  ctx.reply.Bulk("keys.count");
  ctx.reply.Integer(static_cast<int64_t>(keys));
  ctx.reply.Bulk("keys.bytes-per-key");
  ctx.reply.Integer(keys == 0 ? 0 : static_cast<int64_t>(m.dataset / keys));
  ctx.reply.Bulk("dataset.bytes");
  ctx.reply.Integer(static_cast<int64_t>(m.dataset));
  ctx.reply.Bulk("dataset.percentage");
  ctx.reply.Double(percent(m.dataset, m.used));
  ctx.reply.Bulk("peak.percentage");
  ctx.reply.Double(percent(m.used, m.peak));
  ctx.reply.Bulk("fragmentation");
  ctx.reply.Double(m.used == 0 ? 0.0 : static_cast<double>(m.rss) / static_cast<double>(m.used));
  ctx.reply.Bulk("fragmentation.bytes");
  ctx.reply.Integer(static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.used));
}

void MemoryDoctorCommand(CommandContext& ctx) {
  const MemoryMetrics m = CollectMemory(ctx.server);
  ctx.reply.Verbatim("txt", fmt::format("Ember uses {} bytes ({} for data); nothing to report.",
                                        m.used, m.dataset));
}

void MemoryPurgeCommand(CommandContext& ctx) {
  malloc_trim(0);
  ctx.reply.Ok();
}

void MemoryHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "MEMORY",
            {"DOCTOR", "    Give advice about the server's memory use.", "PURGE",
             "    Return free memory to the operating system.", "STATS",
             "    Report the server's memory use in detail.", "USAGE <key> [SAMPLES <count>]",
             "    Estimate the bytes <key> and its value take."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> MemoryCommandRows() {
  static constexpr CommandSpec kMemorySubcommands[] = {
      {.name = "memory|usage", .arity = -3, .flags = kReadOnly, .keys = kKey2, .since = "4.0.0",
       .summary = "Estimates the bytes a key and its value take.", .handler = MemoryUsageCommand},
      {.name = "memory|stats", .arity = 2, .since = "4.0.0",
       .summary = "Reports the server's memory use in detail.", .handler = MemoryStatsCommand},
      {.name = "memory|doctor", .arity = 2, .since = "4.0.0",
       .summary = "Gives advice about the server's memory use.", .handler = MemoryDoctorCommand},
      {.name = "memory|purge", .arity = 2, .since = "4.0.0",
       .summary = "Asks the allocator to return free memory to the system.",
       .handler = MemoryPurgeCommand},
      {.name = "memory|help", .arity = 2, .flags = kLoading | kStale, .since = "4.0.0",
       .summary = "Describes the MEMORY subcommands.", .handler = MemoryHelpCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "memory", .arity = -2, .since = "4.0.0", .summary = "Reports on memory use.",
       .handler = nullptr, .subcommands = kMemorySubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
