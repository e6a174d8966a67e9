// INFO's cpu, modules, commandstats, errorstats, latencystats, cluster and
// keyspace sections.
#include <fmt/format.h>
#include <sys/resource.h>

#include <array>

#include "server/command/command_context.h"
#include "server/command/command_table.h"
#include "server/core/server_state.h"
#include "server/families/server/info_sections.h"

namespace ember::server {
namespace {

// Average remaining TTL (ms) of a sample of the database's TTLs; Redis keeps a running
// estimate from its expiry cycle, a fresh sample gives the same order of magnitude.
int64_t SampledAvgTtl(storage::Database& db, int64_t now_ms) {
  std::array<storage::Entry*, 64> entries{};
  const size_t count = db.SampleVolatile(entries.data(), entries.size());
  int64_t sum = 0;
  size_t live = 0;
  for (size_t i = 0; i < count; ++i) {
    const int64_t left = entries[i]->expire_at() - now_ms;
    if (left > 0) {
      sum += left;
      ++live;
    }
  }
  return live == 0 ? 0 : sum / static_cast<int64_t>(live);
}

void AppendCommandStat(const CommandSpec& spec, const CommandCallStats* stats, std::string& out) {
  if (stats == nullptr ||
      (stats->calls == 0 && stats->rejected_calls == 0 && stats->failed_calls == 0)) {
    return;
  }
  const double per_call =
      stats->calls == 0 ? 0.0
                        : static_cast<double>(stats->usec) / static_cast<double>(stats->calls);
  out += fmt::format(
      "cmdstat_{}:calls={},usec={},usec_per_call={:.2f},rejected_calls={},failed_calls={}\r\n",
      spec.name, stats->calls, stats->usec, per_call, stats->rejected_calls, stats->failed_calls);
}

}  // namespace

void CpuSection(CommandContext&, std::string& out) {
  rusage self{};
  rusage children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  out += "# CPU\r\n";
  out += fmt::format("used_cpu_sys:{:.6f}\r\nused_cpu_user:{:.6f}\r\n", seconds(self.ru_stime),
                     seconds(self.ru_utime));
  out += fmt::format("used_cpu_sys_children:{:.6f}\r\nused_cpu_user_children:{:.6f}\r\n",
                     seconds(children.ru_stime), seconds(children.ru_utime));
  // One engine thread does the work, so the main thread's figures are the process's.
  out += fmt::format("used_cpu_sys_main_thread:{:.6f}\r\nused_cpu_user_main_thread:{:.6f}\r\n",
                     seconds(self.ru_stime), seconds(self.ru_utime));
}

void ModulesSection(CommandContext&, std::string& out) { out += "# Modules\r\n"; }

void CommandStatsSection(CommandContext& ctx, std::string& out) {
  out += "# Commandstats\r\n";
  const CommandTable& table = CommandTable::Default();
  const CommandStats& stats = ctx.server.command_stats();
  for (const CommandSpec* row : table.rows()) {
    AppendCommandStat(*row, stats.Find(table.IndexOf(*row)), out);
    for (const CommandSpec& sub : row->subcommands) {
      AppendCommandStat(sub, stats.Find(table.IndexOf(sub)), out);
    }
  }
}

void ErrorStatsSection(CommandContext& ctx, std::string& out) {
  out += "# Errorstats\r\n";
  for (const auto& [code, count] : ctx.server.command_stats().errors()) {
    out += fmt::format("errorstat_{}:count={}\r\n", code, count);
  }
}

void LatencyStatsSection(CommandContext&, std::string& out) { out += "# Latencystats\r\n"; }

void ClusterSection(CommandContext&, std::string& out) {
  out += "# Cluster\r\ncluster_enabled:0\r\n";
}

void KeyspaceSection(CommandContext& ctx, std::string& out) {
  out += "# Keyspace\r\n";
  storage::Keyspace& keyspace = ctx.keyspace();
  for (int i = 0; i < keyspace.database_count(); ++i) {
    storage::Database& db = keyspace.db(i);
    if (db.size() == 0) continue;
    out += fmt::format("db{}:keys={},expires={},avg_ttl={}\r\n", i, db.size(), db.expires_size(),
                       SampledAvgTtl(db, ctx.now_ms));
  }
}

}  // namespace ember::server
