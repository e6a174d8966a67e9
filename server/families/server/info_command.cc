// INFO: Redis's `field:value` report, section by section, as one bulk string, in Redis
// 7.0's section order and selection rules (default / all / everything / names). The
// sections themselves live in info_sections.cc and info_stats_sections.cc; the persistence
// section stays here.
#include <fmt/format.h>

#include <span>
#include <string>
#include <vector>

#include "server/command/acl_categories.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/core/server_state.h"
#include "server/families/server/info_sections.h"

namespace ember::server {
namespace {

// The aof_* fields, in Redis 7.0's order; sizes and buffers only while the AOF is on.
void AofSection(CommandContext& ctx, std::string& out) {
  const AofState& aof = ctx.server.aof();
  const bool rewriting = aof.rewrite_in_progress();
  out += fmt::format("aof_enabled:{}\r\n", aof.on ? 1 : 0);
  out += fmt::format("aof_rewrite_in_progress:{}\r\n", rewriting ? 1 : 0);
  out += fmt::format("aof_rewrite_scheduled:{}\r\n", aof.rewrite_scheduled ? 1 : 0);
  out += fmt::format("aof_last_rewrite_time_sec:{}\r\n", aof.last_rewrite_time_sec);
  out += fmt::format("aof_current_rewrite_time_sec:{}\r\n",
                     rewriting ? (ctx.now_ms - aof.child_start_ms) / 1000 : -1);
  out += fmt::format("aof_last_bgrewrite_status:{}\r\n", aof.last_bgrewrite_ok ? "ok" : "err");
  out += fmt::format("aof_rewrites:{}\r\n", aof.rewrites);
  out += fmt::format("aof_rewrites_consecutive_failures:{}\r\n", aof.rewrites_consecutive_failures);
  out += fmt::format("aof_last_write_status:{}\r\n", aof.log.write_ok() ? "ok" : "err");
  out += "aof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n";
  if (!aof.on) return;
  out += fmt::format("aof_current_size:{}\r\n", aof.current_size);
  out += fmt::format("aof_base_size:{}\r\n", aof.base_size);
  out += fmt::format("aof_pending_rewrite:{}\r\n", aof.rewrite_scheduled ? 1 : 0);
  out += fmt::format("aof_buffer_length:{}\r\n", aof.log.buffered_bytes());
  out += fmt::format("aof_pending_bio_fsync:{}\r\n", aof.log.fsync_pending() ? 1 : 0);
  out += fmt::format("aof_delayed_fsync:{}\r\n", aof.log.delayed_fsyncs());
}

void PersistenceSection(CommandContext& ctx, std::string& out) {
  const PersistenceState& p = ctx.server.persistence();
  out += fmt::format("# Persistence\r\nloading:{}\r\nasync_loading:0\r\n", p.loading ? 1 : 0);
  if (p.loading) out += fmt::format("loading_start_time:{}\r\n", p.loading_start_unix);
  const bool saving = p.bgsave_in_progress();
  out +=
      fmt::format("rdb_changes_since_last_save:{}\r\n", ctx.server.dirty() - p.dirty_at_last_save);
  out += fmt::format("rdb_bgsave_in_progress:{}\r\n", saving ? 1 : 0);
  out += fmt::format("rdb_last_save_time:{}\r\n", p.last_save_unix);
  out += fmt::format("rdb_last_bgsave_status:{}\r\n", p.last_bgsave_ok ? "ok" : "err");
  out += fmt::format("rdb_last_bgsave_time_sec:{}\r\n", p.last_bgsave_duration_sec);
  out += fmt::format("rdb_current_bgsave_time_sec:{}\r\n",
                     saving ? (ctx.now_ms - p.child_start_ms) / 1000 : -1);
  out += fmt::format("rdb_saves:{}\r\n", p.saves);
  out += fmt::format("rdb_last_load_keys_expired:{}\r\nrdb_last_load_keys_loaded:{}\r\n",
                     p.expired_keys, p.loaded_keys);
  AofSection(ctx, out);
}

struct Section {
  std::string_view name;
  void (*render)(CommandContext&, std::string&);
  bool in_default;  // false: only with "all", "everything" or by name
};

constexpr Section kSections[] = {
    {"server", ServerSection, true},
    {"clients", ClientsSection, true},
    {"memory", MemorySection, true},
    {"persistence", PersistenceSection, true},
    {"stats", StatsSection, true},
    {"replication", ReplicationSection, true},
    {"cpu", CpuSection, true},
    {"modules", ModulesSection, true},
    {"commandstats", CommandStatsSection, false},
    {"errorstats", ErrorStatsSection, true},
    {"latencystats", LatencyStatsSection, false},
    {"cluster", ClusterSection, true},
    {"keyspace", KeyspaceSection, true},
};

bool Wanted(CommandContext& ctx, const Section& section) {
  if (ctx.args.size() == 1) return section.in_default;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    std::string_view arg = ctx.args[i];
    if (EqualsIgnoreCase(arg, section.name) || EqualsIgnoreCase(arg, "all") ||
        EqualsIgnoreCase(arg, "everything")) {
      return true;
    }
    if (EqualsIgnoreCase(arg, "default") && section.in_default) return true;
  }
  return false;
}

void InfoCommand(CommandContext& ctx) {
  std::string out;
  for (const Section& section : kSections) {
    if (!Wanted(ctx, section)) continue;
    if (!out.empty()) out += "\r\n";
    section.render(ctx, out);
  }
  ctx.reply.Verbatim("txt", out);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> InfoCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "info", .arity = -1, .flags = kLoading | kStale, .since = "1.0.0",
       .summary = "Returns information and statistics about the server.", .handler = InfoCommand,
       .acl = kAclDangerous},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
