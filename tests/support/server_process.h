// ServerProcess: starts a real server binary (ember-server, or the reference redis-server)
// on a free loopback port, waits until it answers PING, and stops it on destruction.
//
// Used by integration and compatibility tests; never by unit tests. A server gets SIGTERM
// when the thread that started it exits (so a crashed or timed-out test run leaves no
// servers behind): start servers from a thread that outlives them. Failures to start are
// reported with what to install or build, so a missing dependency fails loudly.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.h"

namespace ember::test {

class ServerProcess {
 public:
  // Starts `binary` with `args` plus "--port <free port>" (and, for the reference,
  // persistence off unless `extra_args` turns it on: they come after those defaults). `argv0`
  // overrides argv[0] (the reference binary picks its mode from it). Blocks until PING answers or
  // fails the current test (ADD_FAILURE) after ~10 s. StartEmber adds "--http-port 0" unless
  // `extra_args` holds --http-port.
  static ServerProcess StartEmber(std::vector<std::string> extra_args = {});
  static ServerProcess StartReference(std::vector<std::string> extra_args = {});

  // Low-level start for startup tests: runs `binary` with exactly `args` (no port added) in
  // a fresh workdir after writing `files` (name → content) there, and returns at once
  // without waiting for readiness (names may contain '/': folders are created). `port` is only
  // recorded, for port() and WaitUntilReady().
  struct SpawnOptions {
    std::string binary;
    std::string argv0;  // empty: the binary path
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> files;
    int port = 0;
    // > 0: the child's RLIMIT_NOFILE (soft and hard) before exec, as `prlimit --nofile=N:N`.
    int nofile_limit = 0;
  };
  static ServerProcess Spawn(const SpawnOptions& options);

  ServerProcess(ServerProcess&& other) noexcept;
  ServerProcess& operator=(ServerProcess&& other) noexcept;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();  // Stop()

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& workdir() const;  // fresh temp dir, the cwd
  const std::string& log_path() const { return log_path_; }

  // Sends SIGTERM and waits; returns the exit status (as from waitpid's WEXITSTATUS) or -1
  // if it had to be killed or died from a signal.
  int Stop();
  // Sends SIGKILL and reaps.
  void Kill();
  // Polls PING on port() until it answers +PONG; false when the process exits first, the
  // timeout passes, or the server answering is not this process (another test's server on
  // the same port). Does not fail the test by itself.
  bool WaitUntilReady(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits for the process to exit on its own; returns the exit status as Stop() does, or
  // nullopt if it is still running after `timeout`. After an exit, running() is false.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout);
  // The server's combined stdout/stderr so far.
  std::string ReadLog() const;

  // Path of the ember-server binary under test ($EMBER_SERVER_BIN, set by CTest).
  static std::string EmberBinary();
  // Path of the reference redis-server 7.0 binary; fails the test with an install hint
  // ("run tools/test, or apt-get install redis-tools") when missing.
  static std::string ReferenceBinary();
  // A TCP port on 127.0.0.1 that was free a moment ago.
  static int FreePort();

 private:
  ServerProcess() = default;
  static ServerProcess StartWithRetries(const std::string& binary, const std::string& argv0,
                                        const std::vector<std::string>& extra_args,
                                        const std::vector<std::string>& fixed_args);
  // Reaps the child if it has exited; records the status and clears pid_.
  bool ReapIfExited();

  pid_t pid_ = -1;
  int exit_status_ = -1;
  int port_ = 0;
  std::unique_ptr<TempDir> workdir_;
  std::string log_path_;
};

}  // namespace ember::test
