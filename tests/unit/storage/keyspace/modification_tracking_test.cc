// Modification tracking (the WATCH hook): every mutation path of Database reports the key to
// the keyspace observer while tracking is on, flushes and swaps are reported before they
// happen, and nothing is reported while tracking is off.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/value/value.h"
#include "tests/unit/storage/value/fake_collection.h"

namespace ember::storage {
namespace {

class RecordingObserver : public KeyspaceObserver {
 public:
  void OnKeyRemoved(int, std::string_view, RemovalCause) override {}
  void OnKeyModified(int db, std::string_view key) override {
    modified.emplace_back(db, std::string(key));
  }
  void OnDatabaseReplaced(int db, int replacement) override {
    replaced.emplace_back(db, replacement);
    sizes_seen.push_back(keyspace->db(db).size());
  }

  Keyspace* keyspace = nullptr;
  std::vector<std::pair<int, std::string>> modified;
  std::vector<std::pair<int, int>> replaced;
  std::vector<size_t> sizes_seen;
};

constexpr uint32_t kUser = 1;

class ModificationTrackingTest : public ::testing::Test {
 protected:
  ModificationTrackingTest() {
    observer_.keyspace = &keyspace_;
    keyspace_.set_observer(&observer_);
    keyspace_.set_track_modifications(kUser, true);
  }

  std::vector<std::pair<int, std::string>> Take() { return std::exchange(observer_.modified, {}); }

  Keyspace keyspace_;
  RecordingObserver observer_;
  static constexpr int64_t kNow = 1'000'000;
};

using Modified = std::vector<std::pair<int, std::string>>;

TEST_F(ModificationTrackingTest, EveryMutationPathReportsTheKey) {
  Database& db = keyspace_.db(2);
  Entry* entry = db.Add("k", Value::String("a"));
  EXPECT_EQ(Take(), (Modified{{2, "k"}}));
  entry = db.Overwrite(entry, Value::String("b"));
  EXPECT_EQ(Take(), (Modified{{2, "k"}}));
  ValueMutation mutation = db.Mutate(entry);
  mutation.value().str().Append("c");
  EXPECT_EQ(Take(), Modified{});  // reported when the mutation ends, not before
  entry = mutation.Finish();
  EXPECT_EQ(Take(), (Modified{{2, "k"}}));
  entry = db.SetExpire(entry, kNow + 100);
  EXPECT_EQ(Take(), (Modified{{2, "k"}}));
  entry = db.SetExpire(entry, kNow + 200);
  EXPECT_EQ(Take(), (Modified{{2, "k"}}));
  EXPECT_TRUE(db.RemoveExpire(entry));
  EXPECT_EQ(Take(), (Modified{{2, "k"}}));
  EXPECT_TRUE(db.Delete("k"));
  EXPECT_EQ(Take(), (Modified{{2, "k"}}));
}

TEST_F(ModificationTrackingTest, AMutationReportsOnceWhenItEnds) {
  Database& db = keyspace_.db(0);
  {
    OpResult<ValueMutation> created = db.FindOrCreate("new", ValueType::kString, kNow);
    ASSERT_TRUE(created.ok());
    created->value().str().Append("x");
    EXPECT_TRUE(Take().empty());
  }
  EXPECT_EQ(Take(), (Modified{{0, "new"}}));
  Entry* entry = db.Add("l", MakeList({"a"}));
  Take();
  {
    ValueMutation unchanged = db.Mutate(entry);
    unchanged.MarkUnchanged();
  }
  EXPECT_TRUE(Take().empty());
  {
    ValueMutation emptied = db.Mutate(db.Find("l", kNow));
    emptied.As<FakeList>().Pop();
  }
  EXPECT_EQ(Take(), (Modified{{0, "l"}}));
  EXPECT_FALSE(db.Contains("l"));
  static_cast<void>(db.Extract(db.Find("new", kNow)));
  EXPECT_EQ(Take(), (Modified{{0, "new"}}));
}

TEST_F(ModificationTrackingTest, NoOpsReportNothing) {
  Database& db = keyspace_.db(0);
  Entry* entry = db.Add("k", Value::String("a"));
  Take();
  EXPECT_FALSE(db.RemoveExpire(entry));  // no TTL to remove
  EXPECT_FALSE(db.Delete("missing"));
  EXPECT_NE(db.Find("k", kNow), nullptr);
  EXPECT_TRUE(Take().empty());
}

TEST_F(ModificationTrackingTest, LazyExpiryReportsTheKeyAfterItIsGone) {
  Database& db = keyspace_.db(0);
  static_cast<void>(db.SetExpire(db.Add("k", Value::String("a")), kNow));
  Take();
  EXPECT_EQ(db.Find("k", kNow + 1), nullptr);
  EXPECT_EQ(Take(), (Modified{{0, "k"}}));
  EXPECT_FALSE(db.Contains("k"));
}

TEST_F(ModificationTrackingTest, TrackingOffReportsNothing) {
  keyspace_.set_track_modifications(kUser, false);
  Database& db = keyspace_.db(0);
  db.Add("k", Value::String("a"));
  db.Delete("k");
  keyspace_.Clear();
  EXPECT_TRUE(Take().empty());
  EXPECT_TRUE(observer_.replaced.empty());
}

TEST_F(ModificationTrackingTest, ReportsFlowWhileAnyUserWantsThem) {
  constexpr uint32_t kOtherUser = 2;
  keyspace_.set_track_modifications(kOtherUser, true);
  keyspace_.set_track_modifications(kUser, false);
  keyspace_.db(0).Add("k", Value::String("a"));
  EXPECT_EQ(Take(), (Modified{{0, "k"}}));
  keyspace_.set_track_modifications(kOtherUser, false);
  EXPECT_FALSE(keyspace_.track_modifications());
  keyspace_.db(0).Delete("k");
  EXPECT_TRUE(Take().empty());
}

TEST_F(ModificationTrackingTest, FlushAndSwapAreReportedBeforeTheyHappen) {
  keyspace_.db(1).Add("a", Value::String("1"));
  keyspace_.db(3).Add("b", Value::String("1"));
  keyspace_.db(3).Add("c", Value::String("1"));
  keyspace_.SwapDatabases(1, 3);
  EXPECT_EQ(observer_.replaced, (std::vector<std::pair<int, int>>{{1, 3}, {3, 1}}));
  EXPECT_EQ(observer_.sizes_seen, (std::vector<size_t>{1, 2}));
  observer_.replaced.clear();
  observer_.sizes_seen.clear();
  keyspace_.db(1).Clear();
  EXPECT_EQ(observer_.replaced, (std::vector<std::pair<int, int>>{{1, -1}}));
  EXPECT_EQ(observer_.sizes_seen, (std::vector<size_t>{2}));
}

TEST_F(ModificationTrackingTest, IsKeyExpiredPeeksWithoutDeleting) {
  Database& db = keyspace_.db(0);
  static_cast<void>(db.SetExpire(db.Add("k", Value::String("a")), kNow));
  EXPECT_FALSE(db.IsKeyExpired("k", kNow));
  EXPECT_TRUE(db.IsKeyExpired("k", kNow + 1));
  EXPECT_TRUE(db.Contains("k"));
  EXPECT_FALSE(db.IsKeyExpired("missing", kNow));
}

}  // namespace
}  // namespace ember::storage
