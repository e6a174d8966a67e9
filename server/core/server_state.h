// ServerState: the engine-side state shared by all connections — configuration, the
// keyspace, counters for INFO, the registry of connected clients, the one write path, and
// the queue through which a command wakes other clients (WakeQueue, CLIENT PAUSE).
//
// Threading: engine thread only. It knows nothing of sockets or Asio, so handlers and
// in-process tests can use it without a network.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/aof/aof_state.h"
#include "server/command/command_stats.h"
#include "server/command/slowlog.h"
#include "server/config/server_config.h"
#include "server/core/blocked_clients.h"
#include "server/core/client_state.h"
#include "server/core/monitor_feed.h"
#include "server/core/persistence_state.h"
#include "server/core/server_metrics.h"
#include "server/core/wake_queue.h"
#include "server/pubsub/keyspace_notifier.h"
#include "server/pubsub/pubsub_registry.h"
#include "server/pubsub/tracking_registry.h"
#include "server/replication/replication_state.h"
#include "server/scripting/function_engine.h"
#include "server/scripting/script_engine.h"
#include "server/txn/watch_registry.h"
#include "storage/keyspace/keyspace.h"
#include "storage/lifecycle/active_expirer.h"
#include "storage/lifecycle/evictor.h"

namespace ember::server {

struct ServerStats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
};

class ServerState : public storage::KeyspaceObserver {
 public:
  explicit ServerState(ServerConfig config);

  ServerConfig& config() { return config_; }
  const ServerConfig& config() const { return config_; }
  storage::Keyspace& keyspace() { return keyspace_; }
  storage::ActiveExpirer& active_expirer() { return active_expirer_; }
  // DEBUG SET-ACTIVE-EXPIRE 0 stops the cron's expiry cycles (keys still expire on access).
  bool active_expire_enabled() const { return active_expire_enabled_; }
  void set_active_expire_enabled(bool enabled) { active_expire_enabled_ = enabled; }
  ServerStats& stats() { return stats_; }
  // RDB snapshot bookkeeping (server/rdb_saver.h).
  PersistenceState& persistence() { return persistence_; }
  const PersistenceState& persistence() const { return persistence_; }
  // The append-only file (server/aof_control.h).
  AofState& aof() { return aof_; }
  const AofState& aof() const { return aof_; }
  // INFO commandstats / errorstats, SLOWLOG and LATENCY (server/command_stats.h, slowlog.h).
  CommandStats& command_stats() { return command_stats_; }
  Slowlog& slowlog() { return slowlog_; }
  LatencyMonitor& latency_monitor() { return latency_monitor_; }

  // maxmemory. The figure eviction and the OOM gate compare with maxmemory: what the
  // allocator holds (AllocatorUsedBytes, a running count, cheap to read), minus the AOF
  // buffer, which Redis's freeMemoryGetNotCountedMemory also leaves out so that a burst of
  // propagated DELs cannot feed more eviction.
  uint64_t MemoryForEviction() const;
  // What used_memory reports: the process's allocations (AllocatorUsedBytes), unless a
  // gauge replaces them — an engine embedded in another program counts only its own data,
  // not its host's.
  uint64_t UsedMemory() const { return memory_gauge_ ? memory_gauge_() : AllocatorUsedBytes(); }
  void set_memory_gauge(std::function<uint64_t()> gauge) { memory_gauge_ = std::move(gauge); }
  // Re-reads maxmemory-policy, maxmemory-samples, lfu-log-factor and lfu-decay-time into
  // the keyspace's access tracking and the evictor's settings. Called at startup and by
  // CONFIG SET of those settings.
  void ApplyMemoryPolicy();
  // Re-reads the encoding limits (hash-, set-, list- and zset-max-*) into the keyspace's
  // EncodingLimits. Called at startup and by CONFIG SET of those.
  void ApplyEncodingLimits();
  // When maxmemory is set and exceeded, evicts keys by the policy (storage/evictor.h).
  // kOk when under the limit or maxmemory is 0.
  storage::EvictionResult EvictIfNeeded(int64_t now_ms);
  // Whether a BGSAVE or BGREWRITEAOF child is running (no access stamps meanwhile).
  bool HasActiveChild() const { return persistence_.child_pid > 0 || aof_.child_pid > 0; }

  // Where a data file named in the configuration (dbfilename, appenddirname) lives. The
  // server runs inside `dir` (main changes into it, as Redis does), so a name resolves as
  // it is; an engine embedded in another program (embedded/) must not change that
  // program's working directory and sets the directory as a root instead.
  std::string DataPath(std::string_view name) const {
    return data_root_.empty() ? std::string(name) : data_root_ + "/" + std::string(name);
  }
  void set_data_root(std::string root) { data_root_ = std::move(root); }

  int64_t start_time_ms() const { return start_time_ms_; }
  void set_start_time_ms(int64_t ms) { start_time_ms_ = ms; }

  // The one write path. Every change to the keyspace — by a command, by expiry, by
  // eviction — comes through here with the database it applies to and the argument
  // vector that reproduces it. It counts changes for save points and hands the command to
  // the propagation listener (the AOF, when on).
  // `changes` feeds the save-point counter (rdb_changes_since_last_save); engine-made
  // deletions propagate with 0 changes, as in Redis.
  void Propagate(int db, std::span<const std::string_view> argv, uint64_t changes);
  uint64_t dirty() const { return dirty_; }
  // Counts changes that propagate nothing (a read for a group that delivered nothing new
  // to replay), as Redis's server.dirty++ without a propagation.
  void CountChanges(uint64_t changes) { dirty_ += changes; }
  // Commands that went through the write path since startup.
  uint64_t propagated_commands() const { return propagated_commands_; }

  // KeyspaceObserver: keys removed by expiry or eviction are propagated as DEL.
  void OnKeyRemoved(int db, std::string_view key, storage::RemovalCause cause) override;
  // KeyspaceObserver: modifications and flushes reach the WATCH registry, ready the keys
  // blocked clients wait on, and invalidate client-side caches.
  void OnKeyModified(int db, std::string_view key) override {
    watches_.KeyModified(db, key);
    blocked_clients_.KeyModified(db, key);
    tracking_.KeyModified(key, current_client_);
  }
  void OnDatabaseReplaced(int db, int replacement) override {
    watches_.DatabaseReplaced(db, replacement);
    blocked_clients_.DatabaseReplaced(db, replacement);
  }
  // KeyspaceObserver: key life events become keyspace notifications ("new", the held "del"
  // of an emptied collection, "keymiss"); see keyspace_notifier.h.
  void OnKeyCreated(int db, std::string_view key) override { notifier_.KeyCreated(db, key); }
  void OnKeyEmptied(int db, std::string_view key) override { notifier_.KeyEmptied(db, key); }
  void OnKeyMissed(int db, std::string_view key) override {
    notifier_.RaiseNow(kNotifyKeyMiss, "keymiss", db, key);
  }

  // Where propagated commands go besides the AOF (tests record with it). Called
  // with each command that Propagate emits, in order; MULTI/EXEC blocks arrive bracketed.
  using PropagationListener = std::function<void(int db, std::span<const std::string_view>)>;
  void set_propagation_listener(PropagationListener listener) {
    propagation_listener_ = std::move(listener);
  }
  // EXEC and scripts bracket the commands they run with these. Commands propagated in
  // between are held; at the end of the outermost block, two or more are emitted as
  // MULTI ... EXEC (one alone is emitted bare, none emits nothing), as Redis 7.0 does.
  // Blocks nest (a script inside EXEC joins the EXEC's block). Deletions by expiry are
  // never held.
  void BeginPropagationBlock() { ++propagation_depth_; }
  void EndPropagationBlock();
  // Ends a block dropping everything held so far (a script abandoned by a shutdown: what it
  // wrote must not reach the AOF).
  void DiscardPropagationBlock();

  // Where commands propagated from now on go (a script's redis.set_repl): bit
  // kPropagateAof for the AOF, kPropagateReplicas for the propagation listener (replicas).
  static constexpr int kPropagateAof = 1;
  static constexpr int kPropagateReplicas = 2;
  static constexpr int kPropagateAll = kPropagateAof | kPropagateReplicas;
  void set_propagation_targets(int targets) { propagation_targets_ = targets; }

  // Replication from the primary's side: IDs, offset, backlog, replicas
  // (server/replication/replication_state.h).
  ReplicationState& replication() { return replication_; }
  const ReplicationState& replication() const { return replication_; }

  // Lua scripts: the interpreter and the script cache (server/scripting/script_engine.h).
  scripting::ScriptEngine& scripts() { return scripts_; }
  const scripting::ScriptEngine& scripts() const { return scripts_; }
  scripting::ScriptRuntime& script_runtime() { return script_runtime_; }
  // Function libraries and FCALL (server/scripting/function_engine.h).
  scripting::FunctionEngine& functions() { return functions_; }
  const scripting::FunctionEngine& functions() const { return functions_; }

  // WATCH: who watches which keys (server/watch_registry.h).
  WatchRegistry& watches() { return watches_; }

  // CLIENT PAUSE at `now_ms`: until `end_ms` (unix ms), commands of every client (or, with
  // `writes_only`, those that may write) wait before they run. A second pause extends the
  // end time and can widen WRITE to ALL, never narrow it. Both this and UnpauseClients wake
  // the held clients (at the delivery point, in the order they were held) to recheck.
  void PauseClients(int64_t now_ms, int64_t end_ms, bool writes_only);
  void UnpauseClients();
  bool clients_paused(int64_t now_ms) const { return now_ms < pause_end_ms_; }
  bool pause_writes_only() const { return pause_writes_only_; }
  int64_t pause_end_ms() const { return pause_end_ms_; }
  // A connection whose next command must wait (Dispatcher::MustWait) holds itself here, and
  // is marked blocked, until it releases itself to run that command or disconnects. Nothing
  // polls: a held connection waits for its wake or for the pause's end time.
  void HoldForPause(ClientState& client);
  void ReleaseFromPause(ClientState& client);
  // Called by a held connection whose timer reached the pause's end: when the pause is over
  // at `now_ms`, wakes every held client in the order held and delivers at once.
  void WakeHeldIfPauseEnded(int64_t now_ms);

  // Output and wakes for other clients (server/core/wake_queue.h).
  WakeQueue& wakeups() { return wakeups_; }
  // Keyspace notifications (server/pubsub/keyspace_notifier.h).
  KeyspaceNotifier& notifier() { return notifier_; }
  // Re-reads notify-keyspace-events into the notifier, and turns the keyspace's key life
  // events on only while some event can be published. Called at startup and by CONFIG SET.
  void ApplyKeyspaceEvents();
  // Pub/sub subscriptions and PUBLISH's fan-out (server/pubsub/pubsub_registry.h).
  PubSubRegistry& pubsub() { return pubsub_; }
  const PubSubRegistry& pubsub() const { return pubsub_; }
  // Clients in MONITOR mode (server/core/monitor_feed.h).
  MonitorFeed& monitors() { return monitors_; }
  // Client-side caching (server/pubsub/tracking_registry.h).
  TrackingRegistry& tracking() { return tracking_; }
  const TrackingRegistry& tracking() const { return tracking_; }
  // The client whose command is running (the dispatcher sets it), or nullptr: whose writes
  // a NOLOOP tracking client is not told about.
  ClientState* current_client() const { return current_client_; }
  void set_current_client(ClientState* client) { current_client_ = client; }
  // Clients waiting in blocking commands (server/core/blocked_clients.h).
  BlockedClients& blocked_clients() { return blocked_clients_; }
  const BlockedClients& blocked_clients() const { return blocked_clients_; }
  // INFO blocked_clients: those waiting on keys and those held by CLIENT PAUSE, as Redis
  // counts both.
  size_t blocked_client_count() const {
    return blocked_clients_.blocked_count() + held_for_pause_.size();
  }

  // Connected clients, for INFO clients and CLIENT LIST. Sessions register themselves.
  uint64_t NextClientId() { return ++last_client_id_; }
  void RegisterClient(ClientState* client);
  void UnregisterClient(ClientState* client);
  const std::unordered_map<uint64_t, ClientState*>& clients() const { return clients_; }

  // SHUTDOWN asks the server loop to stop after the current batch's replies are written.
  // While a script is busy (server/scripting/script_busy.h) it calls ServeWhileBusy, which
  // runs the event loop's ready handlers so other clients are answered meanwhile. The event
  // loop installs the function; without one (in-process tests) nothing is served.
  void set_serve_while_busy(std::function<void()> serve) { serve_while_busy_ = std::move(serve); }
  void ServeWhileBusy() {
    if (serve_while_busy_) serve_while_busy_();
  }

  // The forkless BGSAVE's walk runs in slices between the loop's other handlers
  // (server/rdb/rdb_control.h, RunSnapshotSlice). The event loop installs the scheduler
  // that starts them; without one (in-process tests) the cron advances the walk.
  void set_snapshot_scheduler(std::function<void()> schedule) {
    snapshot_scheduler_ = std::move(schedule);
  }
  // CONFIG SET port / bind: rebinds the RESP listeners to the configured addresses and port;
  // "" when done, else why not (the old listeners then stay). Set by the network server;
  // without one (in-process tests) there is nothing to rebind.
  void set_listener_rebinder(std::function<std::string()> rebind) {
    listener_rebinder_ = std::move(rebind);
  }
  std::string RebindListeners() { return listener_rebinder_ ? listener_rebinder_() : ""; }
  // REPLICAOF: (re)starts the link to the configured primary, or ends it when this server
  // is a primary now. Set by the network server; without one there is no link.
  void set_primary_link_restarter(std::function<void()> restart) {
    primary_link_restarter_ = std::move(restart);
  }
  bool can_replicate() const { return static_cast<bool>(primary_link_restarter_); }
  void RestartPrimaryLink() {
    if (primary_link_restarter_) primary_link_restarter_();
  }
  bool has_snapshot_scheduler() const { return static_cast<bool>(snapshot_scheduler_); }
  void ScheduleSnapshotSlices() {
    if (snapshot_scheduler_) snapshot_scheduler_();
  }

  void RequestShutdown() { shutdown_requested_ = true; }
  bool shutdown_requested() const { return shutdown_requested_; }
  void set_on_shutdown(std::function<void()> fn) { on_shutdown_ = std::move(fn); }
  void NotifyShutdown() {
    if (on_shutdown_) on_shutdown_();
  }

 private:
  // Hands one command to the propagation listener.
  void Emit(int db, std::span<const std::string_view> argv, int targets = kPropagateAll);

  ServerConfig config_;
  storage::Keyspace keyspace_;
  storage::ActiveExpirer active_expirer_;
  bool active_expire_enabled_ = true;
  ServerStats stats_;
  PersistenceState persistence_;
  AofState aof_;
  CommandStats command_stats_;
  Slowlog slowlog_;
  LatencyMonitor latency_monitor_;
  storage::Evictor evictor_;
  storage::EvictionConfig eviction_config_;
  int64_t start_time_ms_ = 0;
  std::function<uint64_t()> memory_gauge_;  // unset: AllocatorUsedBytes
  std::string data_root_;  // "" in the server: data files are relative to the working dir
  uint64_t dirty_ = 0;
  uint64_t propagated_commands_ = 0;
  uint64_t last_client_id_ = 0;
  std::unordered_map<uint64_t, ClientState*> clients_;
  WatchRegistry watches_{keyspace_};
  BlockedClients blocked_clients_{keyspace_};
  PropagationListener propagation_listener_;
  ReplicationState replication_;
  scripting::ScriptRuntime script_runtime_;
  scripting::ScriptEngine scripts_{script_runtime_};
  scripting::FunctionEngine functions_{script_runtime_};
  int propagation_depth_ = 0;
  int propagation_targets_ = kPropagateAll;
  struct HeldCommand {
    int db;
    std::vector<std::string> argv;
    int targets;
  };
  std::vector<HeldCommand> held_commands_;
  int64_t pause_end_ms_ = 0;
  bool pause_writes_only_ = false;
  std::vector<ClientState*> held_for_pause_;  // in the order held
  WakeQueue wakeups_;
  PubSubRegistry pubsub_{wakeups_};
  MonitorFeed monitors_{wakeups_};
  KeyspaceNotifier notifier_{pubsub_};
  ClientState* current_client_ = nullptr;
  TrackingRegistry tracking_{wakeups_, keyspace_, [this](uint64_t id) -> ClientState* {
                               auto found = clients_.find(id);
                               return found == clients_.end() ? nullptr : found->second;
                             }};
  bool shutdown_requested_ = false;
  std::function<void()> serve_while_busy_;
  std::function<void()> snapshot_scheduler_;
  std::function<std::string()> listener_rebinder_;
  std::function<void()> primary_link_restarter_;
  std::function<void()> on_shutdown_;
};

}  // namespace ember::server
