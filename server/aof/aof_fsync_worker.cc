#include "server/aof/aof_fsync_worker.h"

#include <unistd.h>

#include <cerrno>

namespace ember::server {

AofFsyncWorker::~AofFsyncWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AofFsyncWorker::Request(int fd) {
  {
    std::lock_guard lock(mutex_);
    pending_fd_ = fd;
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  wake_.notify_one();
}

bool AofFsyncWorker::busy() const {
  std::lock_guard lock(mutex_);
  return pending_fd_ >= 0 || running_;
}

void AofFsyncWorker::WaitIdle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return pending_fd_ < 0 && !running_; });
}

int AofFsyncWorker::last_error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void AofFsyncWorker::Loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || pending_fd_ >= 0; });
    if (pending_fd_ < 0) return;  // stopping with nothing left to do
    const int fd = pending_fd_;
    pending_fd_ = -1;
    running_ = true;
    lock.unlock();
    const int result = ::fdatasync(fd);
    const int error = result == 0 ? 0 : errno;
    lock.lock();
    running_ = false;
    error_ = error;
    if (pending_fd_ < 0) idle_.notify_all();
  }
}

}  // namespace ember::server
