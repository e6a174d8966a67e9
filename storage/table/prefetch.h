// PrefetchForRead: start loading the cache line that holds an address, without waiting.
#pragma once

namespace ember::storage {

// A hint only: `address` may be null or dangling (the CPU drops such prefetches). An asm
// statement on x86 rather than __builtin_prefetch, because GCC 12 at -O3 deleted builtin
// prefetches whose address was itself loaded from memory (a bucket's head pointer) as dead
// code, which silently turned the key prefetcher's entry stage into nothing.
inline void PrefetchForRead(const void* address) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
#endif
}

}  // namespace ember::storage
