#include "embedded/embedded_engine.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <filesystem>

#include "server/aof/aof_control.h"
#include "server/command/command_table.h"
#include "server/config/config_loader.h"
#include "server/core/ascii.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/rdb/rdb_control.h"
#include "server/rdb/rdb_startup.h"

namespace ember::embedded {
namespace {

constexpr std::string_view kErrNoDirectory =
    "ERR this Ember store keeps its data in memory only; open it with a path to write files";

// Between two slices of a snapshot walk the lock is free this long at least.
constexpr int64_t kLeastSliceGapMicros = 50;

bool NameIs(std::string_view arg, std::string_view lower_name) {
  if (arg.size() != lower_name.size()) return false;
  for (size_t i = 0; i < arg.size(); ++i) {
    if (server::AsciiLower(arg[i]) != lower_name[i]) return false;
  }
  return true;
}

// What a memory-only engine refuses: the commands that write data files, which would
// otherwise land in the host program's working directory.
bool WritesFiles(std::span<const std::string_view> args) {
  const std::string_view name = args[0];
  if (NameIs(name, "save") || NameIs(name, "bgsave") || NameIs(name, "bgrewriteaof")) return true;
  if (NameIs(name, "shutdown")) {
    for (std::string_view arg : args.subspan(1)) {
      if (NameIs(arg, "save")) return true;
    }
  }
  if (NameIs(name, "debug") && args.size() >= 2 &&
      (NameIs(args[1], "reload") || NameIs(args[1], "loadaof"))) {
    return true;
  }
  if (NameIs(name, "config") && args.size() >= 3 && NameIs(args[1], "set")) {
    for (std::string_view arg : args.subspan(2)) {
      if (NameIs(arg, "appendonly")) return true;
    }
  }
  return false;
}

}  // namespace

std::shared_ptr<EmbeddedEngine> EmbeddedEngine::Open(const std::vector<std::string>& settings,
                                                     const std::string& data_dir,
                                                     std::string* error) {
  std::vector<std::string> argv{"ember"};
  argv.insert(argv.end(), settings.begin(), settings.end());
  const bool persistent = !data_dir.empty();
  std::string root;
  if (persistent) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    root = std::filesystem::absolute(data_dir, ec).lexically_normal().string();
    if (ec || !std::filesystem::is_directory(root)) {
      *error = "cannot use '" + data_dir + "' as the data directory";
      return nullptr;
    }
    argv.insert(argv.end(), {"--dir", root});
  } else {
    argv.insert(argv.end(), {"--save", "", "--appendonly", "no"});
  }
  server::ConfigLoadResult loaded = server::LoadConfig(argv);
  if (loaded.outcome != server::ConfigLoadResult::Outcome::kRun) {
    *error = loaded.outcome == server::ConfigLoadResult::Outcome::kError
                 ? loaded.message
                 : "not a setting: " + loaded.message;
    return nullptr;
  }
  if (!server::ConfigureLogging(loaded.config.loglevel, loaded.config.logfile, error)) {
    return nullptr;
  }
  std::shared_ptr<EmbeddedEngine> engine(new EmbeddedEngine(std::move(loaded.config), persistent));
  if (persistent) engine->state_.set_data_root(root);
  if (!engine->LoadAtOpen(error)) return nullptr;
  engine->background_ = std::thread([raw = engine.get()] { raw->RunBackground(); });
  return engine;
}

EmbeddedEngine::EmbeddedEngine(server::ServerConfig config, bool persistent)
    : state_(std::move(config)),
      dispatcher_(server::CommandTable::Default(), state_),
      cron_(state_),
      persistent_(persistent) {
  state_.set_start_time_ms(server::UnixMillis());
  // The host's allocations are not the engine's: used_memory and maxmemory count the data.
  state_.set_memory_gauge([this] { return state_.keyspace().used_memory(); });
  // Called with the lock held (BGSAVE runs as a command): the walk runs on the background
  // thread in slices, each under the lock.
  state_.set_snapshot_scheduler([this] {
    snapshot_running_ = true;
    background_wake_.notify_one();
  });
  state_.set_on_shutdown([this] { closed_ = true; });
}

EmbeddedEngine::~EmbeddedEngine() {
  StopBackground();
  std::lock_guard lock(mutex_);
  if (!closed_) {
    std::string ignored;
    Close(CloseSave::kDefault, &ignored);
  }
}

// The server loads on its event loop in chunks; here nobody can call in until Open returns,
// so the same coroutine runs to its end on a private io_context.
bool EmbeddedEngine::LoadAtOpen(std::string* error) {
  boost::asio::io_context io(1);
  bool loaded = false;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, server::LoadDatasetAtStartup(state_),
                        [&](std::exception_ptr e, bool ok) {
                          failure = e;
                          loaded = ok;
                        });
  io.run();
  if (failure || !loaded) {
    *error =
        "the data files in '" + state_.config().dir + "' could not be loaded (the log says why)";
    return false;
  }
  return true;
}

void EmbeddedEngine::Attach(server::ClientState& client) {
  client.id = state_.NextClientId();
  client.created_ms = server::UnixMillis();
  client.last_interaction_ms = client.created_ms;
  client.authenticated = state_.config().requirepass.empty();
  // "host:port"-shaped, as clients parse CLIENT LIST and MONITOR lines (redis-py splits at
  // the last colon); the "port" is the client's id.
  client.address = "in-process:" + std::to_string(client.id);
  client.local_address = "in-process:0";
  state_.RegisterClient(&client);
}

void EmbeddedEngine::Detach(server::ClientState& client) {
  state_.blocked_clients().Unblock(client);
  state_.ReleaseFromPause(client);
  state_.UnregisterClient(&client);
}

void EmbeddedEngine::Execute(std::span<const std::string_view> args, server::ClientState& client,
                             protocol::ReplyWriter& reply, int64_t now_ms) {
  if (!persistent_ && !args.empty() && WritesFiles(args)) {
    reply.Error(kErrNoDirectory);
    return;
  }
  dispatcher_.Execute(args, client, reply, now_ms);
  AfterCommand();
}

bool EmbeddedEngine::FlushForReplies(int64_t now_ms) {
  return server::FlushAofForReplies(state_, now_ms);
}

void EmbeddedEngine::AfterCommand() {
  if (state_.shutdown_requested() && !closed_) {
    closed_ = true;
    background_wake_.notify_one();
  }
  changed_.notify_all();
}

bool EmbeddedEngine::Close(CloseSave save, std::string* error) {
  if (closed_) return true;
  server::FlushAofBeforeShutdown(state_);
  const server::ShutdownSave mode = save == CloseSave::kSave     ? server::ShutdownSave::kSave
                                    : save == CloseSave::kNoSave ? server::ShutdownSave::kNoSave
                                                                 : server::ShutdownSave::kDefault;
  if (persistent_ && !server::SaveBeforeShutdown(state_, mode)) {
    *error = "the dump could not be saved in '" + state_.config().dir + "' (the log says why)";
    return false;
  }
  closed_ = true;
  background_wake_.notify_one();
  changed_.notify_all();
  return true;
}

// `hz` cron ticks; between them, while a forkless BGSAVE runs, its slices back to back
// (each under the lock, so callers interleave with the walk as clients do in the server).
void EmbeddedEngine::RunBackground() {
  std::unique_lock lock(mutex_);
  auto next_tick = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (closed_) {
      background_wake_.wait(lock);
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_tick) {
      cron_.Tick();
      changed_.notify_all();
      next_tick = now + std::chrono::microseconds(1'000'000 / state_.config().hz);
    }
    auto wake_at = next_tick;
    if (snapshot_running_) {
      const int64_t wait_us = server::RunSnapshotSlice(state_);
      if (wait_us < 0) snapshot_running_ = false;
      // Even a walk with no wait lets go of the lock between slices, so callers get in.
      if (wait_us >= 0) {
        wake_at = std::min(wake_at, now + std::chrono::microseconds(
                                              std::max<int64_t>(wait_us, kLeastSliceGapMicros)));
      }
      changed_.notify_all();
    }
    if (wake_at > std::chrono::steady_clock::now()) background_wake_.wait_until(lock, wake_at);
  }
}

void EmbeddedEngine::StopBackground() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  background_wake_.notify_one();
  if (background_.joinable()) background_.join();
}

}  // namespace ember::embedded
