// Replication: whom this server replicates (replicaof, masterauth), how a primary serves
// its replicas (diskless sync, backlog, timeouts, min-replicas-*), and what a replica
// announces of itself to Sentinel. Redis 7.0's names, with the old "slave" names as aliases.
#include <charconv>

#include "server/config/config_setting.h"
#include "server/config/config_values.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

using K = ConfigKind;
using M = ConfigMutability;

std::string ReplicaOfText(const ServerConfig& c) {
  return c.replicaof_host.empty() ? "" : c.replicaof_host + " " + std::to_string(c.replicaof_port);
}

void SetReplicaOf(ServerConfig& c, std::string_view value) {
  const size_t space = value.find(' ');
  if (value.empty() || space == std::string_view::npos) {
    c.replicaof_host.clear();
    c.replicaof_port = 0;
    return;
  }
  std::string_view host = value.substr(0, space);
  std::string_view port = value.substr(space + 1);
  if (host == "no" && (port == "one" || port == "ONE")) {
    c.replicaof_host.clear();
    c.replicaof_port = 0;
    return;
  }
  c.replicaof_host = std::string(host);
  std::from_chars(port.data(), port.data() + port.size(), c.replicaof_port);
}

std::string ValidateReplicaOf(std::string_view value) {
  if (value.empty()) return "";
  const size_t space = value.find(' ');
  if (space == std::string_view::npos || value.find(' ', space + 1) != std::string_view::npos) {
    return "wrong number of arguments";
  }
  std::string_view port = value.substr(space + 1);
  if (value.substr(0, space) == "no" && (port == "one" || port == "ONE")) return "";
  int number = 0;
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (error != std::errc() || end != port.data() + port.size() || number < 0 || number > 65535) {
    return "Invalid master port";
  }
  return "";
}

std::string ResizeBacklog(ServerState& state) {
  if (ReplicationBacklog* backlog = state.replication().backlog()) {
    backlog->Resize(static_cast<size_t>(state.config().repl_backlog_size));
  }
  return "";
}

// clang-format off
const ConfigSetting kRows[] = {
    {.name = "replicaof", .kind = K::kWords, .mutability = M::kImmutable, .omit_when_empty = true,
     .help = "<host> <port>: replicate that server (REPLICAOF changes it at runtime)",
     .get = ReplicaOfText, .set = SetReplicaOf, .validate = ValidateReplicaOf},
    {.name = "slaveof", .kind = K::kWords, .mutability = M::kImmutable, .omit_when_empty = true,
     .alias_of = "replicaof",
     .get = ReplicaOfText, .set = SetReplicaOf, .validate = ValidateReplicaOf},
    {.name = "masterauth", .kind = K::kString, .field = &ServerConfig::masterauth,
     .help = "password this replica authenticates to its primary with"},
    {.name = "masteruser", .kind = K::kString, .field = &ServerConfig::masteruser,
     .help = "user this replica authenticates to its primary as (with masterauth)"},
    {.name = "replica-read-only", .kind = K::kBool, .field = &ServerConfig::replica_read_only,
     .help = "a replica refuses writes from its clients"},
    {.name = "slave-read-only", .kind = K::kBool, .field = &ServerConfig::replica_read_only,
     .alias_of = "replica-read-only"},
    {.name = "replica-serve-stale-data", .kind = K::kBool,
     .field = &ServerConfig::replica_serve_stale_data,
     .help = "a replica whose link is down still answers reads (else -MASTERDOWN)"},
    {.name = "slave-serve-stale-data", .kind = K::kBool,
     .field = &ServerConfig::replica_serve_stale_data, .alias_of = "replica-serve-stale-data"},
    {.name = "repl-diskless-sync", .kind = K::kBool, .field = &ServerConfig::repl_diskless_sync,
     .help = "full syncs stream the snapshot to replicas instead of writing it to disk first"},
    {.name = "repl-diskless-sync-delay", .kind = K::kInteger,
     .field = &ServerConfig::repl_diskless_sync_delay, .min = 0, .max = kConfigIntMax,
     .help = "seconds a diskless sync waits for more replicas to share it"},
    {.name = "repl-diskless-sync-max-replicas", .kind = K::kInteger,
     .field = &ServerConfig::repl_diskless_sync_max_replicas, .min = 0, .max = kConfigIntMax,
     .help = "start a diskless sync before the delay once this many replicas wait (0: never)"},
    {.name = "repl-diskless-load", .kind = K::kEnum, .choices = "disabled on-empty-db swapdb",
     .passive_default = "disabled",
     .help = "accepted for compatibility; a replica always loads through a temporary buffer"},
    {.name = "repl-backlog-size", .kind = K::kMemory, .field = &ServerConfig::repl_backlog_size,
     .min = 1, .max = kConfigLongMax,
     .help = "bytes of stream kept for replicas that reconnect (partial resync)",
     .after_set = ResizeBacklog},
    {.name = "repl-backlog-ttl", .kind = K::kInteger, .field = &ServerConfig::repl_backlog_ttl,
     .min = 0, .max = kConfigIntMax,
     .help = "seconds without replicas after which a primary frees its backlog (0: never)"},
    {.name = "repl-timeout", .kind = K::kInteger, .field = &ServerConfig::repl_timeout,
     .min = 1, .max = kConfigIntMax, .help = "seconds of silence after which a link is dropped"},
    {.name = "repl-ping-replica-period", .kind = K::kInteger,
     .field = &ServerConfig::repl_ping_replica_period, .min = 1, .max = kConfigIntMax,
     .help = "seconds between the PINGs a primary puts in its stream"},
    {.name = "repl-ping-slave-period", .kind = K::kInteger,
     .field = &ServerConfig::repl_ping_replica_period, .min = 1, .max = kConfigIntMax,
     .alias_of = "repl-ping-replica-period"},
    {.name = "repl-disable-tcp-nodelay", .kind = K::kBool, .passive_default = "no",
     .help = "accepted for compatibility; the stream is always sent without delay"},
    {.name = "min-replicas-to-write", .kind = K::kInteger,
     .field = &ServerConfig::min_replicas_to_write, .min = 0, .max = kConfigIntMax,
     .help = "refuse writes with fewer replicas lagging at most min-replicas-max-lag"},
    {.name = "min-slaves-to-write", .kind = K::kInteger,
     .field = &ServerConfig::min_replicas_to_write, .min = 0, .max = kConfigIntMax,
     .alias_of = "min-replicas-to-write"},
    {.name = "min-replicas-max-lag", .kind = K::kInteger,
     .field = &ServerConfig::min_replicas_max_lag, .min = 0, .max = kConfigIntMax,
     .help = "seconds since its last ACK within which a replica counts as good"},
    {.name = "min-slaves-max-lag", .kind = K::kInteger, .field = &ServerConfig::min_replicas_max_lag,
     .min = 0, .max = kConfigIntMax, .alias_of = "min-replicas-max-lag"},
    {.name = "replica-priority", .kind = K::kInteger, .field = &ServerConfig::replica_priority,
     .min = 0, .max = kConfigIntMax,
     .help = "Sentinel promotes the replica with the lowest non-zero priority first"},
    {.name = "slave-priority", .kind = K::kInteger, .field = &ServerConfig::replica_priority,
     .min = 0, .max = kConfigIntMax, .alias_of = "replica-priority"},
    {.name = "replica-announce-ip", .kind = K::kString,
     .field = &ServerConfig::replica_announce_ip,
     .help = "the address a replica reports to its primary (for NAT)"},
    {.name = "slave-announce-ip", .kind = K::kString, .field = &ServerConfig::replica_announce_ip,
     .alias_of = "replica-announce-ip"},
    {.name = "replica-announce-port", .kind = K::kInteger,
     .field = &ServerConfig::replica_announce_port, .min = 0, .max = 65535,
     .help = "the port a replica reports to its primary (0: its own)"},
    {.name = "slave-announce-port", .kind = K::kInteger,
     .field = &ServerConfig::replica_announce_port, .min = 0, .max = 65535,
     .alias_of = "replica-announce-port"},
    {.name = "replica-announced", .kind = K::kBool, .field = &ServerConfig::replica_announced,
     .help = "Sentinel lists this replica (INFO replica_announced)"},
    {.name = "replica-lazy-flush", .kind = K::kBool, .passive_default = "no",
     .help = "accepted for compatibility; a full sync frees the old dataset in place"},
    {.name = "slave-lazy-flush", .kind = K::kBool, .passive_default = "no",
     .alias_of = "replica-lazy-flush"},
    {.name = "replica-ignore-maxmemory", .kind = K::kBool, .passive_default = "yes",
     .help = "accepted for compatibility; a replica evicts nothing, its primary's DELs do"},
    {.name = "slave-ignore-maxmemory", .kind = K::kBool, .passive_default = "yes",
     .alias_of = "replica-ignore-maxmemory"},
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> ReplicationSettings() { return kRows; }

}  // namespace ember::server
