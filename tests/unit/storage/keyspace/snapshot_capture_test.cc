// Point-in-time snapshots at the storage level: while a capture is attached, every key
// present at the start reaches it exactly once with its value and TTL as of the start,
// whatever changes meanwhile (overwrites, deletes, TTLs, expiry, FLUSHDB, SWAPDB, keys
// added and removed again); keys added meanwhile never do; and the next snapshot, after one
// finished or was abandoned, again sees every key.
#include "storage/keyspace/snapshot_capture.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "storage/keyspace/keyspace.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'000'000;

std::string StringOf(const Entry& entry) {
  std::string out;
  entry.value().AppendTo(&out);
  return out;
}

// "db:key" -> "value@expire"; a second capture of one key fails the test.
class RecordingCapture : public SnapshotCapture {
 public:
  void Capture(int db, const Entry& entry) override {
    const std::string name = std::to_string(db) + ":" + std::string(entry.key());
    const std::string state = StringOf(entry) + "@" + std::to_string(ExpireOf(entry));
    EXPECT_TRUE(seen.emplace(name, state).second) << "captured twice: " << name;
  }
  static int64_t ExpireOf(const Entry& entry) {
    return entry.has_expire() ? entry.expire_at() : -1;
  }
  std::map<std::string, std::string> seen;
};

class SnapshotCaptureTest : public ::testing::Test {
 protected:
  SnapshotCaptureTest() : keyspace_(3) {
    for (int db = 0; db < 3; ++db) {
      for (int i = 0; i < 2000; ++i) {
        Set(db, "k" + std::to_string(i), "v" + std::to_string(i));
      }
    }
    Database& zero = keyspace_.db(0);
    zero.Find("k8", kNow);  // the clock Add stamps with
    (void)zero.SetExpire(zero.Find("k8", kNow), kNow + 500);
  }

  void Set(int db, const std::string& key, const std::string& value) {
    Database& database = keyspace_.db(db);
    Entry* entry = database.Find(key, kNow);
    if (entry == nullptr) {
      database.AddString(key, value);
    } else {
      (void)database.OverwriteString(entry, value);
    }
  }

  // What a snapshot taken now must hold.
  std::map<std::string, std::string> State() {
    std::map<std::string, std::string> out;
    for (int db = 0; db < keyspace_.database_count(); ++db) {
      keyspace_.db(db).ForEach([&](const Entry& entry) {
        out[std::to_string(db) + ":" + std::string(entry.key())] =
            StringOf(entry) + "@" + std::to_string(RecordingCapture::ExpireOf(entry));
      });
    }
    return out;
  }

  void WalkToTheEnd() {
    while (!keyspace_.SnapshotStep(64)) {
    }
    keyspace_.EndSnapshot();
  }

  Keyspace keyspace_;
};

TEST_F(SnapshotCaptureTest, EveryKeyIsCapturedOnceAsOfTheStartWhateverHappensMeanwhile) {
  const std::map<std::string, std::string> before = State();
  RecordingCapture capture;
  keyspace_.BeginSnapshot(&capture);
  ASSERT_FALSE(keyspace_.SnapshotStep(100));  // part of the walk done
  Database& zero = keyspace_.db(0);
  for (int i = 0; i < 2000; i += 3) Set(0, "k" + std::to_string(i), "changed");
  for (int i = 1; i < 2000; i += 3) zero.Delete("k" + std::to_string(i));
  for (int i = 0; i < 500; ++i) Set(0, "new" + std::to_string(i), "new");
  zero.Delete("new1");
  zero.AddString("k1", "re-added");  // deleted above, so captured with its old value
  (void)zero.SetExpire(zero.Find("k2", kNow), kNow + 100);
  zero.RemoveExpire(zero.Find("k8", kNow));
  Database& one = keyspace_.db(1);
  (void)one.SetExpire(one.Find("k5", kNow), kNow - 1);
  EXPECT_EQ(one.Find("k5", kNow + 1), nullptr);  // expired: deleted by the lookup
  keyspace_.SwapDatabases(1, 2);
  keyspace_.db(2).Clear();
  WalkToTheEnd();
  EXPECT_EQ(capture.seen, before);
  EXPECT_FALSE(keyspace_.snapshot_running());

  // The next snapshot starts with every key pending again.
  const std::map<std::string, std::string> now = State();
  RecordingCapture second;
  keyspace_.BeginSnapshot(&second);
  WalkToTheEnd();
  EXPECT_EQ(second.seen, now);
}

TEST_F(SnapshotCaptureTest, TheWalkCoversKeysMovedByAResizeMidWalk) {
  const std::map<std::string, std::string> before = State();
  RecordingCapture capture;
  keyspace_.BeginSnapshot(&capture);
  ASSERT_FALSE(keyspace_.SnapshotStep(300));
  for (int i = 0; i < 20000; ++i) Set(0, "grow" + std::to_string(i), "x");  // the table grows
  keyspace_.RehashSteps(100000);
  WalkToTheEnd();
  EXPECT_EQ(capture.seen, before);
}

TEST_F(SnapshotCaptureTest, AnAbandonedSnapshotLeavesTheNextOneComplete) {
  RecordingCapture abandoned;
  keyspace_.BeginSnapshot(&abandoned);
  ASSERT_FALSE(keyspace_.SnapshotStep(100));
  Set(0, "k3", "changed");
  keyspace_.AbandonSnapshot();
  EXPECT_FALSE(keyspace_.snapshot_running());
  EXPECT_LT(abandoned.seen.size(), State().size());
  Set(0, "k4", "after");  // no capture attached: nothing is handed over

  const std::map<std::string, std::string> now = State();
  RecordingCapture next;
  keyspace_.BeginSnapshot(&next);
  WalkToTheEnd();
  EXPECT_EQ(next.seen, now);
}

}  // namespace
}  // namespace ember::storage
