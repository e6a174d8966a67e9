// ReplicaLink: what a primary knows of one connected replica (Redis's CLIENT_SLAVE state):
// where it stands in its synchronization, what it announced, and how far it acknowledged
// the stream. Owned by ReplicationState, keyed by the replica's connection.
#pragma once

#include <cstdint>
#include <string>

#include "server/core/client_state.h"

namespace ember::server {

enum class ReplicaSyncState : uint8_t {
  kHandshake,          // sent REPLCONF, not yet PSYNC: not a replica yet
  kWaitSnapshotStart,  // asked for a full sync; waits for the snapshot to begin
  kReceivingSnapshot,  // the snapshot is being made (and streamed, when diskless)
  kSendingFile,        // the snapshot file is being sent (disk-backed sync)
  kWaitFirstAck,       // got a snapshot ended by an EOF mark; streams after its first ACK
  kOnline,             // receives the stream as it is produced
};

struct ReplicaLink {
  ClientState* client = nullptr;
  ReplicaSyncState state = ReplicaSyncState::kHandshake;
  // REPLCONF listening-port / ip-address (0 / "": unknown, the connection's address then).
  int64_t listening_port = 0;
  std::string announced_ip;
  bool capa_eof = false;      // can take a snapshot of unknown length, ended by a mark
  bool capa_psync2 = false;   // understands "+CONTINUE <replid>"
  bool pre_psync = false;     // came with SYNC: no +FULLRESYNC line, no ACKs
  bool rdb_only = false;      // REPLCONF rdb-only 1: closes after the snapshot
  int64_t sync_offset = 0;    // master_repl_offset the snapshot stands for
  int64_t ack_offset = 0;     // REPLCONF ACK: stream bytes it has processed
  int64_t ack_time_ms = 0;    // when it last acknowledged (or came online)
  int64_t wait_since_ms = 0;  // when it asked for a full sync
  // Stream produced after the snapshot's point, sent once the snapshot is through.
  // Counted against the replica class of client-output-buffer-limit.
  std::string held_stream;

  // "ip:port" as INFO and the logs name it.
  std::string Ip() const;
  std::string Name() const;
};

// Redis's state names in INFO replication.
const char* SyncStateName(ReplicaSyncState state);

}  // namespace ember::server
