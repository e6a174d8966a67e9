// Helpers for the AOF integration tests: starting ember-server (and the reference
// redis-server) with the append-only file on a data directory, waiting for rewrites through
// INFO, reading the manifest and the commands of an incremental file, running processes that
// are expected to exit (refused starts, --check-aof, redis-check-aof), and one deterministic
// write workload that exercises every way a command is propagated. Datasets, temporary
// directories and file I/O come from rdb_test_util.h.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/integration/rdb_test_util.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_fixture.h"
#include "tests/support/server_process.h"

namespace ember::test::aof {

using rdb::Dataset;
using rdb::ReadDataset;
using rdb::ReadFile;
using rdb::TempDir;
using rdb::WriteFile;

// ember-server on `dir` with the AOF on and save points off, so a restart can only come
// back through the AOF.
inline ServerProcess StartAof(const std::string& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--dir", dir, "--appendonly", "yes", "--save", ""};
  args.insert(args.end(), extra.begin(), extra.end());
  return ServerProcess::StartEmber(args);
}

inline std::string AofDir(const std::string& dir) { return dir + "/appendonlydir"; }
inline std::string ManifestPath(const std::string& dir) {
  return AofDir(dir) + "/appendonly.aof.manifest";
}

// Names in `path`, sorted; empty when it does not exist.
inline std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The file names of the manifest's lines of `type` ("b", "h" or "i"), in order. Only the
// plain form Ember and Redis write (unquoted `file NAME seq N type T`).
inline std::vector<std::string> ManifestFiles(const std::string& dir, const std::string& type) {
  std::istringstream in(ReadFile(ManifestPath(dir)));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, value, file, line_type;
    while (words >> key >> value) {
      if (key == "file") file = value;
      if (key == "type") line_type = value;
    }
    if (line_type == type) out.push_back(file);
  }
  return out;
}
inline std::string LastIncrPath(const std::string& dir) {
  const auto incrs = ManifestFiles(dir, "i");
  return incrs.empty() ? "" : AofDir(dir) + "/" + incrs.back();
}
inline std::string BasePath(const std::string& dir) {
  const auto bases = ManifestFiles(dir, "b");
  return bases.empty() ? "" : AofDir(dir) + "/" + bases.front();
}

// One field of INFO persistence as a number; -1 when absent.
inline long long InfoInt(RedisClient& client, const std::string& field) {
  const std::string value = InfoField(client.Command({"INFO", "persistence"}).str, field);
  return value.empty() ? -1 : std::stoll(value);
}

// Sends each command to a fresh ember-server and a fresh reference redis-server: the replies
// must be equal, and so must the change each makes to rdb_changes_since_last_save (the
// dirty counter that decides propagation and save points).
inline void ExpectDirtyCountsMatchReference(const std::vector<std::vector<std::string>>& sent) {
  ServerProcess ember = ServerProcess::StartEmber();
  ServerProcess redis = ServerProcess::StartReference();
  RedisClient ember_client(ember.port());
  RedisClient redis_client(redis.port());
  for (const std::vector<std::string>& command : sent) {
    const long long ember_before = InfoInt(ember_client, "rdb_changes_since_last_save");
    const long long redis_before = InfoInt(redis_client, "rdb_changes_since_last_save");
    EXPECT_EQ(ember_client.Command(command), redis_client.Command(command)) << command[0];
    EXPECT_EQ(InfoInt(ember_client, "rdb_changes_since_last_save") - ember_before,
              InfoInt(redis_client, "rdb_changes_since_last_save") - redis_before)
        << command[0] << " " << (command.size() > 1 ? command[1] : "");
  }
}

// Polls INFO persistence until a rewrite newer than `rewrites_before` has finished (and
// none is running or scheduled). Fails the test after `timeout`.
inline bool WaitForRewrite(RedisClient& client, long long rewrites_before,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  std::string info;
  const bool done = WaitFor(
      [&] {
        info = client.Command({"INFO", "persistence"}).str;
        return std::stoll("0" + InfoField(info, "aof_rewrites")) > rewrites_before &&
               InfoField(info, "aof_rewrite_in_progress") == "0" &&
               InfoField(info, "aof_rewrite_scheduled") == "0";
      },
      timeout);
  EXPECT_TRUE(done) << "no AOF rewrite finished in time; INFO persistence:\n" << info;
  return done;
}

// BGREWRITEAOF and wait for it; checks that it succeeded.
inline void Rewrite(RedisClient& client) {
  const long long before = InfoInt(client, "aof_rewrites");
  Reply reply = client.Command({"BGREWRITEAOF"});
  ASSERT_NE(reply.type, Reply::Type::kError) << reply.ToString();
  ASSERT_TRUE(WaitForRewrite(client, before));
  EXPECT_EQ(InfoField(client.Command({"INFO", "persistence"}).str, "aof_last_bgrewrite_status"),
            "ok");
}

// Polls INFO until aof_buffer_length is 0: every acknowledged write is in the kernel. Under
// everysec, as in Redis, a write made while the background fsync runs is postponed (its
// reply still goes out) until the fsync ends, for up to 2 s; a SIGKILL then loses it by
// contract. Tests that expect nothing lost across a SIGKILL wait for this first.
inline bool WaitForAofWritten(RedisClient& client) {
  const bool written =
      WaitFor([&] { return InfoInt(client, "aof_buffer_length") == 0; }, std::chrono::seconds(5));
  EXPECT_TRUE(written) << "the AOF buffer was not written within 5 s";
  return written;
}

// How a test stops a server before restarting it on the same directory. kSigkill waits
// for the acknowledged writes to reach the kernel (WaitForAofWritten), then SIGKILLs.
enum class StopKind { kShutdown, kSigkill };
inline const char* StopKindName(StopKind kind) {
  return kind == StopKind::kShutdown ? "Shutdown" : "Sigkill";
}
inline void StopServer(ServerProcess& server, StopKind kind) {
  ASSERT_TRUE(server.running()) << "the server is not running:\n" << server.ReadLog();
  RedisClient client(server.port());
  if (kind == StopKind::kSigkill) {
    if (InfoInt(client, "aof_enabled") == 1) WaitForAofWritten(client);
    server.Kill();
    return;
  }
  client.Command({"SHUTDOWN"});
  const std::optional<int> status = server.WaitForExit(std::chrono::seconds(10));
  ASSERT_TRUE(status.has_value()) << "SHUTDOWN did not stop the server";
  EXPECT_EQ(*status, 0) << server.ReadLog();
}

// Commands of a RESP log (incremental file, or a base written without the RDB preamble),
// with the byte offset each starts at. Stops at the first incomplete command; `complete`
// is the length of the prefix made of whole commands. `#` annotation lines are skipped.
struct ParsedLog {
  std::vector<std::vector<std::string>> commands;
  std::vector<size_t> starts;
  size_t complete = 0;
};
inline ParsedLog ParseLog(std::string_view data) {
  ParsedLog out;
  size_t pos = 0;
  auto read_line = [&](size_t& at, std::string* line) {
    const size_t end = data.find("\r\n", at);
    if (end == std::string_view::npos) return false;
    *line = std::string(data.substr(at, end - at));
    at = end + 2;
    return true;
  };
  while (pos < data.size()) {
    size_t at = pos;
    std::string line;
    if (!read_line(at, &line)) break;
    if (line.starts_with("#")) {
      pos = out.complete = at;
      continue;
    }
    if (!line.starts_with("*")) break;
    const long argc = std::stol(line.substr(1));
    std::vector<std::string> argv;
    for (long i = 0; i < argc; ++i) {
      if (!read_line(at, &line) || !line.starts_with("$")) break;
      const size_t len = std::stoul(line.substr(1));
      if (at + len + 2 > data.size()) break;
      argv.emplace_back(data.substr(at, len));
      at += len + 2;
    }
    if (static_cast<long>(argv.size()) != argc) break;
    out.starts.push_back(pos);
    out.commands.push_back(std::move(argv));
    pos = out.complete = at;
  }
  return out;
}

// A command in the wire form the AOF stores.
inline std::string Resp(const std::vector<std::string>& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& arg : argv) {
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  }
  return out;
}

// A process expected to exit on its own: exit status (-1: killed by a signal, -2: it
// started serving instead, or never ended) and its output.
struct ExitResult {
  int status = -2;
  std::string log;
};
inline ExitResult RunToExit(const std::string& binary, const std::string& argv0,
                            std::vector<std::string> args, bool is_server) {
  ServerProcess::SpawnOptions options;
  options.binary = binary;
  options.argv0 = argv0;
  if (is_server) {
    options.port = ServerProcess::FreePort();
    args.insert(args.end(), {"--port", std::to_string(options.port), "--http-port", "0"});
  }
  options.args = std::move(args);
  ServerProcess process = ServerProcess::Spawn(options);
  ExitResult result;
  if (is_server && process.WaitUntilReady(std::chrono::seconds(10))) {
    result.log = process.ReadLog();
    return result;
  }
  result.status = process.WaitForExit(std::chrono::seconds(30)).value_or(-2);
  result.log = process.ReadLog();
  return result;
}
// Starts ember-server with `args` and expects it to refuse: see ExitResult.
inline ExitResult RunEmberToExit(std::vector<std::string> args) {
  return RunToExit(ServerProcess::EmberBinary(), "", std::move(args), /*is_server=*/true);
}
inline ExitResult EmberCheckAof(const std::string& path) {
  return RunToExit(ServerProcess::EmberBinary(), "", {"--check-aof", path}, false);
}
// Debian's redis-tools ships the real tool; it dispatches on argv[0] like redis-server.
inline ExitResult RedisCheckAof(const std::string& path) {
  return RunToExit(ServerProcess::ReferenceBinary(), "redis-check-aof", {path}, false);
}

// The reference redis-server with the AOF on `dir` (StartReference forces it off).
inline ServerProcess StartReferenceAof(const std::string& dir,
                                       std::vector<std::string> extra = {}) {
  auto spawn = [&] {
    ServerProcess::SpawnOptions options;
    options.binary = ServerProcess::ReferenceBinary();
    options.argv0 = "redis-server";
    options.port = ServerProcess::FreePort();
    options.args = {"--port",       std::to_string(options.port),
                    "--bind",       "127.0.0.1",
                    "--daemonize",  "no",
                    "--save",       "",
                    "--appendonly", "yes",
                    "--dir",        dir};
    options.args.insert(options.args.end(), extra.begin(), extra.end());
    return ServerProcess::Spawn(options);
  };
  ServerProcess process = spawn();
  for (int attempt = 1; !process.WaitUntilReady(); ++attempt) {
    const std::string log = process.ReadLog();
    process.Kill();
    if (attempt == 3) {
      ADD_FAILURE() << "redis-server with appendonly yes did not start:\n" << log;
      break;
    }
    process = spawn();
  }
  return process;
}

// Sends `args` and fails the test on an error reply.
inline Reply Must(RedisClient& client, const std::vector<std::string>& args) {
  Reply reply = client.Command(args);
  EXPECT_NE(reply.type, Reply::Type::kError) << args[0] << ": " << reply.ToString();
  return reply;
}

// One round of writes that covers each way a command reaches the log: plain writes,
// counters, relative expiries (rewritten to absolute), expiry removal, deletes (also via a
// past EXPIRE), a transaction, key moves across databases, FLUSHDB and SWAPDB, binary
// values. Keys carry `round` so later rounds add to earlier ones. TTLs are long, so a
// dataset read before a restart compares exactly with the one after it.
inline void WriteWorkload(RedisClient& c, int round) {
  const std::string p = "r" + std::to_string(round) + ":";
  // An argument starting with '@' is a key: '@' stands for this round's prefix.
  // clang-format off
  const std::vector<std::vector<std::string>> commands = {
      {"SELECT", "0"}, {"SET", "@s", "hello"}, {"APPEND", "@s", " world"},
      {"APPEND", "@fresh", "appended"}, {"SETRANGE", "@s", "1", "EY"}, {"SET", "@n", "10"},
      {"INCR", "@n"}, {"INCR", "@n"}, {"INCR", "@n"}, {"INCRBY", "@n", "-7"}, {"DECR", "@n"},
      {"INCRBYFLOAT", "@f", "1.25"}, {"SET", "@ex", "v", "EX", "1000"},
      {"SET", "@px", "v", "PX", "2000000"}, {"SETEX", "@setex", "3000", "v"},
      {"SET", "@e", "v"}, {"EXPIRE", "@e", "4000"}, {"SET", "@pe", "v"},
      {"PEXPIRE", "@pe", "5000000"}, {"SET", "@persist", "v", "EX", "100"},
      {"PERSIST", "@persist"}, {"GETEX", "@s", "EX", "6000"}, {"SET", "@s", "kept", "KEEPTTL"},
      {"SET", "@gone", "v"}, {"DEL", "@gone"}, {"SET", "@unlinked", "v"}, {"UNLINK", "@unlinked"},
      {"SET", "@past", "v"}, {"EXPIRE", "@past", "-1"}, {"MSET", "@m1", "1", "@m2", "2"},
      {"GETSET", "@m1", "one"}, {"GETDEL", "@m2"}, {"RENAME", "@m1", "@renamed"},
      {"COPY", "@renamed", "@copied", "DB", "3"}, {"SET", "@moved", "v"}, {"MOVE", "@moved", "4"},
      {"MULTI"}, {"SET", "@tx1", "a"}, {"INCR", "@txn"}, {"EXPIRE", "@tx1", "7000"},
      {"SET", "@tx2", "b", "PX", "8000000"}, {"EXEC"},
      {"SELECT", "1"}, {"SET", "@db1", "one"}, {"INCR", "@db1n"},
      {"SELECT", "2"}, {"SET", "@flushed", "v"}, {"FLUSHDB"}, {"SET", "@after-flush", "v"},
      {"SELECT", "6"}, {"SET", "@swapped", "from-6"}, {"SWAPDB", "6", "7"},
      {"SELECT", "15"}, {"SET", "@last-db", "v", "EXAT", "4102444800"}, {"SELECT", "0"}};
  // clang-format on
  for (std::vector<std::string> command : commands) {
    for (std::string& arg : command) {
      if (arg.starts_with("@")) arg = p + arg.substr(1);
    }
    Must(c, command);
  }
  Must(c, {"SET", p + "bin", std::string("a\r\n\0*1\r\n$", 9) + p});
}

// The commands of the set's last incremental file, each with the database it applies to
// (-1 before the first SELECT) and its name upper-cased.
struct LoggedCommand {
  int db;
  std::vector<std::string> argv;
};
inline std::vector<LoggedCommand> ReadLoggedCommands(const std::string& dir) {
  std::vector<LoggedCommand> out;
  int db = -1;
  for (auto argv : ParseLog(ReadFile(LastIncrPath(dir))).commands) {
    for (char& c : argv[0]) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (argv[0] == "SELECT") db = std::stoi(argv[1]);
    out.push_back({db, std::move(argv)});
  }
  return out;
}

// The argv of each command the last incremental file holds for database 0, SELECTs left out.
inline std::vector<std::vector<std::string>> LoggedInDb0(const std::string& dir) {
  std::vector<std::vector<std::string>> out;
  for (const LoggedCommand& command : ReadLoggedCommands(dir)) {
    if (command.db == 0 && command.argv[0] != "SELECT") out.push_back(command.argv);
  }
  return out;
}

}  // namespace ember::test::aof
