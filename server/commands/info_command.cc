// INFO: Redis's `field:value` report, section by section, as one bulk string. Field names
// are Redis's so that clients' readiness checks and monitoring tools parse them unchanged.
#include <fmt/format.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cctype>
#include <string>
#include <vector>

#include "server/commands/arg_parsing.h"
#include "server/commands/server_commands.h"
#include "server/server_state.h"

namespace ember::server {
namespace {

// Redis's INFO keeps answering "7.0.15"-compatible version numbers so that clients'
// feature checks pass; Ember's own version is reported beside it.
constexpr std::string_view kRedisCompatibleVersion = "7.0.15";

std::string HumanBytes(uint64_t bytes) {
  const double n = static_cast<double>(bytes);
  if (bytes < 1024) return fmt::format("{}B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.2f}K", n / 1024);
  if (bytes < 1024ull * 1024 * 1024) return fmt::format("{:.2f}M", n / (1024 * 1024));
  return fmt::format("{:.2f}G", n / (1024.0 * 1024 * 1024));
}

uint64_t ResidentBytes() {
  long pages = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    long size = 0;
    if (std::fscanf(f, "%ld %ld", &size, &pages) != 2) pages = 0;
    std::fclose(f);
  }
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

void ServerSection(CommandContext& ctx, std::string& out) {
  const ServerConfig& config = ctx.server.config();
  const int64_t uptime_s = (ctx.now_ms - ctx.server.start_time_ms()) / 1000;
  out += "# Server\r\n";
  out += fmt::format("redis_version:{}\r\nember_version:{}\r\n", kRedisCompatibleVersion,
                     EMBER_VERSION);
  out += "redis_mode:standalone\r\narch_bits:64\r\nmultiplexing_api:epoll\r\n";
  out += fmt::format("process_id:{}\r\ntcp_port:{}\r\n", getpid(), config.port);
  out += fmt::format("server_time_usec:{}\r\n", ctx.now_ms * 1000);
  out += fmt::format("uptime_in_seconds:{}\r\nuptime_in_days:{}\r\n", uptime_s, uptime_s / 86400);
  out += fmt::format("hz:{}\r\nconfigured_hz:{}\r\n", config.hz, config.hz);
  out += fmt::format("config_file:{}\r\n", config.config_file);
}

void ClientsSection(CommandContext& ctx, std::string& out) {
  out += "# Clients\r\n";
  out += fmt::format("connected_clients:{}\r\n", ctx.server.clients().size());
  out += fmt::format("maxclients:{}\r\n", ctx.server.config().maxclients);
  out += "blocked_clients:0\r\ntracking_clients:0\r\n";
}

void MemorySection(CommandContext& ctx, std::string& out) {
  // used_memory is what the allocator has handed out and not taken back: keys, values,
  // tables, and connection buffers alike, so no memory hides from it.
  struct mallinfo2 info = mallinfo2();
  const uint64_t used = info.uordblks + info.hblkhd;
  const uint64_t dataset = ctx.keyspace().used_memory();
  const uint64_t rss = ResidentBytes();
  out += "# Memory\r\n";
  out += fmt::format("used_memory:{}\r\nused_memory_human:{}\r\n", used, HumanBytes(used));
  out += fmt::format("used_memory_rss:{}\r\nused_memory_rss_human:{}\r\n", rss, HumanBytes(rss));
  out += fmt::format("used_memory_dataset:{}\r\n", dataset);
  out += fmt::format("maxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\n");
  out += fmt::format("mem_fragmentation_ratio:{:.2f}\r\n",
                     used == 0 ? 0.0 : static_cast<double>(rss) / static_cast<double>(used));
  out += "mem_allocator:libc\r\n";
}

void PersistenceSection(CommandContext& ctx, std::string& out) {
  out += "# Persistence\r\nloading:0\r\nasync_loading:0\r\n";
  out += fmt::format("rdb_changes_since_last_save:{}\r\n", ctx.server.dirty());
  out += "rdb_bgsave_in_progress:0\r\naof_enabled:0\r\naof_rewrite_in_progress:0\r\n";
}

void StatsSection(CommandContext& ctx, std::string& out) {
  const ServerStats& s = ctx.server.stats();
  const storage::KeyspaceStats& k = ctx.keyspace().stats();
  out += "# Stats\r\n";
  out += fmt::format("total_connections_received:{}\r\n", s.total_connections_received);
  out += fmt::format("total_commands_processed:{}\r\n", s.total_commands_processed);
  out += fmt::format("total_net_input_bytes:{}\r\n", s.total_net_input_bytes);
  out += fmt::format("total_net_output_bytes:{}\r\n", s.total_net_output_bytes);
  out += fmt::format("rejected_connections:{}\r\n", s.rejected_connections);
  out += fmt::format("expired_keys:{}\r\nevicted_keys:{}\r\n", k.expired_keys, k.evicted_keys);
  out +=
      fmt::format("keyspace_hits:{}\r\nkeyspace_misses:{}\r\n", k.keyspace_hits, k.keyspace_misses);
  out += fmt::format("total_error_replies:{}\r\n", s.total_error_replies);
}

void ReplicationSection(CommandContext&, std::string& out) {
  out += "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
  out += "master_repl_offset:0\r\n";
}

void CpuSection(CommandContext&, std::string& out) {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  out += "# CPU\r\n";
  out += fmt::format("used_cpu_sys:{:.6f}\r\nused_cpu_user:{:.6f}\r\n", seconds(self.ru_stime),
                     seconds(self.ru_utime));
}

void KeyspaceSection(CommandContext& ctx, std::string& out) {
  out += "# Keyspace\r\n";
  storage::Keyspace& keyspace = ctx.keyspace();
  for (int i = 0; i < keyspace.database_count(); ++i) {
    const storage::Database& db = keyspace.db(i);
    if (db.size() == 0) continue;
    out += fmt::format("db{}:keys={},expires={},avg_ttl=0\r\n", i, db.size(), db.expires_size());
  }
}

struct Section {
  std::string_view name;
  void (*render)(CommandContext&, std::string&);
};

constexpr Section kSections[] = {
    {"server", ServerSection}, {"clients", ClientsSection},
    {"memory", MemorySection}, {"persistence", PersistenceSection},
    {"stats", StatsSection},   {"replication", ReplicationSection},
    {"cpu", CpuSection},       {"keyspace", KeyspaceSection},
};

bool Wanted(CommandContext& ctx, std::string_view section) {
  if (ctx.args.size() == 1) return true;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    std::string_view arg = ctx.args[i];
    if (EqualsIgnoreCase(arg, section) || EqualsIgnoreCase(arg, "all") ||
        EqualsIgnoreCase(arg, "everything") || EqualsIgnoreCase(arg, "default")) {
      return true;
    }
  }
  return false;
}

}  // namespace

void InfoCommand(CommandContext& ctx) {
  std::string out;
  for (const Section& section : kSections) {
    if (!Wanted(ctx, section.name)) continue;
    if (!out.empty()) out += "\r\n";
    section.render(ctx, out);
  }
  ctx.reply.Verbatim("txt", out);
}

}  // namespace ember::server
