#include "server/aof/aof_startup.h"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <span>

#include "persistence/aof_batch.h"
#include "persistence/aof_reader.h"
#include "persistence/rdb_load.h"
#include "persistence/read_ahead.h"
#include "server/aof/aof_control.h"
#include "server/aof/aof_replayer.h"
#include "server/aof/aof_rewrite.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_startup.h"
#include "server/scripting/function_persistence.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;

// Commands (or RDB keys) applied between two turns of the event loop.
constexpr size_t kCommandsPerStep = 20'000;
// Commands are read and parsed on a ReadAhead thread, kReplayBatch per batch and up to
// kReadAheadBatches batches ahead of the replay, which requests the memory of the keys of
// kPrefetchGroup commands at a time (AofReplayer::PrefetchKeys) before running them.
constexpr size_t kReplayBatch = 256;
constexpr size_t kReadAheadBatches = 8;
constexpr size_t kPrefetchGroup = 32;

bool FileExists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

bool StartsWithRdb(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[5] = {};
  in.read(head, sizeof(head));
  return in.gcount() == sizeof(head) && persistence::LooksLikeRdb(std::string_view(head, 5));
}

asio::awaitable<void> Yield() {
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
}

// Cuts `path` back to `valid` bytes when the configuration allows it, else fails.
bool AcceptTruncatedTail(ServerState& state, const std::string& path, uint64_t valid,
                         uint64_t size) {
  if (!state.config().aof_load_truncated) {
    Log(LogLevel::kWarning,
        "Unexpected end of file reading the append only file {} at offset {} (size {}). You "
        "can: 1) make a backup of your AOF file, then use ember-server --check-aof to find "
        "the damage; 2) set aof-load-truncated yes to load the complete commands and "
        "truncate the rest.",
        path, valid, size);
    return false;
  }
  Log(LogLevel::kWarning, "!!! Warning: short read while loading the AOF file {}!!!", path);
  if (::truncate(path.c_str(), static_cast<off_t>(valid)) != 0) {
    Log(LogLevel::kWarning, "Error truncating the AOF file {}: {}", path, std::strerror(errno));
    return false;
  }
  Log(LogLevel::kWarning,
      "AOF {} loaded anyway because aof-load-truncated is enabled: truncated from {} to {} "
      "bytes",
      path, size, valid);
  return true;
}

// Runs a batch's commands; false after logging a problem that makes the file untrustworthy.
bool ApplyCommands(AofReplayer& replayer, const persistence::AofBatch& batch,
                   const std::string& path) {
  const int64_t now_ms = UnixMillis();
  for (size_t group = 0; group < batch.count; group += kPrefetchGroup) {
    const size_t end = std::min(batch.count, group + kPrefetchGroup);
    replayer.PrefetchKeys(std::span(batch.commands.data() + group, end - group));
    for (size_t i = group; i < end; ++i) {
      std::string problem = replayer.Apply(batch.commands[i], batch.starts[i], now_ms);
      if (!problem.empty()) {
        Log(LogLevel::kWarning, "Fatal error: {} reading the append only file {} at offset {}",
            problem, path, batch.starts[i]);
        return false;
      }
    }
  }
  return true;
}

// Replays one file of the set. `last` says whether a cut tail may be accepted.
asio::awaitable<bool> ReplayFile(ServerState& state, AofReplayer& replayer, const std::string& path,
                                 bool last) {
  persistence::FileSource source;
  persistence::Status s = source.Open(path);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Fatal error: can't open the append only file {}: {}", path,
        s.ToString());
    co_return false;
  }
  const uint64_t size = source.size();
  if (size > 0 && StartsWithRdb(path)) {
    Log(LogLevel::kNotice, "Reading RDB base file on AOF loading...");
    // now_ms 0: no key is dropped as expired; later commands in the set may touch it.
    persistence::RdbLoader loader(&state.keyspace(), &source, 0);
    loader.set_decode_ahead(true);
    bool done = false;
    while (s.ok() && !done) {
      s = loader.Step(kCommandsPerStep, &done);
      if (!done) co_await Yield();
    }
    if (!s.ok()) {
      Log(LogLevel::kWarning, "Error reading the RDB base of the AOF file {}: {}", path,
          s.ToString());
      co_return false;
    }
    std::string function_error;
    if (!scripting::LoadFunctionLibraries(state.functions(), loader.reader().functions(),
                                          &function_error)) {
      Log(LogLevel::kWarning, "Error reading the RDB base of the AOF file {}: {}", path,
          function_error);
      co_return false;
    }
  }
  persistence::AofCommandReader reader(&source, size);
  persistence::ReadAhead<persistence::AofBatch> read_ahead(
      [&reader](persistence::AofBatch& batch) {
        persistence::ReadAofBatch(reader, kReplayBatch, &batch);
        return !batch.last();
      },
      kReadAheadBatches);
  size_t since_yield = 0;
  for (;;) {
    persistence::AofBatch* batch = read_ahead.Take();
    if (!ApplyCommands(replayer, *batch, path)) co_return false;
    const persistence::AofCommandReader::Result result = batch->result;
    if (!batch->last()) {
      since_yield += batch->count;
      read_ahead.Recycle(batch);
      if (since_yield >= kCommandsPerStep) {
        since_yield = 0;
        co_await Yield();
      }
      continue;
    }
    if (result == persistence::AofCommandReader::Result::kCorrupt) {
      Log(LogLevel::kWarning, "Bad file format reading the append only file {}: {}", path,
          batch->error.WithFile(path).ToString());
      co_return false;
    }
    const bool truncated = result == persistence::AofCommandReader::Result::kTruncated;
    if (!truncated && !replayer.in_multi()) break;
    const uint64_t valid = replayer.in_multi() ? replayer.multi_start() : batch->valid_up_to;
    if (replayer.in_multi()) {
      Log(LogLevel::kWarning, "Revert incomplete MULTI/EXEC transaction in AOF file {}", path);
    }
    if (!last) {
      Log(LogLevel::kWarning,
          "Fatal error: the append only file {} is cut short at offset {} but is not the last "
          "file of the set",
          path, valid);
      co_return false;
    }
    if (!AcceptTruncatedTail(state, path, valid, size)) co_return false;
    break;
  }
  replayer.EndFile();
  co_return true;
}

asio::awaitable<bool> ReplaySet(ServerState& state) {
  const persistence::AofDirectory& directory = *state.aof().directory;
  const persistence::AofManifest& manifest = directory.manifest();
  std::vector<std::string> files;
  if (manifest.base) files.push_back(directory.PathOf(manifest.base->name));
  for (const auto& incr : manifest.incrs) files.push_back(directory.PathOf(incr.name));
  AofReplayer replayer(state);
  for (size_t i = 0; i < files.size(); ++i) {
    if (!FileExists(files[i])) {
      // Redis tolerates a missing empty incr only as the last file; a missing base or
      // earlier file means lost data.
      if (i + 1 == files.size() && i > 0) continue;
      Log(LogLevel::kWarning,
          "Fatal error: the append only file {} listed in the manifest is "
          "missing",
          files[i]);
      co_return false;
    }
    if (!co_await ReplayFile(state, replayer, files[i], i + 1 == files.size())) co_return false;
  }
  co_return true;
}

}  // namespace

asio::awaitable<bool> LoadAofAtStartup(ServerState& state) {
  PersistenceState& p = state.persistence();
  p.last_save_unix = UnixMillis() / 1000;
  if (!EnsureAofDirectory(state)) co_return false;
  persistence::AofDirectory& directory = *state.aof().directory;
  const persistence::AofManifest& manifest = directory.manifest();
  const bool has_set = manifest.base.has_value() || !manifest.incrs.empty();
  const std::string legacy = state.config().appendfilename;
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;
  if (has_set || FileExists(legacy)) {
    p.loading = true;
    p.loading_start_unix = UnixMillis() / 1000;
    state.keyspace().set_expiry_suspended(true);
    if (has_set) {
      ok = co_await ReplaySet(state);
    } else {
      Log(LogLevel::kNotice, "Loading the legacy append only file {}", legacy);
      AofReplayer replayer(state);
      ok = co_await ReplayFile(state, replayer, legacy, /*last=*/true);
      if (ok) {
        persistence::Status s = directory.AdoptLegacyFile(legacy);
        if (!s.ok()) Log(LogLevel::kWarning, "Can't upgrade the legacy AOF: {}", s.ToString());
        ok = s.ok();
        if (ok)
          Log(LogLevel::kNotice, "Successfully migrated an old-style AOF into {}",
              directory.dirname());
      }
    }
    state.keyspace().set_expiry_suspended(false);
    p.loading = false;
    if (!ok) co_return false;
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    p.loaded_keys = state.keyspace().key_count();
    Log(LogLevel::kNotice, "DB loaded from append only file: {:.3f} seconds ({} keys)",
        elapsed.count(), p.loaded_keys);
  } else if (FileExists(state.DataPath(state.config().dbfilename))) {
    Log(LogLevel::kNotice,
        "appendonly is on but there is no append only file: importing {} as its first base",
        state.config().dbfilename);
    if (!co_await LoadRdbDump(state)) co_return false;
  }
  p.dirty_at_last_save = state.dirty();
  co_return OpenAofAfterLoad(state);
}

}  // namespace ember::server
