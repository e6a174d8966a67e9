// AllocationCounter: the bytes the process holds from the C allocator, kept as a running
// count instead of asked of glibc. mallinfo2() walks every free chunk of every arena, which
// after many deletions takes over 100 ms (measured: ~135 ms with 1M freed entries), and the
// cron, INFO and maxmemory need the figure often; Redis keeps the same counter in zmalloc.
//
// How: the server binary wraps the malloc family (malloc, free, calloc, realloc,
// reallocarray, the aligned forms): each call goes to glibc's own implementation
// (__libc_malloc...) and adds or subtracts the block's cost: malloc_usable_size() plus
// glibc's 8-byte chunk header. glibc documents
// this replacement ("Replacing malloc"). The C++ allocator calls malloc, so it is counted too.
//
// Not in sanitizer builds, whose runtimes replace the allocator themselves and report their
// own figure (AllocatedBytes() returns nullopt there).
//
// Threading: the counter is atomic; any thread may allocate.
#pragma once

#include <cstdint>
#include <optional>

namespace ember::server {

// Bytes currently allocated (chunk sizes), or nullopt when this build does not count.
std::optional<uint64_t> AllocatedBytes();

}  // namespace ember::server
