// LazyFree: small values are destroyed at once, large collections on the background thread,
// and every handed-over value is destroyed (WaitForLazyFree returns once they are).
#include "storage/value/lazy_free.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "tests/unit/storage/value/fake_collection.h"

namespace ember::storage {
namespace {

// A FakeList that records the thread that destroyed it.
class RecordingList final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kList;
  RecordingList(size_t size, std::thread::id* destroyed_on, std::atomic<int>* destroyed)
      : Collection(kType, CollectionEncoding::kQuicklist, sizeof(RecordingList)),
        size_(size),
        destroyed_on_(destroyed_on),
        destroyed_(destroyed) {}
  ~RecordingList() override {
    *destroyed_on_ = std::this_thread::get_id();
    destroyed_->fetch_add(1);
  }
  std::unique_ptr<Collection> Clone() const override { return nullptr; }
  size_t Size() const override { return size_; }

 private:
  size_t size_;
  std::thread::id* destroyed_on_;
  std::atomic<int>* destroyed_;
};

TEST(LazyFreeTest, SmallCollectionsAndStringsAreDestroyedAtOnce) {
  std::thread::id destroyed_on;
  std::atomic<int> destroyed{0};
  DisposeValue(
      Value::Box(std::make_unique<RecordingList>(kLazyFreeThreshold, &destroyed_on, &destroyed)));
  EXPECT_EQ(destroyed.load(), 1);
  EXPECT_EQ(destroyed_on, std::this_thread::get_id());
  DisposeValue(Value::String(std::string(100, 'x')));  // ASan checks the block is freed
}

TEST(LazyFreeTest, LargeCollectionsAreDestroyedOnTheBackgroundThread) {
  std::thread::id destroyed_on;
  std::atomic<int> destroyed{0};
  const uint64_t freed_before = GetLazyFreeStats().freed;
  DisposeValue(Value::Box(
      std::make_unique<RecordingList>(kLazyFreeThreshold + 1, &destroyed_on, &destroyed)));
  WaitForLazyFree();
  EXPECT_EQ(destroyed.load(), 1);
  EXPECT_NE(destroyed_on, std::this_thread::get_id());
  EXPECT_EQ(GetLazyFreeStats().freed, freed_before + 1);
  EXPECT_EQ(GetLazyFreeStats().pending, 0u);
}

TEST(LazyFreeTest, ManyHandOversAreAllDestroyed) {
  std::thread::id destroyed_on;
  std::atomic<int> destroyed{0};
  for (int i = 0; i < 200; ++i) {
    DisposeValue(Value::Box(std::make_unique<RecordingList>(1000, &destroyed_on, &destroyed)));
  }
  WaitForLazyFree();
  EXPECT_EQ(destroyed.load(), 200);
}

TEST(LazyFreeTest, ARealCollectionsBlocksAreFreedInTheBackground) {
  auto list = std::make_unique<FakeList>();
  for (size_t i = 0; i <= kLazyFreeThreshold; ++i) list->Push("item " + std::to_string(i));
  DisposeValue(Value::Box(std::move(list)));
  WaitForLazyFree();  // LeakSanitizer reports any block the thread did not free
  EXPECT_EQ(GetLazyFreeStats().pending, 0u);
}

}  // namespace
}  // namespace ember::storage
