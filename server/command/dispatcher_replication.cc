// The dispatcher's replication concerns: the gates Redis's processCommand applies for
// replication (-READONLY, -NOREPLICAS, -MASTERDOWN) and, on a writable replica, noting the
// keys its own clients gave a TTL (the primary will never expire them).
#include "server/command/command_keys.h"
#include "server/command/command_rejection.h"
#include "server/command/dispatcher.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"

namespace ember::server {

bool Dispatcher::RefusedByReplication(protocol::ReplyWriter& reply, ClientState& client,
                                      const CommandSpec* spec,
                                      std::span<const std::string_view> args, int64_t now_ms) {
  const ReplicationState& replication = server_.replication();
  const ServerConfig& config = server_.config();
  if (client.obeys_log) return false;
  const bool replica = replication.is_replica();
  const bool check_writes =
      replica ? config.replica_read_only
              : config.min_replicas_to_write > 0 && config.min_replicas_max_lag > 0;
  const auto writes = [&] {
    return (spec->FlagsForCall(args, server_) & kWrite) != 0 ||
           (spec->name == "exec" && client.transaction.QueuedWrites());
  };
  if (check_writes && writes()) {
    if (replica) {
      RejectCommand(server_, client, reply, spec, kErrReadOnlyReplica);
      return true;
    }
    if (replication.GoodReplicas(now_ms, config.min_replicas_max_lag) <
        config.min_replicas_to_write) {
      RejectCommand(server_, client, reply, spec, kErrNoReplicas);
      return true;
    }
  }
  if (replica && !config.replica_serve_stale_data &&
      replication.link_state() != PrimaryLinkState::kConnected && !spec->has_flag(kStale)) {
    RejectCommand(server_, client, reply, spec, kErrMasterDown);
    return true;
  }
  return false;
}

// A writable replica's own writes that left a TTL: the cron deletes those keys once expired
// (expireSlaveKeys), since the primary knows nothing of them.
void Dispatcher::RememberLocalExpires(const CommandSpec& spec,
                                      std::span<const std::string_view> args,
                                      const ClientState& client) {
  std::vector<size_t> positions;
  KeyPositionsOf(spec, table_.FindDocs(spec.name), args, &positions);
  storage::Database& db = server_.keyspace().db(client.db_index);
  for (size_t pos : positions) {
    const storage::Entry* entry = db.FindStored(args[pos]);
    if (entry != nullptr && entry->has_expire()) {
      server_.replication().RememberLocalKeyWithExpire(client.db_index, args[pos]);
    }
  }
}

}  // namespace ember::server
