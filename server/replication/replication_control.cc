#include "server/replication/replication_control.h"

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/replication/full_sync.h"

namespace ember::server {
namespace {

bool AllWaitingCanTakeSockets(const ReplicationState& replication, int* waiting,
                              int64_t* oldest_ms) {
  bool all_eof = true;
  for (const std::unique_ptr<ReplicaLink>& link : replication.replicas()) {
    if (link->state != ReplicaSyncState::kWaitSnapshotStart) continue;
    ++*waiting;
    if (*oldest_ms == 0 || link->wait_since_ms < *oldest_ms) *oldest_ms = link->wait_since_ms;
    all_eof = all_eof && link->capa_eof;
  }
  return all_eof;
}

void EverySecond(ServerState& state, int64_t now_ms) {
  ReplicationState& replication = state.replication();
  const ServerConfig& config = state.config();
  if (replication.replica_count() > 0 && config.repl_ping_replica_period > 0 &&
      replication.cron_seconds() % config.repl_ping_replica_period == 0) {
    const std::array<std::string_view, 1> ping = {"PING"};
    replication.Feed(replication.stream_db(), ping, state.wakeups());
  }
  const FullSync* sync = state.persistence().replica_sync.get();
  const bool disk_sync = sync != nullptr && sync->target() == FullSync::Target::kDisk;
  for (const std::unique_ptr<ReplicaLink>& link : replication.replicas()) {
    ClientState& client = *link->client;
    const bool presync = link->state == ReplicaSyncState::kWaitSnapshotStart ||
                         (link->state == ReplicaSyncState::kReceivingSnapshot && disk_sync);
    if (presync) state.wakeups().PostBytes(client, "\n");
    const bool online = link->state == ReplicaSyncState::kOnline;
    if (online && !link->pre_psync && now_ms - link->ack_time_ms > config.repl_timeout * 1000) {
      Log(LogLevel::kWarning, "Disconnecting timedout replica (streaming sync): {}", link->Name());
      if (client.kill) client.kill();
      continue;
    }
    const int64_t hard = config.client_output_buffer_limits.replica.hard_bytes;
    if (hard > 0 && static_cast<int64_t>(link->held_stream.size()) > hard) {
      Log(LogLevel::kWarning,
          "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer "
          "limits.",
          client.id, client.address);
      if (client.kill) client.kill();
    }
  }
  // The backlog's time to live counts from when the last replica left (from now, when none
  // ever came); a replica keeps its backlog: it may be promoted and continue its siblings.
  if (replication.replica_count() > 0) {
    replication.MarkNoReplicasSince(0);
  } else if (replication.no_replicas_since_ms() == 0) {
    replication.MarkNoReplicasSince(now_ms);
  }
  if (replication.replica_count() == 0 && replication.backlog() != nullptr &&
      !replication.is_replica() && config.repl_backlog_ttl > 0 &&
      (now_ms - replication.no_replicas_since_ms()) / 1000 > config.repl_backlog_ttl) {
    replication.ChangeReplicationId();
    replication.ClearReplicationId2();
    replication.FreeBacklog();
    Log(LogLevel::kNotice, "Replication backlog freed after {} seconds without connected replicas.",
        config.repl_backlog_ttl);
  }
  state.wakeups().Deliver();
}

}  // namespace

namespace {

// Redis's expireSlaveKeys: a writable replica's own keys with a TTL go once expired; those
// gone, or without a TTL any more, are forgotten.
void ExpireLocalKeys(ServerState& state, int64_t now_ms) {
  auto& keys = state.replication().local_keys_with_expire();
  for (auto it = keys.begin(); it != keys.end();) {
    storage::Database& db = state.keyspace().db(it->first);
    const storage::Entry* entry = db.FindStored(it->second);
    if (entry != nullptr && entry->has_expire() && db.IsExpired(entry, now_ms)) {
      db.Find(it->second, now_ms, storage::LookupMode::kWrite);  // deletes it
      entry = nullptr;
    }
    it = entry != nullptr && entry->has_expire() ? std::next(it) : keys.erase(it);
  }
}

}  // namespace

void ReplicationCron(ServerState& state, int64_t now_ms) {
  ReplicationState& replication = state.replication();
  if (replication.is_replica() && !replication.local_keys_with_expire().empty() &&
      state.active_expire_enabled()) {
    ExpireLocalKeys(state, now_ms);
    state.wakeups().Deliver();
  }
  if (!replication.SecondPassed(now_ms)) {
    StartPendingFullSyncs(state, now_ms);
    return;
  }
  if (replication.is_replica() && replication.send_ack) replication.send_ack();
  EverySecond(state, now_ms);
  StartPendingFullSyncs(state, now_ms);
}

void StartPendingFullSyncs(ServerState& state, int64_t now_ms) {
  PersistenceState& persistence = state.persistence();
  if (persistence.bgsave_in_progress() || state.aof().rewrite_in_progress()) return;
  int waiting = 0;
  int64_t oldest_ms = 0;
  const bool sockets = AllWaitingCanTakeSockets(state.replication(), &waiting, &oldest_ms) &&
                       state.config().repl_diskless_sync;
  if (waiting == 0) return;
  if (sockets) {
    const ServerConfig& config = state.config();
    const bool enough = config.repl_diskless_sync_max_replicas > 0 &&
                        waiting >= config.repl_diskless_sync_max_replicas;
    if (!enough && now_ms - oldest_ms < config.repl_diskless_sync_delay * 1000) return;
  }
  persistence.replica_sync = std::make_shared<FullSync>(
      state, sockets ? FullSync::Target::kSockets : FullSync::Target::kDisk, now_ms);
  state.ScheduleSnapshotSlices();
}

int64_t RunFullSyncSlice(ServerState& state) {
  PersistenceState& persistence = state.persistence();
  if (persistence.replica_sync == nullptr) return -1;
  const int64_t wait = persistence.replica_sync->Slice();
  if (wait >= 0) return wait;
  persistence.replica_sync.reset();
  return -1;
}

void FollowPrimary(ServerState& state, std::string host, int port, int64_t now_ms) {
  ReplicationState& replication = state.replication();
  for (const auto& [id, client] : state.clients()) {
    state.blocked_clients().FailWith(
        *client,
        "UNBLOCKED force unblock from blocking operation, instance state changed (master -> "
        "replica?)",
        state.wakeups());
  }
  state.wakeups().Deliver();
  replication.set_primary(std::move(host), port);
  SetLogRole('S');
  state.config().replicaof_host = replication.primary_host();
  state.config().replicaof_port = port;
  replication.DisconnectReplicas();
  replication.set_link_state(PrimaryLinkState::kConnect, now_ms);
  state.keyspace().set_expiry_deletes(false);
  Log(LogLevel::kNotice, "Connecting to MASTER {}:{}", replication.primary_host(), port);
  state.RestartPrimaryLink();
}

void StartReplicationAtStartup(ServerState& state) {
  const ServerConfig& config = state.config();
  if (config.replicaof_host.empty()) return;
  ReplicationState& replication = state.replication();
  const PersistenceState& persistence = state.persistence();
  if (persistence.loaded_repl_id.size() == 40 && persistence.loaded_repl_offset >= 0) {
    replication.AdoptPrimaryHistory(persistence.loaded_repl_id, persistence.loaded_repl_offset,
                                    static_cast<size_t>(config.repl_backlog_size));
    replication.primary_stream_db = persistence.loaded_repl_stream_db;
    Log(LogLevel::kNotice, "Cached master replication state from the dump: {}:{}",
        persistence.loaded_repl_id, persistence.loaded_repl_offset);
  } else {
    replication.set_history_valid(false);
  }
  FollowPrimary(state, config.replicaof_host, config.replicaof_port, UnixMillis());
}

void PromoteToPrimary(ServerState& state, int64_t now_ms) {
  ReplicationState& replication = state.replication();
  if (!replication.is_replica()) return;
  replication.set_primary("", 0);
  SetLogRole('M');
  state.config().replicaof_host.clear();
  state.config().replicaof_port = 0;
  state.RestartPrimaryLink();  // ends the link
  replication.ShiftReplicationId();
  replication.DisconnectReplicas();
  replication.ForgetStreamDb();
  replication.set_link_state(PrimaryLinkState::kConnect, now_ms);
  replication.ResetLinkDownSince();
  replication.set_has_primary_client(false);
  replication.MarkNoReplicasSince(now_ms);
  state.keyspace().set_expiry_deletes(true);
  if (replication.backlog() == nullptr) {
    replication.CreateBacklogKeepingId(static_cast<size_t>(state.config().repl_backlog_size));
  }
}

void RequestReplicaAcks(ServerState& state) {
  ReplicationState& replication = state.replication();
  if (replication.replica_count() == 0) return;
  const std::array<std::string_view, 3> getack = {"REPLCONF", "GETACK", "*"};
  replication.Feed(replication.stream_db(), getack, state.wakeups());
}

void ServeReplicaWaiters(ServerState& state) {
  ReplicationState& replication = state.replication();
  if (!replication.has_waiters()) return;
  for (const ReplicationState::Waiter& waiter : replication.TakeSatisfiedWaiters()) {
    ClientState& client = *waiter.client;
    const BlockRequest* request = state.blocked_clients().RequestOf(client);
    if (request == nullptr || request->spec->name != "wait") continue;
    state.blocked_clients().Unblock(client);
    const int64_t acked = replication.ReplicasAcked(waiter.offset);
    state.wakeups().Post(client, [acked](protocol::ReplyWriter& reply) { reply.Integer(acked); });
  }
  state.wakeups().Deliver();
}

}  // namespace ember::server
