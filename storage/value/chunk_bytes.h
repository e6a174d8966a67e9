// ChunkBytes: what one malloc request costs in the heap, the unit every memory figure of the
// keyspace counts in (entry blocks, long strings' blocks, each block a collection owns).
//
// Accounting chunks rather than requests keeps Database::memory_bytes() close to what the
// allocator reports (INFO used_memory), so used_memory_dataset and MEMORY STATS describe the
// real split. Stateless.
#pragma once

#include <cstddef>

namespace ember::storage {

// glibc's malloc adds an 8-byte chunk header, rounds up to 16 bytes and never hands out
// less than 32.
constexpr size_t ChunkBytes(size_t request) {
  const size_t chunk = (request + 8 + 15) & ~static_cast<size_t>(15);
  return chunk < 32 ? 32 : chunk;
}

}  // namespace ember::storage
