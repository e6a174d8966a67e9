// EmbeddedEngine: ember-server's engine inside another program, without a socket — the
// same ServerState, command table and Dispatcher, loading and saving the same files.
//
// One mutex guards the engine (the server's "one thread owns the engine" becomes "one thread
// at a time"): callers take lock() around every use, and a background thread takes it `hz`
// times a second for the server's cron (active expiry, save points, the AOF's everysec
// fsync and rewrites) and, while a BGSAVE runs, for the forkless snapshot's slices.
//
// Files: with a data directory, the engine loads `dir/dbfilename` (or the AOF directory
// when appendonly is on) at Open exactly as ember-server does at startup, and Close saves as
// SHUTDOWN does. The program's working directory is left alone: data files are named under
// the directory (ServerState::DataPath). Without one, the engine is memory only and refuses
// the commands that would write files.
//
// Output for the engine's clients (pub/sub messages, a served blocking pop) arrives under
// the lock through each client's wake; waiters sleep on changed(), which every wake and
// every command's end notifies.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/command/dispatcher.h"
#include "server/core/server_cron.h"
#include "server/core/server_state.h"

namespace ember::embedded {

class EmbeddedEngine {
 public:
  // `settings`: ember-server's command line without the program name ("--maxmemory",
  // "1mb", ...), read by the same settings registry. `data_dir` "": memory only (save points
  // are then off and file-writing commands refused). Returns null with `error` set when a
  // setting is invalid or the data directory's files cannot be loaded.
  static std::shared_ptr<EmbeddedEngine> Open(const std::vector<std::string>& settings,
                                              const std::string& data_dir, std::string* error);
  ~EmbeddedEngine();
  EmbeddedEngine(const EmbeddedEngine&) = delete;
  EmbeddedEngine& operator=(const EmbeddedEngine&) = delete;

  std::mutex& mutex() { return mutex_; }
  // Notified (under the lock) whenever output may have reached a client or a wait may end.
  std::condition_variable& changed() { return changed_; }

  // The rest requires the lock.
  server::ServerState& state() { return state_; }
  server::Dispatcher& dispatcher() { return dispatcher_; }
  bool closed() const { return closed_; }
  bool persistent() const { return persistent_; }

  // Gives `client` an id and registers it (CLIENT LIST, INFO clients); Detach undoes it,
  // ending a blocking wait first.
  void Attach(server::ClientState& client);
  void Detach(server::ClientState& client);

  // Runs one command for `client` at `now_ms`, appending its reply to `reply` (a memory-only
  // engine refuses the commands that write files), then notices a SHUTDOWN.
  void Execute(std::span<const std::string_view> args, server::ClientState& client,
               protocol::ReplyWriter& reply, int64_t now_ms);
  // The server's point before replies leave: writes (and under `always`, fsyncs) what the
  // batch propagated. False when it could not.
  bool FlushForReplies(int64_t now_ms);

  // Stops the engine as SHUTDOWN does (flushes the AOF; saves when `save` is true, or when
  // save points are configured and `save` is unset); then every later use is refused.
  // Returns false with `error` set when the save failed (the engine then stays open).
  enum class CloseSave { kDefault, kSave, kNoSave };
  bool Close(CloseSave save, std::string* error);

 private:
  EmbeddedEngine(server::ServerConfig config, bool persistent);
  bool LoadAtOpen(std::string* error);
  // After a command: a SHUTDOWN that succeeded closes the engine; waiters recheck.
  void AfterCommand();
  void RunBackground();
  void StopBackground();

  std::mutex mutex_;
  std::condition_variable changed_;
  server::ServerState state_;
  server::Dispatcher dispatcher_;
  server::ServerCron cron_;
  bool persistent_;
  bool closed_ = false;
  // The background thread: cron ticks, and snapshot slices while a BGSAVE runs.
  std::condition_variable background_wake_;
  bool snapshot_running_ = false;
  bool stopping_ = false;
  std::thread background_;
};

}  // namespace ember::embedded
