// FullSync: one point-in-time snapshot for every replica waiting for a full
// resynchronization, made by the forkless walk (persistence/rdb_incremental_save.h) in
// slices on the engine thread, as Redis 7.0 does it with a child:
// - At the start each replica gets "+FULLRESYNC <replid> <offset>" (not one that came with
//   SYNC), the offset being master_repl_offset at the snapshot's point; the stream produced
//   from then on is held for it (ReplicaLink::held_stream).
// - Diskless (repl-diskless-sync, replicas with capa eof): the RDB goes straight to the
//   replicas' connections as "$EOF:<40 random bytes>\r\n<rdb><the same 40 bytes>". Such a
//   replica cannot tell the stream from the RDB's end by itself, so its stream starts at its
//   first REPLCONF ACK (ReplicationState::PutOnline).
// - Disk-backed: the RDB is written to dir/dbfilename as a BGSAVE writes it (temporary file,
//   fsync, rename), then sent as "$<length>\r\n<rdb>" to each replica, followed by its stream.
// Memory: a slice runs only while every target's unsent output stays under a bound, so a
// slow replica slows the walk instead of growing buffers; changed keys are still captured
// first.
//
// Threading: engine thread only (the disk writer has its own thread).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "persistence/background_file_sink.h"
#include "persistence/rdb_incremental_save.h"
#include "server/replication/replica_link.h"

namespace ember::server {

class ServerState;

class FullSync {
 public:
  enum class Target { kSockets, kDisk };
  // Begins the snapshot for every replica in kWaitSnapshotStart.
  FullSync(ServerState& state, Target target, int64_t now_ms);
  ~FullSync();
  FullSync(const FullSync&) = delete;
  FullSync& operator=(const FullSync&) = delete;

  // Runs one slice. Returns the microseconds to wait before the next one (0: let the loop's
  // other handlers run first), or -1 once every target has its snapshot (or is gone).
  int64_t Slice();
  // A target disconnected: nothing more is sent to it.
  void Drop(const ClientState& client);
  Target target() const { return target_; }
  size_t targets() const { return targets_.size(); }

 private:
  class ConnectionSink;
  struct FileSend {
    ClientState* client;
    uint64_t sent = 0;  // bytes of the file posted so far
  };
  // The walk is over: ends the socket transfer, or starts sending the file.
  void FinishWalk();
  // Posts the next chunk of the file to each target with room; true when all got it all.
  bool SendFileChunks();
  bool TargetsBacklogged() const;
  // Forgets the targets and puts each still connected online.
  void Complete();

  ServerState& state_;
  const Target target_;
  std::vector<ClientState*> targets_;  // null once dropped
  std::string eof_mark_;
  std::unique_ptr<persistence::ByteSink> sink_;
  std::unique_ptr<persistence::IncrementalRdbSave> save_;
  bool walking_ = true;
  bool committing_ = false;
  std::FILE* file_ = nullptr;
  uint64_t file_size_ = 0;
  std::vector<FileSend> sends_;
};

}  // namespace ember::server
