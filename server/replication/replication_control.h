// Replication from the primary's side, beyond the stream itself (replication_state.h):
// starting the snapshot replicas wait for, the once-a-second duties (PING in the stream,
// newlines to replicas still waiting, dropping replicas that went silent, releasing an
// unused backlog), and answering WAIT.
//
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <string>

namespace ember::server {

class ServerState;

// Runs every cron tick; the once-a-second duties run when a second has passed.
void ReplicationCron(ServerState& state, int64_t now_ms);

// Starts a FullSync (full_sync.h) for the replicas waiting for one, unless a snapshot is
// already being made or the diskless delay (repl-diskless-sync-delay, cut short by
// repl-diskless-sync-max-replicas) has not passed.
void StartPendingFullSyncs(ServerState& state, int64_t now_ms);

// One slice of the running FullSync, ending it when done. As RunSnapshotSlice: the
// microseconds to wait, or -1 when no FullSync runs any more.
int64_t RunFullSyncSlice(ServerState& state);

// Asks every replica for an acknowledgement (REPLCONF GETACK * in the stream).
void RequestReplicaAcks(ServerState& state);

// Replies to the WAIT clients whose replicas have acknowledged enough.
void ServeReplicaWaiters(ServerState& state);

// REPLICAOF host port: replicate that server from now on (Redis's replicationSetMaster).
// Clients blocked in commands are released with -UNBLOCKED, replicas of this server are
// dropped (they reconnect and continue), and the link (re)starts; the next PSYNC offers this
// server's own history, so a former primary continues where it was when it can.
void FollowPrimary(ServerState& state, std::string host, int port, int64_t now_ms);
// At startup, after the dataset loaded: with replicaof configured, follow that primary,
// offering the history (repl-id, repl-offset) the loaded dump named, if any.
void StartReplicationAtStartup(ServerState& state);
// REPLICAOF NO ONE: stop replicating and become a primary (Redis's replicationUnsetMaster):
// the inherited history stays valid as ID2 up to the current offset, so the former
// siblings can continue from this server.
void PromoteToPrimary(ServerState& state, int64_t now_ms);

}  // namespace ember::server
