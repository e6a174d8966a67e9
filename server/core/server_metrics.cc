#include "server/core/server_metrics.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "server/core/allocation_counter.h"
#include "server/core/server_state.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define EMBER_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define EMBER_SANITIZER_ALLOCATOR 1
#endif
#endif
#if defined(EMBER_SANITIZER_ALLOCATOR)
// Part of the sanitizer runtime's public allocator interface.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace ember::server {
namespace {

uint64_t ResidentBytes() {
  long pages = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    long size = 0;
    if (std::fscanf(f, "%ld %ld", &size, &pages) != 2) pages = 0;
    std::fclose(f);
  }
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

// The server binary counts its allocations (allocation_counter.h); the sanitizers replace
// the allocator and count for themselves. mallinfo2 is only the last resort: it is slow on
// a fragmented heap.
uint64_t AllocatorUsedBytes() {
#if defined(EMBER_SANITIZER_ALLOCATOR)
  return __sanitizer_get_current_allocated_bytes();
#else
  if (const std::optional<uint64_t> counted = AllocatedBytes()) return *counted;
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

MemoryMetrics CollectMemory(ServerState& state) {
  CommandStats& stats = state.command_stats();
  MemoryMetrics m;
  m.used = state.UsedMemory();
  stats.NoteMemory(m.used);
  m.peak = stats.memory_peak();
  m.startup = stats.memory_startup();
  m.rss = ResidentBytes();
  m.dataset = std::min<uint64_t>(state.keyspace().used_memory(), m.used);
  m.overhead = m.used - m.dataset;
  return m;
}

void SampleServerMetrics(ServerState& state, int64_t now_ms) {
  const ServerStats& s = state.stats();
  CommandStats& stats = state.command_stats();
  stats.ops_rate().Sample(now_ms, s.total_commands_processed);
  stats.input_rate().Sample(now_ms, s.total_net_input_bytes);
  stats.output_rate().Sample(now_ms, s.total_net_output_bytes);
  CollectMemory(state);
}

}  // namespace ember::server
