// Runs a real client program (redis-cli, python3, node) to completion for the
// client-compatibility tests, feeding it stdin and capturing stdout and stderr separately.
//
// Each call forks one child in its own process group and waits for it, polling both output
// pipes; a child still running at the deadline is killed with its whole group, and the result
// says so. Not thread-safe with respect to SIGCHLD handling of other code: call it from the
// test's main thread.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace ember::test {

struct ClientRun {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  std::vector<std::pair<std::string, std::string>> env;  // added to (or overriding) ours
  std::string stdin_data;                                // fed through a temp file
  std::string cwd;                                       // empty: inherit
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

struct ClientResult {
  int exit_code = -1;  // WEXITSTATUS, or -1 when killed by a signal or never started
  bool timed_out = false;
  std::string out;
  std::string err;

  // "exit N" / "killed after timeout", followed by both streams: for failure messages.
  std::string Describe() const;
};

// Runs `run` to completion (or until its timeout). A program that cannot be executed
// yields exit_code 127 and a message on `err`.
ClientResult RunClient(const ClientRun& run);

// True when `program` (a name searched in PATH, or a path) names an executable file.
bool HaveProgram(const std::string& program);

// $EMBER_SOURCE_DIR when set (CTest sets it), else the repository root derived from this
// source file's location.
std::string SourceDir();

}  // namespace ember::test
