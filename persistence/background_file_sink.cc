#include "persistence/background_file_sink.h"

#include <unistd.h>

#include <utility>

#include "persistence/file_sync.h"

namespace ember::persistence {
namespace {

// Chunks of this size go to the thread: few lock round trips, bounded copies.
constexpr size_t kChunkBytes = 1 << 20;

}  // namespace

BackgroundFileSink::BackgroundFileSink(std::string temp_path, std::string target_path)
    : temp_path_(std::move(temp_path)),
      target_path_(std::move(target_path)),
      thread_([this] { Run(); }) {
  filling_.reserve(kChunkBytes);
}

BackgroundFileSink::~BackgroundFileSink() { Abort(); }

Status BackgroundFileSink::Write(std::string_view data) {
  if (failed_.load(std::memory_order_acquire)) return result();
  filling_.append(data);
  if (filling_.size() >= kChunkBytes) HandOver();
  return Status::Ok();
}

void BackgroundFileSink::HandOver() {
  if (filling_.empty()) return;
  queued_bytes_.fetch_add(filling_.size(), std::memory_order_relaxed);
  std::string chunk;
  chunk.reserve(kChunkBytes);
  chunk.swap(filling_);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(chunk));
  }
  wake_.notify_one();
}

void BackgroundFileSink::Commit() {
  HandOver();
  {
    std::lock_guard lock(mutex_);
    commit_ = true;
  }
  wake_.notify_one();
}

void BackgroundFileSink::Abort() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

Status BackgroundFileSink::result() const {
  std::lock_guard lock(mutex_);
  return result_;
}

void BackgroundFileSink::Run() {
  FileSink file;
  Status s = file.Open(temp_path_);
  if (!s.ok()) RecordFailure(s);
  for (;;) {
    std::string chunk;
    bool commit = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || commit_ || !queue_.empty(); });
      if (stop_) break;
      if (!queue_.empty()) {
        chunk = std::move(queue_.front());
        queue_.pop_front();
      } else {
        commit = true;
      }
    }
    if (!chunk.empty()) {
      if (s.ok()) {
        s = file.Write(chunk);
        if (!s.ok()) RecordFailure(s);
      }
      queued_bytes_.fetch_sub(chunk.size(), std::memory_order_relaxed);
      continue;
    }
    if (commit) {
      if (s.ok()) s = file.Sync();
      if (s.ok()) s = file.Close();
      if (s.ok()) s = CommitFile(temp_path_, target_path_);
      if (!s.ok()) {
        file.Close();
        ::unlink(temp_path_.c_str());
        s.WithFile(temp_path_);
      }
      Finish(s);
      return;
    }
  }
  // Stopped before a commit: the temporary file must not stay behind.
  file.Close();
  ::unlink(temp_path_.c_str());
  Finish(Status::Error("snapshot aborted"));
}

void BackgroundFileSink::RecordFailure(Status status) {
  status.WithFile(temp_path_);
  {
    std::lock_guard lock(mutex_);
    result_ = std::move(status);
  }
  failed_.store(true, std::memory_order_release);
}

void BackgroundFileSink::Finish(Status status) {
  {
    std::lock_guard lock(mutex_);
    result_ = std::move(status);
  }
  failed_.store(!result().ok(), std::memory_order_release);
  done_.store(true, std::memory_order_release);
}

}  // namespace ember::persistence
