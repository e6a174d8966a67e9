// ServerConfig: every setting, named as in redis.conf. The member initializers are the
// defaults, the only place they are written: the settings registry (config_setting.h) reads
// them from a default-constructed ServerConfig for --help and CONFIG REWRITE. Filled once
// at startup from the config file and flags (config_loader.h), changed by CONFIG SET;
// handlers read it through ServerState on the engine thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/net/output_buffer_limit.h"

namespace ember::server {

// `save <seconds> <changes>`: snapshot when at least `changes` writes happened and more
// than `seconds` passed since the last save.
struct SavePoint {
  int64_t seconds;
  int64_t changes;
};

struct ServerConfig {
  std::string config_file;  // absolute path, empty when started without one
  int port = 6379;
  std::vector<std::string> bind = {"127.0.0.1", "::1"};
  int hz = 10;
  int databases = 16;
  std::string loglevel = "notice";  // debug | verbose | notice | warning
  std::string logfile;              // empty: standard output
  std::string dir = ".";
  std::string dbfilename = "dump.rdb";
  std::string requirepass;
  int64_t maxclients = 10000;
  int64_t timeout = 0;  // idle client timeout in seconds; 0 disables
  int64_t tcp_keepalive = 300;
  int64_t tcp_backlog = 511;
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  bool protected_mode = true;
  // Who may run DEBUG (Redis's enable-debug-command): "no", "yes", or "local" (loopback).
  std::string enable_debug_command = "no";
  // client-output-buffer-limit: normal, replica and pubsub classes.
  OutputBufferLimits client_output_buffer_limits;
  int active_expire_effort = 1;
  // RDB snapshots (server/rdb/). Empty save_points disables automatic saves.
  std::vector<SavePoint> save_points = {{3600, 1}, {300, 100}, {60, 10000}};
  bool rdbcompression = true;
  bool rdbchecksum = true;
  bool stop_writes_on_bgsave_error = true;
  // BGSAVE, save points and AOF rewrites fork a child (Redis's way) instead of the forkless
  // snapshot.
  bool snapshot_fork = false;
  // Microseconds the forkless snapshot waits after each step of its walk, one key or one
  // empty bucket (Redis's rdb-key-save-delay, for tests: a save that lasts while a test
  // changes the data).
  int rdb_key_save_delay = 0;
  // Append-only file (server/aof/). Paths are relative to `dir`.
  bool appendonly = false;
  std::string appendfsync = "everysec";  // always | everysec | no
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  bool aof_use_rdb_preamble = true;
  bool aof_load_truncated = true;
  int64_t auto_aof_rewrite_percentage = 100;  // 0 disables automatic rewrites
  int64_t auto_aof_rewrite_min_size = 64LL * 1024 * 1024;
  bool no_appendfsync_on_rewrite = false;
  // Introspection (SLOWLOG, LATENCY) and memory policy, as CONFIG GET/SET name them.
  int64_t slowlog_log_slower_than = 10000;  // microseconds; negative disables, 0 logs all
  int64_t slowlog_max_len = 128;
  // Milliseconds a script runs before other clients get BUSY and SCRIPT KILL is accepted;
  // 0 never (Redis's busy-reply-threshold, alias lua-time-limit).
  int64_t busy_reply_threshold = 5000;
  int64_t latency_monitor_threshold = 0;  // milliseconds; 0 disables the monitor
  int64_t maxmemory = 0;                  // bytes; 0 means no limit
  std::string maxmemory_policy = "noeviction";
  int64_t maxmemory_samples = 5;
  int lfu_log_factor = 10;  // LFU counter growth: higher needs more hits per step
  int lfu_decay_time = 1;   // minutes per LFU counter decrement; 0 never decays
  // When hashes and sets leave their compact encodings, and list nodes' size
  // (storage/value/encoding_limits.h).
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int64_t list_max_listpack_size = -2;      // a list node's limit (storage/value/list_value.h)
  int64_t list_compress_depth = 0;          // raw nodes at each end of a new list (list_value.h)
  int64_t zset_max_listpack_entries = 128;  // storage/value/zset_value.h
  int64_t zset_max_listpack_value = 64;
  int64_t stream_node_max_bytes = 4096;  // storage/value/stream_value.h
  int64_t stream_node_max_entries = 100;
  // A sparse HyperLogLog that would grow past this many bytes becomes dense
  // (storage/ops/hll_sparse.h).
  int64_t hll_sparse_max_bytes = 3000;
  // notify-keyspace-events: NotifyClass bits (server/pubsub/keyspace_events.h).
  uint32_t notify_keyspace_events = 0;
  // Client-side caching: keys remembered for tracking clients before some are invalidated
  // to make room (0: no bound).
  int64_t tracking_table_max_keys = 1000000;
  // Replication (server/replication/). An empty replicaof_host: this server is a primary.
  std::string replicaof_host;
  int replicaof_port = 0;
  std::string masterauth;
  std::string masteruser;
  bool replica_read_only = true;
  bool replica_serve_stale_data = true;
  bool repl_diskless_sync = true;
  int64_t repl_diskless_sync_delay = 5;         // seconds
  int64_t repl_diskless_sync_max_replicas = 0;  // 0: wait the whole delay
  int64_t repl_backlog_size = 1LL << 20;
  int64_t repl_backlog_ttl = 3600;        // seconds without replicas before the backlog goes
  int64_t repl_timeout = 60;              // seconds
  int64_t repl_ping_replica_period = 10;  // seconds
  int64_t min_replicas_to_write = 0;
  int64_t min_replicas_max_lag = 10;  // seconds
  int64_t replica_priority = 100;
  std::string replica_announce_ip;
  int64_t replica_announce_port = 0;
  bool replica_announced = true;
  // Settings CONFIG GET/SET accept and report but Ember does not act on yet, by name.
  std::map<std::string, std::string, std::less<>> passive_settings;
  // HTTP adapter (server/http/). http_port 0 disables it; an empty http_bind means `bind`;
  // http_max_body 0 means proto_max_bulk_len; http_header_timeout is in ms (0: none);
  // http_sse_heartbeat is the ms between comments on an idle event stream (0: none);
  // http_cors_origin, when set, is sent as Access-Control-Allow-Origin.
  int http_port = 8080;
  // Whether http-port was given (flag or file). The default port, when taken by another
  // instance, only leaves the adapter off; a port asked for must be had.
  bool http_port_explicit = false;
  std::vector<std::string> http_bind;
  int64_t http_max_body = 0;
  int64_t http_header_timeout = 10000;
  int64_t http_sse_heartbeat = 15000;
  std::string http_cors_origin;
};

}  // namespace ember::server
