#include "server/core/allocation_counter.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace ember::server {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
TEST(AllocationCounterTest, SanitizerBuildsLeaveCountingToTheRuntime) {
  EXPECT_FALSE(AllocatedBytes().has_value());
}
#else
constexpr uint64_t kBlock = 1 << 20;

uint64_t Now() { return AllocatedBytes().value(); }

// Keeps the compiler from eliding an allocation whose block is never used.
void* Escape(void* block) {
  asm volatile("" : : "r"(block) : "memory");
  return block;
}

TEST(AllocationCounterTest, MallocAndFreeMoveTheCount) {
  const uint64_t before = Now();
  void* block = Escape(std::malloc(kBlock));
  ASSERT_NE(block, nullptr);
  EXPECT_GE(Now(), before + kBlock);
  std::free(block);
  EXPECT_LT(Now(), before + kBlock / 2);
}

TEST(AllocationCounterTest, ReallocCountsOnlyTheNewSize) {
  const uint64_t before = Now();
  void* block = Escape(std::malloc(64));
  block = Escape(std::realloc(block, kBlock));
  ASSERT_NE(block, nullptr);
  EXPECT_GE(Now(), before + kBlock);
  EXPECT_LT(Now(), before + kBlock + 4096);
  block = Escape(std::realloc(block, 64));
  EXPECT_LT(Now(), before + 4096);
  std::free(block);
}

TEST(AllocationCounterTest, CxxAllocationsAndAlignedBlocksAreCounted) {
  const uint64_t before = Now();
  auto bytes = std::make_unique<std::vector<char> >(kBlock);
  EXPECT_GE(Now(), before + kBlock);
  bytes.reset();
  void* aligned = nullptr;
  ASSERT_EQ(posix_memalign(&aligned, 4096, kBlock), 0);
  Escape(aligned);
  EXPECT_GE(Now(), before + kBlock);
  std::free(aligned);
  void* zeroed = Escape(std::calloc(kBlock / 8, 8));
  EXPECT_GE(Now(), before + kBlock);
  std::free(zeroed);
  EXPECT_LT(Now(), before + 4096);
}
#endif

}  // namespace
}  // namespace ember::server
