#include "storage/value/lazy_free.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace ember::storage {
namespace {

// Readable without starting the thread (INFO asks often).
std::atomic<uint64_t> g_pending{0};
std::atomic<uint64_t> g_freed{0};

// One background thread and its queue. Function-local static: built on first use,
// destroyed at exit after draining the queue (so leak checkers see every block freed).
class BackgroundFreer {
 public:
  static BackgroundFreer& Instance() {
    static BackgroundFreer freer;
    return freer;
  }

  void Push(Value&& value) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(value));
      g_pending.fetch_add(1, std::memory_order_relaxed);
    }
    wake_.notify_one();
  }

  void WaitIdle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return g_pending.load(std::memory_order_acquire) == 0; });
  }

  ~BackgroundFreer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

 private:
  BackgroundFreer() : thread_([this] { Run(); }) {}

  void Run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and drained
      Value value = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      { Value destroyed = std::move(value); }
      lock.lock();
      g_freed.fetch_add(1, std::memory_order_relaxed);
      if (g_pending.fetch_sub(1, std::memory_order_acq_rel) == 1) idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Value> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after every other member is built
};

}  // namespace

void DisposeValue(Value&& value) {
  if (value.is_string() || value.collection().Size() <= kLazyFreeThreshold) {
    Value destroyed = std::move(value);
    return;
  }
  BackgroundFreer::Instance().Push(std::move(value));
}

LazyFreeStats GetLazyFreeStats() {
  return {g_pending.load(std::memory_order_relaxed), g_freed.load(std::memory_order_relaxed)};
}

void WaitForLazyFree() {
  if (g_pending.load(std::memory_order_acquire) == 0) return;
  BackgroundFreer::Instance().WaitIdle();
}

}  // namespace ember::storage
