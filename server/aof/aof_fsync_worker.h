// AofFsyncWorker: the background thread that fsyncs the append-only file under
// `appendfsync everysec`, so a slow disk delays durability by a second or two instead of
// stalling every client (Redis's bio fsync job).
//
// Threading: Request/busy/WaitIdle/last_error on the engine thread; the worker thread only
// calls fdatasync on the descriptor it was handed. The engine must WaitIdle() before it
// closes a descriptor it requested an fsync of. The thread starts with the first request,
// so engines that never use it (tests, AOF off) run none.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ember::server {

class AofFsyncWorker {
 public:
  AofFsyncWorker() = default;
  AofFsyncWorker(const AofFsyncWorker&) = delete;
  AofFsyncWorker& operator=(const AofFsyncWorker&) = delete;
  ~AofFsyncWorker();

  // Queues an fsync of `fd`. Requests made while one is pending are merged into it.
  void Request(int fd);
  // Whether an fsync is queued or running (aof_pending_bio_fsync).
  bool busy() const;
  // Blocks until no fsync is queued or running.
  void WaitIdle();
  // The errno of the most recent finished fsync: 0 when it succeeded (or none ran yet).
  int last_error() const;

 private:
  void Loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::thread thread_;
  int pending_fd_ = -1;
  bool running_ = false;
  bool stopping_ = false;
  int error_ = 0;
};

}  // namespace ember::server
