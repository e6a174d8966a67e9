// Server-wide measurements shared by INFO, MEMORY STATS and the cron: memory as the
// allocator sees it, and the sampled instantaneous rates (ops/sec, network kbps).
// Engine thread only.
#pragma once

#include <cstdint>

namespace ember::server {

class ServerState;

struct MemoryMetrics {
  uint64_t used = 0;      // bytes the allocator has handed out and not taken back
  uint64_t peak = 0;      // highest `used` seen
  uint64_t startup = 0;   // `used` when the server finished starting
  uint64_t rss = 0;       // resident set size
  uint64_t dataset = 0;   // keys, values and their tables, as the keyspace accounts them
  uint64_t overhead = 0;  // used - dataset: buffers, tables of clients, the server itself
};

// Bytes the process holds from the allocator (INFO used_memory). Cheap: a counter read.
uint64_t AllocatorUsedBytes();

// Reads the allocator and /proc; records a new peak in `state`.
MemoryMetrics CollectMemory(ServerState& state);

// Called by the cron: samples the rates behind instantaneous_ops_per_sec and friends, and
// the memory peak.
void SampleServerMetrics(ServerState& state, int64_t now_ms);

}  // namespace ember::server
