#include "server/replication/full_sync.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "persistence/file_sync.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_control.h"

namespace ember::server {
namespace {

// Keys per slice, as a forkless BGSAVE walks.
constexpr size_t kSliceKeys = 1000;
// A target with more unsent output than this pauses the walk (sockets) or gets no more of
// the file for now (disk).
constexpr uint64_t kMaxTargetBacklog = 8u << 20;
constexpr uint64_t kFileChunk = 1u << 20;
// Bytes waiting for the disk beyond which the walk pauses.
constexpr size_t kMaxQueuedBytes = 64u << 20;
constexpr int64_t kRecheckMicros = 1000;

}  // namespace

// Copies the snapshot's bytes to every target still connected.
class FullSync::ConnectionSink : public persistence::ByteSink {
 public:
  explicit ConnectionSink(FullSync& sync) : sync_(sync) {}
  persistence::Status Write(std::string_view data) override {
    for (ClientState* client : sync_.targets_) {
      if (client != nullptr) sync_.state_.wakeups().PostBytes(*client, data);
    }
    return persistence::Status::Ok();
  }

 private:
  FullSync& sync_;
};

FullSync::FullSync(ServerState& state, Target target, int64_t now_ms)
    : state_(state), target_(target) {
  ReplicationState& replication = state.replication();
  const int64_t offset = replication.master_repl_offset();
  const std::string fullresync = fmt::format("+FULLRESYNC {} {}\r\n", replication.replid(), offset);
  for (const std::unique_ptr<ReplicaLink>& link : replication.replicas()) {
    if (link->state != ReplicaSyncState::kWaitSnapshotStart) continue;
    link->state = ReplicaSyncState::kReceivingSnapshot;
    link->sync_offset = offset;
    if (!link->pre_psync) state.wakeups().PostBytes(*link->client, fullresync);
    targets_.push_back(link->client);
  }
  replication.ForgetStreamDb();
  Log(LogLevel::kNotice, "Starting BGSAVE for SYNC with target: {}",
      target == Target::kSockets ? "replicas sockets" : "disk");
  if (target == Target::kSockets) {
    eof_mark_ = NewReplicationId();
    for (ClientState* client : targets_) {
      state.wakeups().PostBytes(*client, "$EOF:" + eof_mark_ + "\r\n");
    }
    sink_ = std::make_unique<ConnectionSink>(*this);
  } else {
    const std::string path = state.DataPath(state.config().dbfilename);
    sink_ = std::make_unique<persistence::BackgroundFileSink>(
        persistence::TempPathFor(path, "temp-", static_cast<long>(::getpid()), ".rdb"), path);
  }
  save_ = std::make_unique<persistence::IncrementalRdbSave>(
      state.keyspace(), sink_.get(), SnapshotWriteOptions(state), now_ms / 1000);
  state.wakeups().Deliver();
}

FullSync::~FullSync() {
  save_.reset();  // abandons an unfinished walk before its sink goes
  if (file_ != nullptr) std::fclose(file_);
}

void FullSync::Drop(const ClientState& client) {
  std::replace(targets_.begin(), targets_.end(), const_cast<ClientState*>(&client),
               static_cast<ClientState*>(nullptr));
  for (FileSend& send : sends_) {
    if (send.client == &client) send.client = nullptr;
  }
}

bool FullSync::TargetsBacklogged() const {
  return std::any_of(targets_.begin(), targets_.end(), [](const ClientState* client) {
    return client != nullptr && client->output_pending > kMaxTargetBacklog;
  });
}

int64_t FullSync::Slice() {
  if (walking_) {
    const bool disk_backlogged =
        target_ == Target::kDisk &&
        static_cast<persistence::BackgroundFileSink&>(*sink_).queued_bytes() > kMaxQueuedBytes;
    if (TargetsBacklogged() || disk_backlogged) return kRecheckMicros;
    const int delay = state_.config().rdb_key_save_delay;
    const bool walked = save_->Step(delay > 0 ? 1 : kSliceKeys);
    state_.wakeups().Deliver();
    if (!walked) return delay;
    FinishWalk();
    if (target_ == Target::kSockets) return -1;
  }
  if (committing_) {
    auto& file_sink = static_cast<persistence::BackgroundFileSink&>(*sink_);
    if (!file_sink.done()) return kRecheckMicros;
    committing_ = false;
    const persistence::Status result = file_sink.result();
    const std::string path = state_.DataPath(state_.config().dbfilename);
    file_ = result.ok() ? std::fopen(path.c_str(), "rb") : nullptr;
    if (file_ == nullptr) {
      Log(LogLevel::kWarning, "BGSAVE for replication failed: {}",
          result.ok() ? "cannot reopen " + path : result.ToString());
      for (ClientState* client : targets_) {
        if (client != nullptr && client->kill) client->kill();
      }
      return -1;
    }
    std::fseek(file_, 0, SEEK_END);
    file_size_ = static_cast<uint64_t>(std::ftell(file_));
    const std::string header = fmt::format("${}\r\n", file_size_);
    for (ClientState* client : targets_) {
      if (client == nullptr) continue;
      state_.wakeups().PostBytes(*client, header);
      if (ReplicaLink* link = state_.replication().FindReplica(*client)) {
        link->state = ReplicaSyncState::kSendingFile;
      }
      sends_.push_back({client});
    }
  }
  return SendFileChunks() ? -1 : kRecheckMicros;
}

void FullSync::FinishWalk() {
  walking_ = false;
  const persistence::Status status = save_->Finish();
  if (target_ == Target::kDisk) {
    auto& file_sink = static_cast<persistence::BackgroundFileSink&>(*sink_);
    if (status.ok()) {
      file_sink.Commit();
    } else {
      file_sink.Abort();
    }
    committing_ = true;
    return;
  }
  const int64_t now_ms = UnixMillis();
  for (ClientState* client : targets_) {
    if (client == nullptr) continue;
    state_.wakeups().PostBytes(*client, eof_mark_);
    if (ReplicaLink* link = state_.replication().FindReplica(*client)) {
      link->state = ReplicaSyncState::kWaitFirstAck;
      link->ack_time_ms = now_ms;
    }
  }
  Log(LogLevel::kNotice, "Streamed RDB transfer with replicas succeeded ({} keys, {} bytes)",
      save_->keys(), save_->bytes());
  state_.wakeups().Deliver();
}

bool FullSync::SendFileChunks() {
  std::string chunk;
  bool all_sent = true;
  const int64_t now_ms = UnixMillis();
  for (FileSend& send : sends_) {
    if (send.client == nullptr) continue;
    while (send.sent < file_size_ && send.client->output_pending < kMaxTargetBacklog) {
      chunk.resize(std::min<uint64_t>(kFileChunk, file_size_ - send.sent));
      const ssize_t n =
          ::pread(fileno(file_), chunk.data(), chunk.size(), static_cast<off_t>(send.sent));
      if (n <= 0) {
        Log(LogLevel::kWarning, "Reading the RDB for a replica failed; closing it");
        if (send.client->kill) send.client->kill();
        send.client = nullptr;
        break;
      }
      state_.wakeups().PostBytes(*send.client, std::string_view(chunk.data(), n));
      send.sent += static_cast<uint64_t>(n);
    }
    if (send.client == nullptr) continue;
    if (send.sent < file_size_) {
      all_sent = false;
      continue;
    }
    if (ReplicaLink* link = state_.replication().FindReplica(*send.client)) {
      state_.replication().PutOnline(*link, state_.wakeups(), now_ms);
      Log(LogLevel::kNotice, "Synchronization with replica {} succeeded", link->Name());
    }
    send.client = nullptr;
  }
  state_.wakeups().Deliver();
  return all_sent;
}

}  // namespace ember::server
