// ember-server: parses the configuration, sets up logging and the engine, and runs the
// event loop until SHUTDOWN or a signal.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "persistence/aof_check.h"
#include "persistence/rdb_check.h"
#include "server/config/config_loader.h"
#include "server/core/clock.h"
#include "server/core/data_dir_check.h"
#include "server/core/fd_limit.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/net/network_server.h"

namespace {

using ember::server::Log;
using ember::server::LogLevel;
using ember::server::UnixMillis;

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  // `ember-server --check-rdb FILE` validates a dump like redis-check-rdb, then exits.
  if (args.size() == 3 && args[1] == "--check-rdb") {
    std::string report;
    const bool ok = ember::persistence::CheckRdbFile(args[2], &report).ok();
    std::fputs(report.c_str(), stdout);
    return ok ? 0 : 1;
  }
  // `ember-server --check-aof DIR|MANIFEST|FILE` validates an AOF like redis-check-aof.
  if (args.size() == 3 && args[1] == "--check-aof") {
    std::string report;
    const bool ok = ember::persistence::CheckAofPath(args[2], &report).ok();
    std::fputs(report.c_str(), stdout);
    return ok ? 0 : 1;
  }
  auto loaded = ember::server::LoadConfig(args);
  if (loaded.outcome == ember::server::ConfigLoadResult::Outcome::kExitSuccess) {
    std::fputs(loaded.message.c_str(), stdout);
    std::fputs("\n", stdout);
    return 0;
  }
  if (loaded.outcome == ember::server::ConfigLoadResult::Outcome::kError) {
    std::fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR ***\n%s\n", loaded.message.c_str());
    return 1;
  }
  ember::server::ServerConfig config = std::move(loaded.config);

  // Like Redis, `dir` is applied first, so a relative logfile lands inside it.
  std::error_code ec;
  std::filesystem::current_path(config.dir, ec);
  if (ec) {
    std::fprintf(stderr, "Can't chdir to '%s': %s\n", config.dir.c_str(), ec.message().c_str());
    return 1;
  }
  std::string error;
  if (!ember::server::ConfigureLogging(config.loglevel, config.logfile, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }

  Log(LogLevel::kNotice, "oO0OoO0OoO0Oo Ember is starting oO0OoO0OoO0Oo");
  Log(LogLevel::kNotice, "Ember version={}, bits=64, pid={}, just started", EMBER_VERSION,
      getpid());
  if (config.config_file.empty()) {
    Log(LogLevel::kWarning,
        "No config file specified, using the default config. In order to specify a config "
        "file use {} /path/to/ember.conf",
        args[0]);
  }

  ember::server::IgnoreFileSizeSignal();
  if (!ember::server::CheckDataDirWritable(config, &error)) {
    Log(LogLevel::kWarning, "{}", error);
    return 1;
  }

  // Every client is a descriptor: raise the limit for maxclients, or lower maxclients.
  const ember::server::FdLimitOutcome fds = ember::server::AdjustOpenFilesLimit(config.maxclients);
  if (fds.too_low_to_start) return 1;
  config.maxclients = fds.maxclients;

  ember::server::ServerState state(std::move(config));
  state.set_start_time_ms(UnixMillis());
  ember::server::NetworkServer server(state);
  if (!server.Listen(&error)) {
    Log(LogLevel::kWarning, "{}", error);
    return 1;
  }
  Log(LogLevel::kNotice, "Server initialized; port={} pid={}", state.config().port, getpid());
  return server.Run();
}
