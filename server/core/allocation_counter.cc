#include "server/core/allocation_counter.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define EMBER_SANITIZER_RUNTIME 1
#endif
#endif
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && \
    !defined(EMBER_SANITIZER_RUNTIME)
#define EMBER_COUNT_ALLOCATIONS 1
#endif

#if defined(EMBER_COUNT_ALLOCATIONS)

#include <malloc.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>

extern "C" {
void* __libc_malloc(size_t size);
void __libc_free(void* block);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* block, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void* __libc_valloc(size_t size);
void* __libc_pvalloc(size_t size);
}

namespace {

// Signed: blocks may be freed on another thread than the one that counted them.
std::atomic<int64_t> allocated_bytes{0};

// What a block really costs: its usable size plus glibc's size header, so the figure hides
// nothing (it matches mallinfo2's count of in-use chunks).
int64_t Cost(void* block) {
  return static_cast<int64_t>(malloc_usable_size(block) + sizeof(size_t));
}

void* Counted(void* block) {
  if (block != nullptr) allocated_bytes.fetch_add(Cost(block), std::memory_order_relaxed);
  return block;
}

void Uncount(void* block) {
  if (block != nullptr) allocated_bytes.fetch_sub(Cost(block), std::memory_order_relaxed);
}

}  // namespace

extern "C" {

void* malloc(size_t size) { return Counted(__libc_malloc(size)); }

void free(void* block) {
  Uncount(block);
  __libc_free(block);
}

void* calloc(size_t count, size_t size) { return Counted(__libc_calloc(count, size)); }

void* realloc(void* block, size_t size) {
  if (block == nullptr) return malloc(size);
  if (size == 0) {
    free(block);
    return nullptr;
  }
  const int64_t old_cost = Cost(block);
  void* grown = __libc_realloc(block, size);
  if (grown == nullptr) return nullptr;  // the old block is untouched
  allocated_bytes.fetch_sub(old_cost, std::memory_order_relaxed);
  return Counted(grown);
}

void* reallocarray(void* block, size_t count, size_t size) {
  size_t total = 0;
  if (__builtin_mul_overflow(count, size, &total)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(block, total);
}

void* memalign(size_t alignment, size_t size) { return Counted(__libc_memalign(alignment, size)); }

void* aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* block = memalign(alignment, size);
  if (block == nullptr) return ENOMEM;
  *out = block;
  return 0;
}

void* valloc(size_t size) { return Counted(__libc_valloc(size)); }

void* pvalloc(size_t size) { return Counted(__libc_pvalloc(size)); }

}  // extern "C"

namespace ember::server {

std::optional<uint64_t> AllocatedBytes() {
  const int64_t bytes = allocated_bytes.load(std::memory_order_relaxed);
  return static_cast<uint64_t>(bytes > 0 ? bytes : 0);
}

}  // namespace ember::server

#else

namespace ember::server {

std::optional<uint64_t> AllocatedBytes() { return std::nullopt; }

}  // namespace ember::server

#endif
