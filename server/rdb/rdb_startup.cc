#include "server/rdb/rdb_startup.h"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <chrono>

#include "persistence/rdb_load.h"
#include "server/aof/aof_startup.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/scripting/function_persistence.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;

// Keys decoded between two turns of the event loop: large enough that yielding costs
// little, small enough that clients waiting for -LOADING answers wait milliseconds.
constexpr size_t kKeysPerStep = 20'000;
constexpr auto kProgressInterval = std::chrono::seconds(2);

void LogLoaded(ServerState& state, const persistence::RdbLoader& loader, double seconds) {
  const persistence::RdbLoadStats& stats = loader.stats();
  for (const auto& [field, value] : loader.reader().aux()) {
    if (field == "redis-ver") Log(LogLevel::kNotice, "Loading RDB produced by version {}", value);
    if (field == "repl-id") state.persistence().loaded_repl_id = value;
    if (field == "repl-stream-db") {
      state.persistence().loaded_repl_stream_db = std::atoi(value.c_str());
    }
    if (field == "repl-offset") {
      state.persistence().loaded_repl_offset = std::strtoll(value.c_str(), nullptr, 10);
    }
  }
  for (size_t db = 0; db < stats.keys_per_db.size(); ++db) {
    if (stats.keys_per_db[db] > 0) {
      Log(LogLevel::kNotice, "db{}: {} keys loaded", db, stats.keys_per_db[db]);
    }
  }
  Log(LogLevel::kNotice, "Done loading RDB, keys loaded: {}, keys expired: {}.", stats.keys_loaded,
      stats.keys_expired);
  Log(LogLevel::kNotice, "DB loaded from disk: {:.3f} seconds", seconds);
  state.persistence().loaded_keys = stats.keys_loaded;
  state.persistence().expired_keys = stats.keys_expired;
}

}  // namespace

asio::awaitable<bool> LoadDatasetAtStartup(ServerState& state) {
  if (state.config().appendonly) co_return co_await LoadAofAtStartup(state);
  co_return co_await LoadRdbDump(state);
}

asio::awaitable<bool> LoadRdbDump(ServerState& state) {
  PersistenceState& p = state.persistence();
  p.last_save_unix = UnixMillis() / 1000;
  const std::string path = state.DataPath(state.config().dbfilename);
  if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) co_return true;

  persistence::FileSource source;
  persistence::Status s = source.Open(path);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Fatal error loading the DB: {}. Exiting.", s.ToString());
    co_return false;
  }
  const auto start = std::chrono::steady_clock::now();
  auto next_progress = start + kProgressInterval;
  p.loading = true;
  p.loading_start_unix = UnixMillis() / 1000;
  // Keys loaded from a snapshot raise no keyspace events ("new"), as in Redis (a subscriber
  // may connect while the load runs).
  state.keyspace().set_key_events(false);
  persistence::RdbLoader loader(&state.keyspace(), &source, UnixMillis());
  loader.set_keep_expired(!state.config().replicaof_host.empty());
  loader.set_decode_ahead(true);
  bool done = false;
  while (s.ok() && !done) {
    s = loader.Step(kKeysPerStep, &done);
    if (std::chrono::steady_clock::now() >= next_progress) {
      next_progress += kProgressInterval;
      Log(LogLevel::kNotice, "Loading RDB: {} of {} bytes, {} keys so far", loader.offset(),
          source.size(), loader.stats().keys_loaded);
    }
    if (!done) co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  }
  p.loading = false;
  state.ApplyKeyspaceEvents();
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Fatal error loading the DB {}. Exiting.", s.WithFile(path).ToString());
    co_return false;
  }
  std::string function_error;
  if (!scripting::LoadFunctionLibraries(state.functions(), loader.reader().functions(),
                                        &function_error)) {
    Log(LogLevel::kWarning, "{}. Fatal error loading the DB {}. Exiting.", function_error, path);
    co_return false;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  LogLoaded(state, loader, elapsed.count());
  co_return true;
}

}  // namespace ember::server
