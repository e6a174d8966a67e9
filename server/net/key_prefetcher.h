// KeyPrefetcher: hides the memory latency of key lookups in a pipelined batch.
//
// A lookup in a large keyspace misses the cache at least twice: once for the bucket slot,
// once for the entry it points to, and again for each entry it walks past in the chain.
// With sixteen commands buffered those misses need not be paid one after the other. When
// a batch starts, Start() parses ahead through its commands (a separate parser, consuming
// nothing) and prefetches in stages across all of them: every key's bucket (a command's
// first argument; for EVAL, EVALSHA, FCALL and their _RO forms, the keys after numkeys),
// then the entry at the head of each bucket, then the entry after it, then what the
// values of the keys found point to (a long string's block, a collection's object and,
// for types that say so, the memory their common write touches first). Each stage waits
// for the memory of the previous one about once, since its loads were all in flight
// together, instead of once per command.
//
// Only hints: a first argument that is no key, a SELECT inside the batch or a key deeper
// in its chain costs a wasted prefetch, never a wrong result. A batch of one command (no
// pipelining) is never scanned.
//
// Threading: one per connection, engine thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/resp_parser.h"
#include "storage/keyspace/database.h"

namespace ember::server {

class KeyPrefetcher {
 public:
  // Commands scanned per Start(); bounds the look-ahead work and the lines in flight.
  static constexpr size_t kMaxAhead = 32;
  // A script's keys hinted at most, per command.
  static constexpr size_t kMaxScriptKeys = 8;

  // Forgets the previous batch (its buffer may have changed).
  void Clear();
  // Call before each command of a batch runs, with its arguments and the bytes after it. When every
  // scanned command has run and more follow, scans this command and up to kMaxAhead - 1 complete
  // ones at the front of `rest`, and prefetches their keys in `db`. `limits` are the connection
  // parser's, so the look-ahead never holds a command that parser would refuse (an unauthenticated
  // client's 11th argument ends it).
  void BeforeCommand(std::span<const std::string_view> args, std::string_view rest,
                     const storage::Database& db, const protocol::ParserLimits& limits);
  // Commands the last scan covered (the one it started at included), 0 before any.
  size_t scanned() const { return scanned_; }
  // Keys the last scan hinted.
  size_t keys_hinted() const { return keys_.size(); }

 private:
  void Start(std::span<const std::string_view> args, std::string_view rest,
             const storage::Database& db, const protocol::ParserLimits& limits);
  // Adds the keys of the command `args` to keys_.
  void AddKeysOf(std::span<const std::string_view> args);

  struct Key {
    std::string_view name;  // into the batch's input: valid during Start() only
    uint64_t hash = 0;
  };
  // Steps of Entry::PrefetchValue taken at most (a stream's append needs four).
  static constexpr int kMaxValueSteps = 4;

  void PrefetchValues(const storage::Database& db);

  protocol::RespParser lookahead_;
  std::vector<Key> keys_;  // of the scanned commands that have one
  std::vector<const storage::Entry*> values_;
  size_t scanned_ = 0;  // commands scanned by the last Start()
  size_t ran_ = 0;      // of those, how many have run
};

}  // namespace ember::server
