// ReplicationState: this server's place in a replication setup — its replication IDs and
// offset, the backlog, the connected replicas and the stream they are fed, the clients
// waiting in WAIT, and, when it replicates another server, the state of that link — as
// Redis 7.0's PSYNC2 defines them (replication.c).
//
// The stream: every command the write path propagates to replicas (ServerState::Emit) is
// encoded as a RESP array, preceded by SELECT when its database differs from the previous
// command's, appended to the backlog (advancing master_repl_offset) and sent to every online
// replica. A replica still taking its snapshot gets the stream produced after the
// snapshot's point held for it (ReplicaLink::held_stream). With neither a backlog nor a
// replica, nothing is encoded and the offset stays where it is, as in Redis.
//
// As a replica (REPLICAOF), this server proxies its primary's stream byte for byte to its
// own backlog and sub-replicas (FeedBytes), so all of them share the primary's replication
// ID and offsets; its own write path feeds nothing (Feed returns at once).
//
// Threading: engine thread only. Owned by ServerState.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/core/client_state.h"
#include "server/core/wake_queue.h"
#include "server/replication/replica_link.h"
#include "server/replication/replication_backlog.h"

namespace ember::server {

// Where a replica's link to its primary stands (Redis's repl_state, as ROLE names it).
enum class PrimaryLinkState : uint8_t {
  kConnect,     // to connect ("connect")
  kConnecting,  // TCP connect in progress ("connecting")
  kHandshake,   // PING, AUTH, REPLCONF, PSYNC ("handshake")
  kTransfer,    // receiving the snapshot ("sync")
  kConnected,   // applying the stream ("connected")
};
const char* PrimaryLinkStateName(PrimaryLinkState state);

struct ReplicationStats {
  uint64_t sync_full = 0;
  uint64_t sync_partial_ok = 0;
  uint64_t sync_partial_err = 0;
};

class ReplicationState {
 public:
  ReplicationState();
  ReplicationState(const ReplicationState&) = delete;
  ReplicationState& operator=(const ReplicationState&) = delete;

  // Replication IDs (40 hex digits) and offsets, as INFO replication shows them.
  const std::string& replid() const { return replid_; }
  const std::string& replid2() const { return replid2_; }
  int64_t second_replid_offset() const { return second_replid_offset_; }
  int64_t master_repl_offset() const { return master_repl_offset_; }
  // A new history: a fresh ID (the backlog's creation, its release).
  void ChangeReplicationId();
  void ClearReplicationId2();
  // A replica promoted (REPLICAOF NO ONE): the old history stays valid up to the current
  // offset as ID2, so its former siblings can continue from it; a new ID starts.
  void ShiftReplicationId();
  // After a full sync from a primary: its history, with a fresh backlog.
  void AdoptPrimaryHistory(std::string replid, int64_t offset, size_t backlog_capacity);
  // "+CONTINUE <replid>" with an ID other than ours: the primary was promoted since.
  void ContinueWithNewId(std::string replid);

  // The primary this server replicates (REPLICAOF); an empty host when it is a primary.
  bool is_replica() const { return !primary_host_.empty(); }
  const std::string& primary_host() const { return primary_host_; }
  int primary_port() const { return primary_port_; }
  void set_primary(std::string host, int port) {
    primary_host_ = std::move(host);
    primary_port_ = port;
  }
  PrimaryLinkState link_state() const { return link_state_; }
  void set_link_state(PrimaryLinkState state, int64_t now_ms);
  int64_t link_down_since_ms() const { return link_down_since_ms_; }
  void ResetLinkDownSince() { link_down_since_ms_ = 0; }
  // Whether a primary link exists (past the PSYNC reply), and when it last sent anything.
  bool has_primary_client() const { return has_primary_client_; }
  void set_has_primary_client(bool has) { has_primary_client_ = has; }
  int64_t primary_last_io_ms() const { return primary_last_io_ms_; }
  void set_primary_last_io_ms(int64_t ms) { primary_last_io_ms_ = ms; }
  // Stream bytes read from the primary (slave_read_repl_offset); those applied are
  // master_repl_offset.
  int64_t read_offset() const { return read_offset_; }
  void set_read_offset(int64_t offset) { read_offset_ = offset; }
  // The database the primary's stream has selected (its link's client's), kept across
  // reconnections and in the dump (repl-stream-db): a partial resync sends no SELECT.
  int primary_stream_db = 0;
  // The snapshot being received: bytes expected (0: unknown, EOF-marked) and read.
  int64_t transfer_size = 0;
  int64_t transfer_read = 0;
  int64_t transfer_last_io_ms = 0;
  // Whether the dataset is the history replid/master_repl_offset name, so a PSYNC may offer
  // them: not after a replica's failed load, nor at a replica's start without a dump that
  // names its history.
  bool history_valid() const { return history_valid_; }
  void set_history_valid(bool valid) { history_valid_ = valid; }
  // Keys a writable replica's own clients gave a TTL (Redis's slaveKeysWithExpire): the
  // primary will never send their DEL, so the cron deletes them once expired.
  void RememberLocalKeyWithExpire(int db, std::string_view key) {
    local_keys_with_expire_.emplace(db, std::string(key));
  }
  std::set<std::pair<int, std::string>>& local_keys_with_expire() {
    return local_keys_with_expire_;
  }
  // Sends REPLCONF ACK to the primary; set by the primary link while it is connected.
  std::function<void()> send_ack;
  // Drops every replica connection (their history changed: they must sync again).
  void DisconnectReplicas();

  // The backlog, null until the first replica arrives (or after repl-backlog-ttl alone).
  ReplicationBacklog* backlog() { return backlog_.get(); }
  const ReplicationBacklog* backlog() const { return backlog_.get(); }
  // Creates the backlog with a new history, as Redis does when it creates one from scratch.
  void CreateBacklog(size_t capacity);
  void FreeBacklog() { backlog_.reset(); }
  // A backlog that continues the current history (a promoted replica that had none).
  void CreateBacklogKeepingId(size_t capacity) {
    backlog_ = std::make_unique<ReplicationBacklog>(capacity, master_repl_offset_ + 1);
  }
  void MarkNoReplicasSince(int64_t now_ms) { no_replicas_since_ms_ = now_ms; }

  // The write path's hand-off: one propagated command for database `db`.
  void Feed(int db, std::span<const std::string_view> argv, WakeQueue& wakeups);
  // Bytes of stream (encoded commands) to the backlog and every replica.
  void FeedBytes(std::string_view bytes, WakeQueue& wakeups);
  // The next command fed is preceded by SELECT (a snapshot began: replicas that load it
  // know no selected database).
  void ForgetStreamDb() { stream_db_ = -1; }
  int stream_db() const { return stream_db_; }

  // Replicas, in the order they connected, and connections that announced themselves with
  // REPLCONF but have not asked for a sync yet (kHandshake). LinkFor creates the link.
  ReplicaLink& LinkFor(ClientState& client, int64_t now_ms);
  ReplicaLink* FindReplica(const ClientState& client);
  // Links past the handshake (Redis's server.slaves).
  size_t replica_count() const;
  const std::vector<std::unique_ptr<ReplicaLink>>& replicas() const { return replicas_; }
  // Drops whatever refers to `client` (a replica link, a WAIT); called on disconnect.
  void ForgetClient(ClientState& client, int64_t now_ms);
  // When the last replica left (repl-backlog-ttl counts from there).
  int64_t no_replicas_since_ms() const { return no_replicas_since_ms_; }
  // Replicas online whose last ACK is at most `max_lag_seconds` old (min-replicas-max-lag).
  int64_t GoodReplicas(int64_t now_ms, int64_t max_lag_seconds) const;
  // Replicas that acknowledged at least `offset` (WAIT).
  int64_t ReplicasAcked(int64_t offset) const;
  // Puts a replica that got its whole snapshot online: its held stream goes out.
  void PutOnline(ReplicaLink& link, WakeQueue& wakeups, int64_t now_ms);

  // Clients blocked in WAIT until `count` replicas acknowledged `offset`.
  struct Waiter {
    ClientState* client;
    int64_t offset;
    int64_t count;
  };
  void AddWaiter(Waiter waiter) { waiters_.push_back(waiter); }
  bool has_waiters() const { return !waiters_.empty(); }
  // Removes and returns the waiters whose condition holds now, in the order they blocked.
  std::vector<Waiter> TakeSatisfiedWaiters();
  // Removes `client`'s wait (it timed out, or was unblocked).
  void RemoveWaiter(const ClientState& client);

  // The replication cron's clock: true once a second (and on the first call), counting the
  // seconds for repl-ping-replica-period.
  bool SecondPassed(int64_t now_ms) {
    if (last_second_ms_ != 0 && now_ms - last_second_ms_ < 1000) return false;
    if (last_second_ms_ != 0) ++cron_seconds_;
    last_second_ms_ = now_ms;
    return true;
  }
  int64_t cron_seconds() const { return cron_seconds_; }

  ReplicationStats& stats() { return stats_; }
  const ReplicationStats& stats() const { return stats_; }

 private:
  std::string replid_;
  std::string replid2_;
  int64_t second_replid_offset_ = -1;
  int64_t master_repl_offset_ = 0;
  std::unique_ptr<ReplicationBacklog> backlog_;
  int stream_db_ = -1;
  std::string encoded_;  // reused encoding buffer
  std::string primary_host_;
  int primary_port_ = 0;
  PrimaryLinkState link_state_ = PrimaryLinkState::kConnect;
  int64_t link_down_since_ms_ = 0;
  bool has_primary_client_ = false;
  int64_t primary_last_io_ms_ = 0;
  int64_t read_offset_ = 0;
  bool history_valid_ = true;
  std::set<std::pair<int, std::string>> local_keys_with_expire_;
  std::vector<std::unique_ptr<ReplicaLink>> replicas_;
  int64_t no_replicas_since_ms_ = 0;
  std::vector<Waiter> waiters_;
  int64_t last_second_ms_ = 0;
  int64_t cron_seconds_ = 0;
  ReplicationStats stats_;
};

// 40 random hex digits.
std::string NewReplicationId();

}  // namespace ember::server
