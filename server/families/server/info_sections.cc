// INFO's server, clients, memory and stats sections.
#include "server/families/server/info_sections.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "protocol/redis_version.h"
#include "server/command/command_context.h"
#include "server/core/server_metrics.h"
#include "server/core/server_state.h"
#include "storage/value/lazy_free.h"

namespace ember::server {
namespace {

std::string RandomHex(size_t length) {
  std::random_device device;
  std::mt19937_64 rng(device());
  std::string out;
  while (out.size() < length) out += fmt::format("{:016x}", rng());
  out.resize(length);
  return out;
}

std::string OsName() {
  utsname name{};
  if (uname(&name) != 0) return "Linux";
  return fmt::format("{} {} {}", name.sysname, name.release, name.machine);
}

std::string Executable() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.string();
}

std::string Percent(uint64_t part, uint64_t whole) {
  const double p =
      whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  return fmt::format("{:.2f}%", p);
}

// The interpreters' heaps and the cached scripts, by Redis 7.0's field names.
void AppendScriptMemory(ServerState& server, std::string* out) {
  const scripting::ScriptEngine& scripts = server.scripts();
  const uint64_t vm_eval = scripts.lua_memory_bytes();
  const uint64_t scripts_eval = scripts.scripts_memory_bytes();
  const scripting::FunctionEngine& function_engine = server.functions();
  const uint64_t vm_functions = function_engine.lua_memory_bytes();
  const uint64_t functions = function_engine.libraries_memory_bytes();
  *out +=
      fmt::format("used_memory_lua:{}\r\nused_memory_vm_eval:{}\r\nused_memory_lua_human:{}\r\n",
                  vm_eval, vm_eval, HumanBytes(vm_eval));
  *out += fmt::format("used_memory_scripts_eval:{}\r\nnumber_of_cached_scripts:{}\r\n",
                      scripts_eval, scripts.script_count());
  *out += fmt::format("number_of_functions:{}\r\nnumber_of_libraries:{}\r\n",
                      function_engine.libraries().function_count(),
                      function_engine.libraries().library_count());
  *out += fmt::format("used_memory_vm_functions:{}\r\nused_memory_vm_total:{}\r\n", vm_functions,
                      vm_eval + vm_functions);
  *out += fmt::format("used_memory_vm_total_human:{}\r\nused_memory_functions:{}\r\n",
                      HumanBytes(vm_eval + vm_functions), functions);
  *out += fmt::format("used_memory_scripts:{}\r\nused_memory_scripts_human:{}\r\n",
                      scripts_eval + functions, HumanBytes(scripts_eval + functions));
}

}  // namespace

std::string HumanBytes(uint64_t bytes) {
  const double n = static_cast<double>(bytes);
  if (bytes < 1024) return fmt::format("{}B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.2f}K", n / 1024);
  if (bytes < 1024ull * 1024 * 1024) return fmt::format("{:.2f}M", n / (1024 * 1024));
  return fmt::format("{:.2f}G", n / (1024.0 * 1024 * 1024));
}

const std::string& RunId() {
  static const std::string id = RandomHex(40);  // immutable once made
  return id;
}

void ServerSection(CommandContext& ctx, std::string& out) {
  const ServerConfig& config = ctx.server.config();
  const int64_t uptime_s = (ctx.now_ms - ctx.server.start_time_ms()) / 1000;
  out += "# Server\r\n";
  out += fmt::format("redis_version:{}\r\nember_version:{}\r\n", protocol::kCompatibleRedisVersion,
                     EMBER_VERSION);
  out += "redis_git_sha1:00000000\r\nredis_git_dirty:0\r\n";
  out += fmt::format("redis_build_id:{}\r\n", RunId().substr(0, 16));
  out += fmt::format("redis_mode:standalone\r\nos:{}\r\narch_bits:64\r\n", OsName());
  out += "monotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\n";
  out += fmt::format("atomicvar_api:c11-builtin\r\ngcc_version:{}.{}.{}\r\n", __GNUC__,
                     __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
  out += fmt::format("process_id:{}\r\nprocess_supervised:no\r\nrun_id:{}\r\n", getpid(), RunId());
  out += fmt::format("tcp_port:{}\r\nserver_time_usec:{}\r\n", config.port, ctx.now_ms * 1000);
  out += fmt::format("uptime_in_seconds:{}\r\nuptime_in_days:{}\r\n", uptime_s, uptime_s / 86400);
  out += fmt::format("hz:{}\r\nconfigured_hz:{}\r\n", config.hz, config.hz);
  out += fmt::format("lru_clock:{}\r\n", (ctx.now_ms / 1000) & ((1 << 24) - 1));
  out += fmt::format("executable:{}\r\nconfig_file:{}\r\n", Executable(), config.config_file);
  out += "io_threads_active:0\r\n";
}

void ClientsSection(CommandContext& ctx, std::string& out) {
  out += "# Clients\r\n";
  out +=
      fmt::format("connected_clients:{}\r\ncluster_connections:0\r\n", ctx.server.clients().size());
  out += fmt::format("maxclients:{}\r\n", ctx.server.config().maxclients);
  out += "client_recent_max_input_buffer:0\r\nclient_recent_max_output_buffer:0\r\n";
  out += fmt::format("blocked_clients:{}\r\ntracking_clients:{}\r\nclients_in_timeout_table:{}\r\n",
                     ctx.server.blocked_client_count(), ctx.server.tracking().tracking_clients(),
                     ctx.server.blocked_clients().with_deadline_count());
}

void MemorySection(CommandContext& ctx, std::string& out) {
  const MemoryMetrics m = CollectMemory(ctx.server);
  const ServerConfig& config = ctx.server.config();
  const uint64_t total_system =
      static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  out += "# Memory\r\n";
  out += fmt::format("used_memory:{}\r\nused_memory_human:{}\r\n", m.used, HumanBytes(m.used));
  out +=
      fmt::format("used_memory_rss:{}\r\nused_memory_rss_human:{}\r\n", m.rss, HumanBytes(m.rss));
  out += fmt::format("used_memory_peak:{}\r\nused_memory_peak_human:{}\r\n", m.peak,
                     HumanBytes(m.peak));
  out += fmt::format("used_memory_peak_perc:{}\r\n", Percent(m.used, m.peak));
  out +=
      fmt::format("used_memory_overhead:{}\r\nused_memory_startup:{}\r\n", m.overhead, m.startup);
  out += fmt::format("used_memory_dataset:{}\r\nused_memory_dataset_perc:{}\r\n", m.dataset,
                     Percent(m.dataset, m.used > m.startup ? m.used - m.startup : 0));
  out += fmt::format("allocator_allocated:{}\r\nallocator_active:{}\r\nallocator_resident:{}\r\n",
                     m.used, m.used, m.rss);
  out += fmt::format("total_system_memory:{}\r\ntotal_system_memory_human:{}\r\n", total_system,
                     HumanBytes(total_system));
  AppendScriptMemory(ctx.server, &out);
  out +=
      fmt::format("maxmemory:{}\r\nmaxmemory_human:{}\r\nmaxmemory_policy:{}\r\n", config.maxmemory,
                  HumanBytes(static_cast<uint64_t>(config.maxmemory)), config.maxmemory_policy);
  const double frag = m.used == 0 ? 0.0 : static_cast<double>(m.rss) / static_cast<double>(m.used);
  out += "allocator_frag_ratio:1.00\r\nallocator_frag_bytes:0\r\n";
  out += fmt::format("allocator_rss_ratio:{:.2f}\r\nallocator_rss_bytes:{}\r\n", frag,
                     static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.used));
  out += "rss_overhead_ratio:1.00\r\nrss_overhead_bytes:0\r\n";
  out += fmt::format("mem_fragmentation_ratio:{:.2f}\r\nmem_fragmentation_bytes:{}\r\n", frag,
                     static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.used));
  out += "mem_not_counted_for_evict:0\r\nmem_replication_backlog:0\r\n";
  out += "mem_total_replication_buffers:0\r\nmem_clients_slaves:0\r\nmem_clients_normal:0\r\n";
  out += fmt::format("mem_cluster_links:0\r\nmem_aof_buffer:{}\r\nmem_allocator:libc\r\n",
                     ctx.server.aof().log.buffered_bytes());
  const storage::LazyFreeStats lazy = storage::GetLazyFreeStats();
  out += fmt::format(
      "active_defrag_running:0\r\nlazyfree_pending_objects:{}\r\nlazyfreed_objects:{}\r\n",
      lazy.pending, lazy.freed);
}

void StatsSection(CommandContext& ctx, std::string& out) {
  const ServerStats& s = ctx.server.stats();
  CommandStats& cs = ctx.server.command_stats();
  const storage::KeyspaceStats& k = ctx.keyspace().stats();
  out += "# Stats\r\n";
  out += fmt::format("total_connections_received:{}\r\n", s.total_connections_received);
  out += fmt::format("total_commands_processed:{}\r\n", s.total_commands_processed);
  out += fmt::format("instantaneous_ops_per_sec:{:.0f}\r\n", cs.ops_rate().PerSecond());
  out += fmt::format("total_net_input_bytes:{}\r\ntotal_net_output_bytes:{}\r\n",
                     s.total_net_input_bytes, s.total_net_output_bytes);
  out += "total_net_repl_input_bytes:0\r\ntotal_net_repl_output_bytes:0\r\n";
  out += fmt::format("instantaneous_input_kbps:{:.2f}\r\ninstantaneous_output_kbps:{:.2f}\r\n",
                     cs.input_rate().PerSecond() / 1024, cs.output_rate().PerSecond() / 1024);
  out += "instantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\n";
  out += fmt::format("rejected_connections:{}\r\n", s.rejected_connections);
  const ReplicationStats& sync = ctx.server.replication().stats();
  out += fmt::format("sync_full:{}\r\nsync_partial_ok:{}\r\nsync_partial_err:{}\r\n",
                     sync.sync_full, sync.sync_partial_ok, sync.sync_partial_err);
  out += fmt::format("expired_keys:{}\r\nexpired_stale_perc:0.00\r\n", k.expired_keys);
  out += "expired_time_cap_reached_count:0\r\nexpire_cycle_cpu_milliseconds:0\r\n";
  out += fmt::format("evicted_keys:{}\r\nevicted_clients:0\r\n", k.evicted_keys);
  out += "total_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\n";
  out +=
      fmt::format("keyspace_hits:{}\r\nkeyspace_misses:{}\r\n", k.keyspace_hits, k.keyspace_misses);
  const PubSubRegistry& pubsub = ctx.server.pubsub();
  out += fmt::format("pubsub_channels:{}\r\npubsub_patterns:{}\r\npubsubshard_channels:{}\r\n",
                     pubsub.channel_count(ChannelKind::kGlobal), pubsub.pattern_count(),
                     pubsub.channel_count(ChannelKind::kShard));
  out += "latest_fork_usec:0\r\ntotal_forks:0\r\nmigrate_cached_sockets:0\r\n";
  out += "slave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\nactive_defrag_misses:0\r\n";
  out += "active_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\n";
  out += "total_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\n";
  const TrackingRegistry& tracking = ctx.server.tracking();
  out += fmt::format(
      "tracking_total_keys:{}\r\ntracking_total_items:{}\r\ntracking_total_prefixes:{}\r\n",
      tracking.total_keys(), tracking.total_items(), tracking.total_prefixes());
  out += fmt::format("unexpected_error_replies:{}\r\ntotal_error_replies:{}\r\n",
                     s.unexpected_error_replies, cs.total_error_replies());
  out += "dump_payload_sanitizations:0\r\n";
  out += fmt::format("total_reads_processed:{}\r\ntotal_writes_processed:{}\r\n",
                     s.total_commands_processed, s.total_commands_processed);
  out += "io_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\n";
  out += "reply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\n";
}

}  // namespace ember::server
