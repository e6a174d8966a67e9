// ReadAhead<Batch>: a thread that fills batches in order while its consumer applies earlier
// ones, so reading, checksumming, decompressing and parsing a file runs on one core and
// inserting into the keyspace on another (startup loads, DEBUG RELOAD).
//
// Contract: `fill` runs on the thread only; it fills one batch (reusing what the batch held
// before) and returns false after the last one (the end of the input, or an error the batch
// records). Whatever `fill` reads belongs to the thread from construction until the consumer
// has taken the last batch (the thread's last write happens before that Take returns) or
// destroyed this object, which stops the thread and waits for it. Take and Recycle: one
// consumer thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace ember::persistence {

template <typename Batch>
class ReadAhead {
 public:
  // Starts the thread with `batches` batches to fill ahead of the consumer.
  ReadAhead(std::function<bool(Batch&)> fill, size_t batches) : fill_(std::move(fill)) {
    for (size_t i = 0; i < batches; ++i) {
      pool_.push_back(std::make_unique<Batch>());
      free_.push_back(pool_.back().get());
    }
    thread_ = std::thread([this] { Run(); });
  }
  ~ReadAhead() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next batch in fill order, waiting for the thread to fill it; valid until Recycle.
  // Requires: the last batch has not been taken yet.
  Batch* Take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty(); });
    Batch* batch = ready_.front();
    ready_.pop_front();
    return batch;
  }
  // Hands a taken batch back to be filled again.
  void Recycle(Batch* batch) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(batch);
    }
    changed_.notify_all();
  }

 private:
  void Run() {
    for (bool more = true; more;) {
      Batch* batch;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return stop_ || !free_.empty(); });
        if (stop_) return;
        batch = free_.front();
        free_.pop_front();
      }
      more = fill_(*batch);
      {
        std::lock_guard lock(mutex_);
        ready_.push_back(batch);
      }
      changed_.notify_all();
    }
  }

  std::function<bool(Batch&)> fill_;
  std::vector<std::unique_ptr<Batch>> pool_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch*> free_;   // for the thread to fill
  std::deque<Batch*> ready_;  // filled, in order
  bool stop_ = false;
  std::thread thread_;  // declared last: starts once the rest is initialised
};

}  // namespace ember::persistence
