#include "server/replication/replication_state.h"

#include <algorithm>
#include <random>

#include "persistence/aof_base.h"

namespace ember::server {

std::string NewReplicationId() {
  static std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(40, '0');
  for (char& c : id) c = kHex[generator() & 15];
  return id;
}

ReplicationState::ReplicationState() : replid_(NewReplicationId()) { ClearReplicationId2(); }

void ReplicationState::ChangeReplicationId() { replid_ = NewReplicationId(); }

void ReplicationState::ClearReplicationId2() {
  replid2_.assign(40, '0');
  second_replid_offset_ = -1;
}

void ReplicationState::CreateBacklog(size_t capacity) {
  ChangeReplicationId();
  ClearReplicationId2();
  backlog_ = std::make_unique<ReplicationBacklog>(capacity, master_repl_offset_ + 1);
}

void ReplicationState::ShiftReplicationId() {
  replid2_ = replid_;
  second_replid_offset_ = master_repl_offset_ + 1;
  ChangeReplicationId();
}

void ReplicationState::AdoptPrimaryHistory(std::string replid, int64_t offset,
                                           size_t backlog_capacity) {
  replid_ = std::move(replid);
  ClearReplicationId2();
  master_repl_offset_ = offset;
  read_offset_ = offset;
  backlog_ = std::make_unique<ReplicationBacklog>(backlog_capacity, offset + 1);
}

void ReplicationState::ContinueWithNewId(std::string replid) {
  replid2_ = replid_;
  second_replid_offset_ = master_repl_offset_ + 1;
  replid_ = std::move(replid);
}

void ReplicationState::set_link_state(PrimaryLinkState state, int64_t now_ms) {
  // Down since the link was lost; 0 (INFO's -1) while it never was up.
  if (state == PrimaryLinkState::kConnected) {
    link_down_since_ms_ = 0;
  } else if (link_state_ == PrimaryLinkState::kConnected) {
    link_down_since_ms_ = now_ms;
  }
  link_state_ = state;
}

void ReplicationState::DisconnectReplicas() {
  for (const std::unique_ptr<ReplicaLink>& link : replicas_) {
    if (link->state != ReplicaSyncState::kHandshake && link->client->kill) link->client->kill();
  }
}

const char* PrimaryLinkStateName(PrimaryLinkState state) {
  switch (state) {
    case PrimaryLinkState::kConnect:
      return "connect";
    case PrimaryLinkState::kConnecting:
      return "connecting";
    case PrimaryLinkState::kHandshake:
      return "handshake";
    case PrimaryLinkState::kTransfer:
      return "sync";
    case PrimaryLinkState::kConnected:
      return "connected";
  }
  return "connect";
}

void ReplicationState::Feed(int db, std::span<const std::string_view> argv, WakeQueue& wakeups) {
  if (is_replica()) return;  // a replica proxies its primary's stream instead
  if (backlog_ == nullptr && replicas_.empty()) return;
  encoded_.clear();
  if (db != stream_db_ && db >= 0) {
    const std::string index = std::to_string(db);
    const std::string_view select[] = {"SELECT", index};
    persistence::AppendAofCommand(&encoded_, select);
    stream_db_ = db;
  }
  persistence::AppendAofCommand(&encoded_, argv);
  FeedBytes(encoded_, wakeups);
}

void ReplicationState::FeedBytes(std::string_view bytes, WakeQueue& wakeups) {
  if (backlog_ != nullptr) backlog_->Append(bytes);
  master_repl_offset_ += static_cast<int64_t>(bytes.size());
  for (const std::unique_ptr<ReplicaLink>& link : replicas_) {
    switch (link->state) {
      case ReplicaSyncState::kHandshake:
      case ReplicaSyncState::kWaitSnapshotStart:
        break;  // the snapshot it will get covers this
      case ReplicaSyncState::kReceivingSnapshot:
      case ReplicaSyncState::kSendingFile:
      case ReplicaSyncState::kWaitFirstAck:
        if (!link->rdb_only) link->held_stream.append(bytes);
        break;
      case ReplicaSyncState::kOnline:
        wakeups.PostBytes(*link->client, bytes);
        break;
    }
  }
}

ReplicaLink& ReplicationState::LinkFor(ClientState& client, int64_t now_ms) {
  if (ReplicaLink* link = FindReplica(client)) return *link;
  auto link = std::make_unique<ReplicaLink>();
  link->client = &client;
  link->ack_time_ms = now_ms;
  link->wait_since_ms = now_ms;
  replicas_.push_back(std::move(link));
  return *replicas_.back();
}

size_t ReplicationState::replica_count() const {
  return static_cast<size_t>(
      std::count_if(replicas_.begin(), replicas_.end(), [](const std::unique_ptr<ReplicaLink>& l) {
        return l->state != ReplicaSyncState::kHandshake;
      }));
}

ReplicaLink* ReplicationState::FindReplica(const ClientState& client) {
  for (const std::unique_ptr<ReplicaLink>& link : replicas_) {
    if (link->client == &client) return link.get();
  }
  return nullptr;
}

void ReplicationState::ForgetClient(ClientState& client, int64_t now_ms) {
  RemoveWaiter(client);
  const size_t erased = std::erase_if(
      replicas_, [&](const std::unique_ptr<ReplicaLink>& link) { return link->client == &client; });
  if (erased > 0 && client.is_replica && replica_count() == 0) no_replicas_since_ms_ = now_ms;
  client.is_replica = false;
}

int64_t ReplicationState::GoodReplicas(int64_t now_ms, int64_t max_lag_seconds) const {
  int64_t good = 0;
  for (const std::unique_ptr<ReplicaLink>& link : replicas_) {
    const bool online =
        link->state == ReplicaSyncState::kOnline || link->state == ReplicaSyncState::kWaitFirstAck;
    if (online && (now_ms - link->ack_time_ms) / 1000 <= max_lag_seconds) ++good;
  }
  return good;
}

int64_t ReplicationState::ReplicasAcked(int64_t offset) const {
  int64_t acked = 0;
  for (const std::unique_ptr<ReplicaLink>& link : replicas_) {
    if (link->state == ReplicaSyncState::kOnline && link->ack_offset >= offset) ++acked;
  }
  return acked;
}

void ReplicationState::PutOnline(ReplicaLink& link, WakeQueue& wakeups, int64_t now_ms) {
  link.state = ReplicaSyncState::kOnline;
  link.ack_time_ms = now_ms;
  if (!link.held_stream.empty()) wakeups.PostBytes(*link.client, link.held_stream);
  std::string().swap(link.held_stream);
}

std::vector<ReplicationState::Waiter> ReplicationState::TakeSatisfiedWaiters() {
  std::vector<Waiter> satisfied;
  std::erase_if(waiters_, [&](const Waiter& waiter) {
    if (ReplicasAcked(waiter.offset) < waiter.count) return false;
    satisfied.push_back(waiter);
    return true;
  });
  return satisfied;
}

void ReplicationState::RemoveWaiter(const ClientState& client) {
  std::erase_if(waiters_, [&](const Waiter& waiter) { return waiter.client == &client; });
}

}  // namespace ember::server
