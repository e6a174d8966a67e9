#include "server/aof/aof_log.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "persistence/aof_base.h"
#include "server/core/logger.h"

namespace ember::server {
namespace {

// Under everysec, a write waits at most this long for a running fsync (Redis: 2 s).
constexpr int64_t kMaxPostponeMs = 2000;
constexpr int64_t kFsyncIntervalMs = 1000;
// A buffer that grew past this is released after being written, not kept for reuse.
constexpr size_t kKeepBufferBytes = 4 * 1024 * 1024;

}  // namespace

FsyncPolicy ParseFsyncPolicy(std::string_view text) {
  if (text == "always") return FsyncPolicy::kAlways;
  if (text == "no") return FsyncPolicy::kNo;
  return FsyncPolicy::kEverysec;
}

void AofLog::Attach(int fd, std::string path, uint64_t size) {
  Close();
  fd_ = fd;
  path_ = std::move(path);
  file_size_ = size;
  synced_size_ = size;
  selected_db_ = -1;
}

void AofLog::Close() {
  if (fd_ < 0) return;
  fsync_worker_.WaitIdle();
  ::close(fd_);
  fd_ = -1;
}

void AofLog::Append(int db, std::span<const std::string_view> argv) {
  if (db != selected_db_) {
    const std::string index = std::to_string(db);
    const std::array<std::string_view, 2> select = {"SELECT", index};
    persistence::AppendAofCommand(&buffer_, select);
    selected_db_ = db;
  }
  persistence::AppendAofCommand(&buffer_, argv);
}

AofLog::FlushResult AofLog::Flush(FsyncPolicy policy, bool force, bool fsync_allowed,
                                  int64_t now_ms) {
  if (fd_ < 0) return FlushResult::kFailed;
  if (!fsync_worker_.busy()) RecordFsyncResult(fsync_worker_.last_error());
  if (!buffer_.empty()) {
    if (policy == FsyncPolicy::kEverysec && !force && fsync_worker_.busy()) {
      if (postponed_since_ms_ == 0) postponed_since_ms_ = now_ms;
      if (now_ms - postponed_since_ms_ < kMaxPostponeMs) return FlushResult::kPostponed;
      ++delayed_fsyncs_;
      Log(LogLevel::kNotice,
          "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer "
          "without waiting for fsync to complete, this may slow down Ember.");
    }
    postponed_since_ms_ = 0;
    if (!WriteBuffer()) return FlushResult::kFailed;
  }
  if (!fsync_allowed || synced_size_ == file_size_) return FlushResult::kDone;
  if (policy == FsyncPolicy::kAlways) {
    if (::fdatasync(fd_) != 0) {
      RecordFsyncResult(errno);
      return FlushResult::kFailed;
    }
    RecordFsyncResult(0);
    synced_size_ = file_size_;
    last_fsync_ms_ = now_ms;
  } else if (policy == FsyncPolicy::kEverysec && now_ms - last_fsync_ms_ >= kFsyncIntervalMs &&
             !fsync_worker_.busy()) {
    fsync_worker_.Request(fd_);
    synced_size_ = file_size_;
    last_fsync_ms_ = now_ms;
  }
  return FlushResult::kDone;
}

bool AofLog::FlushAndSync(int64_t now_ms) {
  if (fd_ < 0) return false;
  if (Flush(FsyncPolicy::kNo, /*force=*/true, /*fsync_allowed=*/false, now_ms) ==
      FlushResult::kFailed) {
    return false;
  }
  fsync_worker_.WaitIdle();
  if (::fdatasync(fd_) != 0) {
    RecordFsyncResult(errno);
    return false;
  }
  RecordFsyncResult(0);
  synced_size_ = file_size_;
  last_fsync_ms_ = now_ms;
  return write_ok();
}

// One write() for the whole buffer in the common case. A short write that cannot be
// completed is cut back off the file (Redis does the same), so the file never ends in half
// a command that a later successful write would glue garbage onto.
bool AofLog::WriteBuffer() {
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(file_size_)) != 0) {
        // The partial command stays in the file; keep only what was not written.
        file_size_ += done;
        buffer_.erase(0, done);
      }
      Log(LogLevel::kWarning, "Error writing to the AOF file: {}", std::strerror(error));
      RecordWriteError(error);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  file_size_ += done;
  if (buffer_.capacity() > kKeepBufferBytes) {
    std::string().swap(buffer_);
  } else {
    buffer_.clear();
  }
  RecordWriteSuccess();
  return true;
}

void AofLog::RecordWriteError(int error) { write_errno_ = error; }

void AofLog::RecordWriteSuccess() {
  if (write_errno_ == 0) return;
  Log(LogLevel::kWarning, "AOF write error looks solved, Ember can write again.");
  write_errno_ = 0;
}

void AofLog::RecordFsyncResult(int error) {
  if (error == fsync_errno_) return;
  if (error != 0) {
    Log(LogLevel::kWarning, "Can't persist the AOF to disk: fdatasync {}: {}", path_,
        std::strerror(error));
  } else {
    Log(LogLevel::kWarning, "AOF fsync error looks solved, Ember can write again.");
  }
  fsync_errno_ = error;
}

}  // namespace ember::server
