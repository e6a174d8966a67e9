// INFO replication: this server's role, its replicas (or its primary), the replication IDs
// and offsets and the backlog, field for field as Redis 7.0 prints them.
#include <fmt/format.h>

#include <string>

#include "server/command/command_context.h"
#include "server/core/server_state.h"
#include "server/families/server/info_sections.h"

namespace ember::server {
namespace {

int64_t SecondsSince(int64_t now_ms, int64_t then_ms) { return (now_ms - then_ms) / 1000; }

void ReplicaFields(CommandContext& ctx, std::string& out) {
  const ReplicationState& r = ctx.server.replication();
  const ServerConfig& config = ctx.server.config();
  const bool up = r.link_state() == PrimaryLinkState::kConnected;
  const bool transfer = r.link_state() == PrimaryLinkState::kTransfer;
  out += fmt::format("master_host:{}\r\nmaster_port:{}\r\n", r.primary_host(), r.primary_port());
  out += fmt::format("master_link_status:{}\r\n", up ? "up" : "down");
  out +=
      fmt::format("master_last_io_seconds_ago:{}\r\n",
                  r.has_primary_client() ? SecondsSince(ctx.now_ms, r.primary_last_io_ms()) : -1);
  out += fmt::format("master_sync_in_progress:{}\r\n", transfer ? 1 : 0);
  out += fmt::format("slave_read_repl_offset:{}\r\nslave_repl_offset:{}\r\n", r.read_offset(),
                     r.master_repl_offset());
  if (transfer) {
    const double perc = r.transfer_size > 0 ? 100.0 * static_cast<double>(r.transfer_read) /
                                                  static_cast<double>(r.transfer_size)
                                            : 0.0;
    out += fmt::format(
        "master_sync_total_bytes:{}\r\nmaster_sync_read_bytes:{}\r\nmaster_sync_left_bytes:{}"
        "\r\nmaster_sync_perc:{:.2f}\r\nmaster_sync_last_io_seconds_ago:{}\r\n",
        r.transfer_size, r.transfer_read, r.transfer_size - r.transfer_read, perc,
        SecondsSince(ctx.now_ms, r.transfer_last_io_ms));
  }
  if (!up) {
    out += fmt::format(
        "master_link_down_since_seconds:{}\r\n",
        r.link_down_since_ms() != 0 ? SecondsSince(ctx.now_ms, r.link_down_since_ms()) : -1);
  }
  out += fmt::format("slave_priority:{}\r\nslave_read_only:{}\r\nreplica_announced:{}\r\n",
                     config.replica_priority, config.replica_read_only ? 1 : 0,
                     config.replica_announced ? 1 : 0);
}

}  // namespace

void ReplicationSection(CommandContext& ctx, std::string& out) {
  const ReplicationState& replication = ctx.server.replication();
  const ServerConfig& config = ctx.server.config();
  out += fmt::format("# Replication\r\nrole:{}\r\n", replication.is_replica() ? "slave" : "master");
  if (replication.is_replica()) ReplicaFields(ctx, out);
  out += fmt::format("connected_slaves:{}\r\n", replication.replica_count());
  if (config.min_replicas_to_write > 0 && config.min_replicas_max_lag > 0) {
    out += fmt::format("min_slaves_good_slaves:{}\r\n",
                       replication.GoodReplicas(ctx.now_ms, config.min_replicas_max_lag));
  }
  int index = 0;
  for (const std::unique_ptr<ReplicaLink>& link : replication.replicas()) {
    if (link->state == ReplicaSyncState::kHandshake) continue;
    out += fmt::format("slave{}:ip={},port={},state={},offset={},lag={}\r\n", index++, link->Ip(),
                       link->listening_port, SyncStateName(link->state), link->ack_offset,
                       (ctx.now_ms - link->ack_time_ms) / 1000);
  }
  out += "master_failover_state:no-failover\r\n";
  out += fmt::format("master_replid:{}\r\nmaster_replid2:{}\r\n", replication.replid(),
                     replication.replid2());
  out += fmt::format("master_repl_offset:{}\r\nsecond_repl_offset:{}\r\n",
                     replication.master_repl_offset(), replication.second_replid_offset());
  const ReplicationBacklog* backlog = replication.backlog();
  out += fmt::format("repl_backlog_active:{}\r\n", backlog != nullptr ? 1 : 0);
  out += fmt::format("repl_backlog_size:{}\r\n", ctx.server.config().repl_backlog_size);
  out += fmt::format("repl_backlog_first_byte_offset:{}\r\n",
                     backlog != nullptr ? backlog->first_byte_offset() : 0);
  out += fmt::format("repl_backlog_histlen:{}\r\n", backlog != nullptr ? backlog->histlen() : 0);
}

}  // namespace ember::server
