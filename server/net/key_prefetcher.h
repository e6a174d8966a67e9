// KeyPrefetcher: hides the memory latency of key lookups in a pipelined batch.
//
// A lookup in a large keyspace misses the cache twice: once for the bucket slot, once for
// the entry it points to. With sixteen commands buffered those misses need not be paid one
// after the other. Before the batch's next commands run, Start() parses ahead through them
// (a separate parser, consuming nothing) and starts loading the bucket of each one's first
// argument; before each command runs, Next() starts loading the entry at the head of the
// bucket of the command two places later, whose bucket line has arrived by then.
//
// Only hints: a first argument that is no key, a SELECT inside the batch or a key that is
// not first in its chain costs a wasted prefetch, never a wrong result. A batch of one
// command (no pipelining) is never scanned.
//
// Threading: one per connection, engine thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/resp_parser.h"
#include "storage/keyspace/database.h"

namespace ember::server {

class KeyPrefetcher {
 public:
  // Commands scanned per Start(); bounds the look-ahead work and the hints in flight.
  static constexpr size_t kMaxAhead = 32;

  // Forgets the previous batch (its buffer may have changed).
  void Clear();
  // Whether every scanned command has run, so the next one needs a new Start().
  bool exhausted() const { return next_ >= ahead_.size(); }
  // Scans up to kMaxAhead complete commands at the front of `rest` (the bytes after the
  // command about to run) and prefetches their keys' buckets in `db`. `limits` are the
  // connection parser's, so the look-ahead never holds a command that parser would refuse
  // (an unauthenticated client's 11th argument ends it).
  void Start(std::string_view rest, const storage::Database& db,
             const protocol::ParserLimits& limits);
  // Call once before each command of the batch runs, the first one included.
  void Next(const storage::Database& db);

 private:
  struct Ahead {
    uint64_t hash = 0;
    bool has_key = false;
  };
  protocol::RespParser lookahead_;
  std::vector<Ahead> ahead_;
  size_t next_ = 0;
};

}  // namespace ember::server
