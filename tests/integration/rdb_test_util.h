// Helpers for the RDB integration tests: temporary data directories, dataset snapshots read
// over the wire (SCAN + GET + PEXPIRETIME per database) for comparing two servers, and
// bulk loading through pipelined commands.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace ember::test::rdb {

using ::ember::test::TempDir;

// Runs the reference binary as redis-check-rdb; (exit status, output).
inline std::pair<int, std::string> RedisCheckRdb(const std::string& path) {
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::ReferenceBinary();
  options.argv0 = "redis-check-rdb";
  options.args = {path};
  ServerProcess check = ServerProcess::Spawn(options);
  std::optional<int> status = check.WaitForExit(std::chrono::seconds(30));
  return {status.value_or(-1), check.ReadLog()};
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

// "db:key" -> (value, absolute expiry in ms or -1).
using Dataset = std::map<std::string, std::pair<std::string, long long>>;

inline Dataset ReadDataset(RedisClient& client, int databases = 16) {
  Dataset out;
  for (int db = 0; db < databases; ++db) {
    client.Command({"SELECT", std::to_string(db)});
    std::string cursor = "0";
    for (int guard = 0; guard < 1'000'000; ++guard) {
      Reply page = client.Command({"SCAN", cursor, "COUNT", "1000"});
      if (page.type != Reply::Type::kArray || page.elements.size() != 2) {
        ADD_FAILURE() << "SCAN failed: " << page.ToString();
        return out;
      }
      for (const Reply& key : page.elements[1].elements) {
        client.Append({"GET", key.str});
        client.Append({"PEXPIRETIME", key.str});
      }
      for (const Reply& key : page.elements[1].elements) {
        Reply value = client.ReadReply();
        Reply expire = client.ReadReply();
        out[std::to_string(db) + ":" + key.str] = {value.str, expire.integer};
      }
      cursor = page.elements[0].str;
      if (cursor == "0") break;
    }
  }
  client.Command({"SELECT", "0"});
  return out;
}

// Sends `count` commands built by make(i) pipelined in batches, checking no reply is an error.
template <typename MakeCommand>
void Pipeline(RedisClient& client, size_t count, MakeCommand make) {
  constexpr size_t kBatch = 10'000;
  for (size_t start = 0; start < count; start += kBatch) {
    const size_t end = std::min(count, start + kBatch);
    for (size_t i = start; i < end; ++i) client.Append(make(i));
    for (size_t i = start; i < end; ++i) {
      Reply r = client.ReadReply();
      ASSERT_NE(r.type, Reply::Type::kError) << r.ToString();
    }
  }
}

// Polls INFO persistence until the background save ends; returns its final INFO text.
inline std::string WaitForBgsave(RedisClient& client) {
  std::string info;
  for (int i = 0; i < 600; ++i) {
    info = client.Command({"INFO", "persistence"}).str;
    if (info.find("rdb_bgsave_in_progress:0") != std::string::npos) return info;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "BGSAVE did not finish within 30 s";
  return info;
}

// A value of every kind the encoder treats differently, chosen by i.
inline std::string MixedValue(size_t i) {
  switch (i % 7) {
    case 0:
      return std::to_string(i);  // small integer
    case 1:
      return std::to_string(-static_cast<long long>(i) * 100003);
    case 2:
      return "9223372036854775807";  // text beyond int32
    case 3:
      return "";  // empty
    case 4:
      return std::string("b\0\xff\r\n", 5) + std::to_string(i);  // binary
    case 5:
      return "lzf-" + std::string(30 + i % 200, 'r');  // compressible
    default:
      return "v" + std::to_string(i * 7919);  // short text
  }
}

// `count` keys spread over databases 0, 1 and 5; every third key has an expiry far in the
// future (so PEXPIRETIME compares exactly across servers).
inline void FillMixed(RedisClient& client, size_t count) {
  const int dbs[] = {0, 1, 5};
  for (int db : dbs) {
    client.Command({"SELECT", std::to_string(db)});
    Pipeline(client, count / 3, [&](size_t i) -> std::vector<std::string> {
      const size_t n = i * 3 + static_cast<size_t>(db);
      const std::string key = "key:" + std::to_string(n);
      if (n % 3 == 0) {
        return {"SET", key, MixedValue(n), "PXAT", std::to_string(4102444800000 + n)};
      }
      return {"SET", key, MixedValue(n)};
    });
  }
  client.Command({"SELECT", "0"});
}

// A version-10 dump built by hand, independent of any server's writer: `count` keys
// "key:<i>" in db 0 with values "value-<i>" padded with 'p' to at least `value_size` bytes,
// plain length-prefixed strings, no checksum (a zero trailer). Lets tests start a server
// on a large dataset in a second instead of pipelining it in.
inline std::string SyntheticDump(size_t count, size_t value_size) {
  auto put_length = [](std::string& out, size_t n) {
    if (n < 64) {
      out.push_back(static_cast<char>(n));
    } else if (n < 16384) {
      out.push_back(static_cast<char>(0x40 | (n >> 8)));
      out.push_back(static_cast<char>(n & 0xff));
    } else {
      out.push_back(static_cast<char>(0x80));
      for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(n >> (8 * i)));
    }
  };
  std::string out = "REDIS0010";
  out += std::string("\xfe\x00", 2);
  for (size_t i = 0; i < count; ++i) {
    const std::string key = "key:" + std::to_string(i);
    std::string value = "value-" + std::to_string(i);
    if (value.size() < value_size) value.append(value_size - value.size(), 'p');
    out.push_back('\0');
    put_length(out, key.size());
    out += key;
    put_length(out, value.size());
    out += value;
  }
  out.push_back(static_cast<char>(0xff));
  out += std::string(8, '\0');
  return out;
}

// $EMBER_SOURCE_DIR/tests/golden/rdb/<name>, or the folder found from this header's path.
inline std::string GoldenPath(const std::string& name) {
  const char* root = std::getenv("EMBER_SOURCE_DIR");
  std::filesystem::path base =
      root != nullptr && *root != '\0'
          ? std::filesystem::path(root)
          : std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  return (base / "tests" / "golden" / "rdb" / name).string();
}

// The children of process `pid` (a BGSAVE or AOF rewrite child), from /proc.
inline std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> out;
  pid_t child;
  while (in >> child) out.push_back(child);
  return out;
}

}  // namespace ember::test::rdb
