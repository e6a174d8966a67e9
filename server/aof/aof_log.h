// AofLog: the incremental file the append-only file is currently written to, and the
// commands propagated since the last write (Redis's aof_buf). Commands are buffered as they
// run; Flush() writes the buffer with one write() and syncs it as the fsync policy says,
// before the replies of those commands leave the server (server/aof/aof_flush_barrier.h), so
// every acknowledged write is at least in the kernel's page cache.
//
//   always    write + fdatasync on the engine thread, once per event-loop batch (group commit)
//   everysec  write now; fdatasync on a background thread at most once a second. While that
//             fsync runs, writes are postponed (replies still go out) for up to 2 s, then
//             forced — Redis's rule, so a slow disk cannot stall clients.
//   no        write now; the kernel syncs when it likes.
//
// A failed write or fsync marks the log failed (write_ok() false, with errno): write
// commands are then refused with -MISCONF until a later flush succeeds.
//
// Threading: engine thread only (the fsync worker touches only the descriptor).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "server/aof/aof_fsync_worker.h"

namespace ember::server {

enum class FsyncPolicy { kAlways, kEverysec, kNo };
FsyncPolicy ParseFsyncPolicy(std::string_view text);  // "always" | "everysec" | "no"

class AofLog {
 public:
  AofLog() = default;
  AofLog(const AofLog&) = delete;
  AofLog& operator=(const AofLog&) = delete;
  ~AofLog() { Close(); }

  // Takes `fd` (open for appending, `size` bytes long) as the file to write to. The next
  // command is preceded by SELECT, as each file must stand alone.
  void Attach(int fd, std::string path, uint64_t size);
  // Waits for a running fsync and closes the file. Buffered commands stay buffered.
  void Close();
  bool attached() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }

  // Buffers one propagated command (with SELECT first when `db` changed).
  void Append(int db, std::span<const std::string_view> argv);
  bool has_buffered() const { return !buffer_.empty(); }
  size_t buffered_bytes() const { return buffer_.size(); }
  void DiscardBuffer() { buffer_.clear(); }

  enum class FlushResult { kDone, kPostponed, kFailed };
  // Redis's flushAppendOnlyFile. `force` writes even while a background fsync runs;
  // `fsync_allowed` false skips syncing (no-appendfsync-on-rewrite with a child running).
  // kFailed: the buffer could not be written or, under always, synced.
  FlushResult Flush(FsyncPolicy policy, bool force, bool fsync_allowed, int64_t now_ms);
  // Writes everything and fdatasyncs it now (shutdown, before switching files).
  bool FlushAndSync(int64_t now_ms);

  // False after a failed write (until a write succeeds) or a failed fsync (until an fsync
  // succeeds); the errno says why.
  bool write_ok() const { return write_errno_ == 0 && fsync_errno_ == 0; }
  int write_errno() const { return write_errno_ != 0 ? write_errno_ : fsync_errno_; }
  uint64_t file_size() const { return file_size_; }
  uint64_t delayed_fsyncs() const { return delayed_fsyncs_; }
  bool fsync_pending() const { return fsync_worker_.busy(); }

 private:
  bool WriteBuffer();
  void RecordWriteError(int error);
  void RecordWriteSuccess();
  void RecordFsyncResult(int error);

  int fd_ = -1;
  std::string path_;
  std::string buffer_;
  int selected_db_ = -1;
  uint64_t file_size_ = 0;
  uint64_t synced_size_ = 0;
  int64_t last_fsync_ms_ = 0;
  int64_t postponed_since_ms_ = 0;
  uint64_t delayed_fsyncs_ = 0;
  int write_errno_ = 0;
  int fsync_errno_ = 0;
  AofFsyncWorker fsync_worker_;
};

}  // namespace ember::server
