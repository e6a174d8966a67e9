#include "storage/table/scan_cursor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>

namespace ember::storage {
namespace {

TEST(ScanCursorTest, AWalkVisitsEveryBucketOnceInReverseBinaryOrder) {
  const uint64_t mask = 63;
  std::set<uint64_t> seen;
  uint64_t cursor = 0;
  do {
    EXPECT_TRUE(seen.insert(cursor).second) << cursor;
    cursor = NextScanCursor(cursor, mask);
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 64u);
  EXPECT_EQ(NextScanCursor(0, mask), 32u);  // the top bit moves first
}

TEST(ScanCursorTest, AheadIsThatManyStepsOfTheWalk) {
  for (uint64_t mask : {uint64_t{0}, uint64_t{1}, uint64_t{15}, uint64_t{1023}}) {
    uint64_t cursor = 0;
    for (int position = 0; position < 40; ++position) {
      uint64_t walked = cursor;
      for (uint64_t steps = 0; steps <= 20; ++steps) {
        EXPECT_EQ(ScanCursorAhead(cursor, mask, steps), walked)
            << "mask " << mask << " position " << position << " steps " << steps;
        walked = NextScanCursor(walked, mask);  // 0 after the last bucket: the walk wraps
      }
      cursor = NextScanCursor(cursor, mask);
    }
  }
}

}  // namespace
}  // namespace ember::storage
