#include "storage/lifecycle/access_clock.h"

#include <gtest/gtest.h>

#include <random>

#include "storage/keyspace/keyspace.h"
#include "storage/value/value.h"

namespace ember::storage {
namespace {

constexpr int64_t kMinute = 60 * 1000;
// Some unix time, on a minute boundary.
constexpr int64_t kT0 = 1'700'000'040'000;

TEST(AccessClockTest, LruClockIsSecondsModulo24Bits) {
  EXPECT_EQ(LruClock(kT0), static_cast<uint32_t>(kT0 / 1000) & kLruClockMax);
  EXPECT_EQ(LruIdleMs(LruClock(kT0), kT0 + 999), 0);
  EXPECT_EQ(LruIdleMs(LruClock(kT0), kT0 + 5'000), 5'000);
}

TEST(AccessClockTest, LruIdleSurvivesTheWrap) {
  const int64_t wrap_ms = static_cast<int64_t>(kLruClockMax + 1) * 1000;
  const int64_t before_wrap = wrap_ms * 100 - 3'000;  // clock = kLruClockMax - 2
  EXPECT_EQ(LruClock(before_wrap), kLruClockMax - 2);
  // Redis's formula after the wrap: clock + (max - stamp) ticks.
  EXPECT_EQ(LruIdleMs(LruClock(before_wrap), before_wrap + 10'000), (7 + 2) * 1000);
}

TEST(AccessClockTest, LfuStartsAtInitValAndPacksTheMinute) {
  AccessTracking lfu{.mode = AccessMode::kLfu};
  const uint32_t access = InitialAccess(lfu, kT0);
  EXPECT_EQ(access & 0xff, kLfuInitVal);
  EXPECT_EQ(access >> 8, LfuMinutes(kT0));
}

TEST(AccessClockTest, LfuIncrementIsLogarithmic) {
  // At or below the initial value every access counts; above it, the chance falls as
  // 1 / ((counter - 5) * factor + 1).
  EXPECT_EQ(LfuLogIncr(0, 10, 0.999), 1u);
  EXPECT_EQ(LfuLogIncr(kLfuInitVal, 10, 0.999), kLfuInitVal + 1);
  EXPECT_EQ(LfuLogIncr(6, 10, 1.0 / 11 - 1e-9), 7u);
  EXPECT_EQ(LfuLogIncr(6, 10, 1.0 / 11 + 1e-9), 6u);
  EXPECT_EQ(LfuLogIncr(kLfuCounterMax, 10, 0.0), kLfuCounterMax);

  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  uint32_t counter = kLfuInitVal;
  for (int i = 0; i < 1000; ++i) counter = LfuLogIncr(counter, 10, uniform(rng));
  // Redis's table for factor 10: about 18 after 1000 hits (142 after 100K).
  EXPECT_GT(counter, 13u);
  EXPECT_LT(counter, 26u);
  uint32_t linear = kLfuInitVal;
  for (int i = 0; i < 1000; ++i) linear = LfuLogIncr(linear, 0, uniform(rng));
  EXPECT_EQ(linear, kLfuCounterMax);  // factor 0: every hit counts, saturating
}

TEST(AccessClockTest, LfuDecaysOnePerDecayPeriod) {
  const uint32_t access = LfuPack(20, kT0);
  EXPECT_EQ(LfuDecayedCounter(access, kT0 + kMinute - 1, 1), 20u);
  EXPECT_EQ(LfuDecayedCounter(access, kT0 + 3 * kMinute, 1), 17u);
  EXPECT_EQ(LfuDecayedCounter(access, kT0 + 6 * kMinute, 2), 17u);
  EXPECT_EQ(LfuDecayedCounter(access, kT0 + 100 * kMinute, 1), 0u);
  EXPECT_EQ(LfuDecayedCounter(access, kT0 + 100 * kMinute, 0), 20u);  // 0: never decays
}

TEST(AccessClockTest, TouchUnderLfuDecaysThenIncrements) {
  AccessTracking lfu{.mode = AccessMode::kLfu, .lfu_log_factor = 10, .lfu_decay_time = 1};
  const uint32_t access = LfuPack(10, kT0);
  // 4 minutes later: 10 - 4 = 6, then a certain increment (random 0) gives 7.
  const uint32_t touched = TouchedAccess(lfu, access, kT0 + 4 * kMinute, 0.0);
  EXPECT_EQ(touched & 0xff, 7u);
  EXPECT_EQ(touched >> 8, LfuMinutes(kT0 + 4 * kMinute));
}

TEST(AccessClockTest, TouchUnderLruStampsTheClock) {
  AccessTracking lru;
  EXPECT_EQ(TouchedAccess(lru, 0, kT0 + 12'345, 0.5), LruClock(kT0 + 12'345));
}

class DatabaseAccessTest : public ::testing::Test {
 protected:
  Keyspace keyspace_{1};
  Database& db() { return keyspace_.db(0); }
  uint32_t Access(std::string_view key) { return db().FindStored(key)->access(); }
};

TEST_F(DatabaseAccessTest, AddStampsAtTheLookupTimeAndFindTouches) {
  ASSERT_EQ(db().Find("k", kT0), nullptr);
  db().Add("k", Value::String("v"));
  EXPECT_EQ(Access("k"), LruClock(kT0));
  ASSERT_NE(db().Find("k", kT0 + 5'000), nullptr);
  EXPECT_EQ(Access("k"), LruClock(kT0 + 5'000));
  ASSERT_NE(db().FindForRead("k", kT0 + 9'000), nullptr);
  EXPECT_EQ(Access("k"), LruClock(kT0 + 9'000));
}

TEST_F(DatabaseAccessTest, NoTouchLookupsLeaveTheStamp) {
  db().Find("k", kT0);
  db().Add("k", Value::String("v"));
  ASSERT_NE(db().FindNoTouch("k", kT0 + 5'000), nullptr);
  ASSERT_NE(db().FindForReadNoTouch("k", kT0 + 6'000), nullptr);
  EXPECT_EQ(Access("k"), LruClock(kT0));
  EXPECT_EQ(keyspace_.stats().keyspace_hits, 1u);
}

TEST_F(DatabaseAccessTest, SuspendedTrackingLeavesTheStamp) {
  db().Find("k", kT0);
  db().Add("k", Value::String("v"));
  keyspace_.set_access_suspended(true);
  db().Find("k", kT0 + 5'000);
  EXPECT_EQ(Access("k"), LruClock(kT0));
  keyspace_.set_access_suspended(false);
  db().Find("k", kT0 + 5'000);
  EXPECT_EQ(Access("k"), LruClock(kT0 + 5'000));
}

TEST_F(DatabaseAccessTest, OverwriteAndMutateKeepTheField) {
  keyspace_.set_access_tracking({.mode = AccessMode::kLfu});
  db().Find("k", kT0);
  Entry* entry = db().Add("k", Value::String("v"));
  entry->set_access(LfuPack(77, kT0));
  entry = db().Overwrite(entry, Value::String(std::string(300, 'x')));
  EXPECT_EQ(Access("k") & 0xff, 77u);
  ValueMutation mutation = db().Mutate(entry);
  mutation.value().str().Append("more");
  entry = mutation.Finish();
  EXPECT_EQ(entry->value().size(), 304u);
  EXPECT_EQ(Access("k") & 0xff, 77u);
}

}  // namespace
}  // namespace ember::storage
