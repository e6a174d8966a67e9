// The forkless snapshot's file: written in slices while the keyspace changes, it loads as
// exactly the keyspace of the moment the save began (compared with a one-go save taken at
// that moment); a failing sink ends the save with its error and leaves the keyspace ready
// for a complete next snapshot.
#include "persistence/rdb_incremental_save.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using testing::kNowMs;
using testing::LoadFromMemory;
using testing::Put;
using testing::SaveToMemory;

// Keys in databases 0, 2 and 5; every fourth has a TTL; values of every string encoding.
void Fill(storage::Keyspace& ks, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const int db = static_cast<int>(i % 3) == 0 ? 0 : (i % 3 == 1 ? 2 : 5);
    const std::string key = "key:" + std::to_string(i);
    const std::string value = i % 2 == 0 ? std::to_string(i) : std::string(10 + i % 300, 'v');
    Put(ks, db, key, value, i % 4 == 0 ? kNowMs + 100000 + static_cast<int64_t>(i) : -1);
  }
}

// Changes of every kind a snapshot must not see, spread over the walk.
void ChangeEverything(storage::Keyspace& ks, size_t n, size_t round) {
  storage::Database& zero = ks.db(0);
  for (size_t i = round % 7; i < n; i += 7) {
    const std::string key = "key:" + std::to_string(i);
    if (storage::Entry* e = zero.Find(key, kNowMs); e != nullptr) {
      if (i % 2 == 0) {
        (void)zero.OverwriteString(e, "changed");
      } else if (i % 3 == 0) {
        zero.Delete(key);
      } else {
        (void)zero.SetExpire(e, kNowMs + 5);
      }
    }
  }
  for (size_t i = 0; i < 50; ++i) {
    Put(ks, 0, "new:" + std::to_string(i) + ":" + std::to_string(round), "new");
  }
}

TEST(RdbIncrementalSaveTest, TheFileLoadsAsTheKeyspaceOfTheMomentTheSaveBegan) {
  constexpr size_t kKeys = 30000;
  storage::Keyspace live;
  Fill(live, kKeys);
  const std::string at_start = SaveToMemory(live);

  MemorySink sink;
  IncrementalRdbSave save(live, &sink, {}, kNowMs / 1000);
  ASSERT_TRUE(save.status().ok());
  size_t round = 0;
  while (!save.Step(500)) {
    ChangeEverything(live, kKeys, round++);
    if (round == 5) live.db(5).Clear();
    if (round == 8) live.SwapDatabases(0, 2);
  }
  ASSERT_GT(round, 10u) << "the walk should take many slices";
  ASSERT_TRUE(save.Finish().ok()) << save.status().ToString();
  EXPECT_EQ(save.keys(), kKeys);
  EXPECT_FALSE(live.snapshot_running());

  storage::Keyspace expected;
  ASSERT_TRUE(LoadFromMemory(at_start, &expected).ok());
  storage::Keyspace loaded;
  RdbLoadStats stats;
  const Status s = LoadFromMemory(sink.data(), &loaded, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(stats.keys_loaded, kKeys);
  testing::ExpectSameKeyspace(expected, loaded);
}

// Accepts `room` bytes, then fails every write.
class FullSink : public ByteSink {
 public:
  explicit FullSink(size_t room) : room_(room) {}
  Status Write(std::string_view data) override {
    if (data.size() > room_) return Status::Error("No space left on device");
    room_ -= data.size();
    return Status::Ok();
  }

 private:
  size_t room_;
};

TEST(RdbIncrementalSaveTest, AFailingSinkEndsTheSaveAndTheNextSnapshotIsComplete) {
  storage::Keyspace live;
  Fill(live, 20000);
  FullSink full(100 * 1024);
  IncrementalRdbSave failing(live, &full, {}, kNowMs / 1000);
  while (!failing.Step(1000)) {
  }
  EXPECT_FALSE(failing.status().ok());
  EXPECT_EQ(failing.status().message(), "No space left on device");
  EXPECT_FALSE(live.snapshot_running());
  EXPECT_FALSE(failing.Finish().ok());

  const std::string at_start = SaveToMemory(live);
  MemorySink sink;
  IncrementalRdbSave next(live, &sink, {}, kNowMs / 1000);
  ASSERT_TRUE(next.Finish().ok());
  EXPECT_EQ(next.keys(), 20000u);
  storage::Keyspace expected;
  storage::Keyspace loaded;
  ASSERT_TRUE(LoadFromMemory(at_start, &expected).ok());
  ASSERT_TRUE(LoadFromMemory(sink.data(), &loaded).ok());
  testing::ExpectSameKeyspace(expected, loaded);
}

}  // namespace
}  // namespace ember::persistence
