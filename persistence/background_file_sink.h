// BackgroundFileSink: a ByteSink that writes a file from a thread of its own and then
// commits it atomically, so the engine thread never waits on the disk during a forkless
// snapshot. Write copies the bytes into a chunk and hands full chunks to the thread; the
// thread writes them to the temporary file in order. Commit hands over the rest; the thread
// then fsyncs, closes and renames the file over the target, fsyncing the directory
// (CommitFile, file_sync.h), and the sink reports done(). Any failure removes the
// temporary file and leaves the target untouched.
//
// Backpressure: queued_bytes() tells the producer how much waits for the disk, so it can
// slow down; Write itself never blocks.
//
// Threading: one producer thread calls everything but the constructor's thread work; the
// destructor stops and joins the thread (removing an uncommitted temporary file).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "persistence/byte_io.h"
#include "persistence/status.h"

namespace ember::persistence {

class BackgroundFileSink : public ByteSink {
 public:
  // Starts the thread, which creates `temp_path` (truncating it); commits to `target_path`.
  BackgroundFileSink(std::string temp_path, std::string target_path);
  ~BackgroundFileSink() override;
  BackgroundFileSink(const BackgroundFileSink&) = delete;
  BackgroundFileSink& operator=(const BackgroundFileSink&) = delete;

  // Queues `data`. Fails (queuing nothing) once the thread has failed.
  Status Write(std::string_view data) override;
  // Queues the rest and asks the thread to commit. Call once, after the last Write.
  void Commit();
  // Stops the thread and removes the temporary file, whatever it had done.
  void Abort();

  // Whether the thread has finished: committed, or failed (see result()).
  bool done() const { return done_.load(std::memory_order_acquire); }
  // The outcome once done(): ok when the target holds the file.
  Status result() const;
  size_t queued_bytes() const { return queued_bytes_.load(std::memory_order_relaxed); }

 private:
  void Run();
  // Keeps the thread's first error for Write and result(); the thread then only drains.
  void RecordFailure(Status status);
  void Finish(Status status);
  // Moves the chunk being filled to the queue and wakes the thread.
  void HandOver();

  const std::string temp_path_;
  const std::string target_path_;
  std::string filling_;  // producer side: the chunk being filled

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;  // guarded by mutex_
  bool commit_ = false;            // guarded by mutex_
  bool stop_ = false;              // guarded by mutex_
  Status result_;                  // guarded by mutex_; valid once done_

  std::atomic<size_t> queued_bytes_{0};
  std::atomic<bool> failed_{false};
  std::atomic<bool> done_{false};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace ember::persistence
