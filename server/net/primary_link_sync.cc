// PrimaryLink's full synchronization: receiving the primary's snapshot into a file and
// loading it in place of the dataset (see primary_link.h).
#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/this_coro.hpp>
#include <cstdio>

#include "persistence/file_sync.h"
#include "server/aof/aof_control.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/net/primary_link.h"
#include "server/rdb/rdb_startup.h"
#include "storage/ops/key_ops.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
constexpr size_t kEofMarkSize = 40;

// The part of the snapshot in `buffer` that can be written now: with an EOF mark, all but
// the last kEofMarkSize bytes (they may be the mark); with a length, up to what is left.
struct SnapshotProgress {
  bool eof_marked = false;
  std::string mark;
  int64_t size = 0;     // with a length
  int64_t written = 0;  // bytes of the file written
};

bool TakeSnapshotBytes(std::string& buffer, SnapshotProgress& progress, std::FILE* file,
                       bool* done) {
  size_t take = 0;
  if (progress.eof_marked) {
    if (buffer.size() >= kEofMarkSize &&
        std::string_view(buffer).substr(buffer.size() - kEofMarkSize) == progress.mark) {
      take = buffer.size() - kEofMarkSize;
      *done = true;
    } else if (buffer.size() > kEofMarkSize) {
      take = buffer.size() - kEofMarkSize;
    }
  } else {
    take = static_cast<size_t>(
        std::min<int64_t>(static_cast<int64_t>(buffer.size()), progress.size - progress.written));
    *done = progress.written + static_cast<int64_t>(take) == progress.size;
  }
  if (take > 0 && std::fwrite(buffer.data(), 1, take, file) != take) return false;
  progress.written += static_cast<int64_t>(take);
  buffer.erase(0, *done && progress.eof_marked ? buffer.size() : take);
  return true;
}

}  // namespace

asio::awaitable<std::string> PrimaryLink::FullSync(Attempt& attempt, std::string_view reply) {
  ServerState& state = dispatcher_.server();
  ReplicationState& replication = state.replication();
  char id[41] = {};
  long long offset = -1;
  if (std::sscanf(std::string(reply).c_str(), "+FULLRESYNC %40s %lld", id, &offset) != 2) {
    co_return "Master replied with wrong +FULLRESYNC syntax: " + std::string(reply);
  }
  Log(LogLevel::kNotice, "Full resync from master: {}:{}", id, offset);
  replication.set_link_state(PrimaryLinkState::kTransfer, UnixMillis());
  const std::string temp = state.DataPath(
      fmt::format("temp-{}.{}.rdb", UnixMillis() / 1000, static_cast<long>(::getpid())));
  bool eof_marked = false;
  std::string error = co_await ReceiveSnapshot(attempt, temp, &eof_marked);
  if (error.empty()) {
    const persistence::Status committed =
        persistence::CommitFile(temp, state.DataPath(state.config().dbfilename));
    if (!committed.ok()) error = "Failed trying to rename the temp DB: " + committed.ToString();
  }
  if (!error.empty()) {
    ::unlink(temp.c_str());
    co_return error;
  }
  Log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Flushing old data");
  storage::FlushAll(state.keyspace());
  state.functions().libraries().Clear();
  state.tracking().InvalidateAll();
  replication.FreeBacklog();
  replication.set_history_valid(false);  // until the new dataset is in
  replication.DisconnectReplicas();
  Log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Loading DB in memory");
  const bool loaded = co_await LoadRdbDump(state);
  if (!Current(attempt.generation)) co_return "The link to the primary was replaced";
  if (!loaded) co_return "Failed trying to load the MASTER synchronization DB from disk";
  replication.AdoptPrimaryHistory(id, offset,
                                  static_cast<size_t>(state.config().repl_backlog_size));
  replication.set_history_valid(true);
  replication.primary_stream_db = 0;
  if (state.config().appendonly) StartAofRewrite(state);
  Log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Finished with success");
  // A snapshot ended by a mark: the primary streams only once it hears from us.
  if (eof_marked) SendAck(attempt);
  co_return "";
}

asio::awaitable<std::string> PrimaryLink::ReceiveSnapshot(Attempt& attempt, const std::string& path,
                                                          bool* eof_marked) {
  ReplicationState& replication = dispatcher_.server().replication();
  std::string header;
  if (std::string error = co_await ReadLine(attempt, &header); !error.empty()) co_return error;
  if (header.starts_with('-')) co_return "MASTER aborted replication with an error: " + header;
  if (!header.starts_with('$')) {
    co_return "Bad protocol from MASTER, the first byte is not '$' (we received '" + header +
        "'), are you sure the host and port are right?";
  }
  SnapshotProgress progress;
  if (header.starts_with("$EOF:") && header.size() == 5 + kEofMarkSize) {
    progress.eof_marked = true;
    progress.mark = header.substr(5);
    Log(LogLevel::kNotice,
        "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF "
        "to disk");
  } else {
    progress.size = std::strtoll(header.c_str() + 1, nullptr, 10);
    Log(LogLevel::kNotice, "MASTER <-> REPLICA sync: receiving {} bytes from master to disk",
        progress.size);
  }
  *eof_marked = progress.eof_marked;
  replication.transfer_size = progress.size;
  replication.transfer_read = 0;
  replication.transfer_last_io_ms = UnixMillis();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr)
    co_return "Opening the temp file needed for MASTER <-> REPLICA synchronization failed";
  bool done = false;
  std::string error;
  while (error.empty()) {
    if (!TakeSnapshotBytes(attempt.buffer, progress, file, &done)) {
      error = "Write error saving the DB received from MASTER";
      break;
    }
    replication.transfer_read = progress.written;
    if (done) break;
    error = co_await ReadMore(attempt);
  }
  const bool synced = std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  std::fclose(file);
  if (error.empty() && !synced) error = "Failed trying to sync the temp DB to disk";
  co_return error;
}

}  // namespace ember::server
