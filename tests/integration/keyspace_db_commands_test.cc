// Commands that move or copy keys between databases: COPY, MOVE, SWAPDB.
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using KeyspaceDbCommandsTest = ServerTest;

TEST_F(KeyspaceDbCommandsTest, CopyDuplicatesValueAndTtl) {
  ASSERT_EQ(Run({"SET", "a", "v", "EX", "100"}), Status("OK"));
  EXPECT_EQ(Run({"COPY", "a", "b"}), Int(1));
  EXPECT_EQ(Run({"GET", "b"}), Bulk("v"));
  EXPECT_GT(Run({"TTL", "b"}).integer, 0);
  ASSERT_EQ(Run({"SET", "a", "changed"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "b"}), Bulk("v"));
}

TEST_F(KeyspaceDbCommandsTest, CopyRefusesExistingDestinationWithoutReplace) {
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2"}), Status("OK"));
  EXPECT_EQ(Run({"COPY", "a", "b"}), Int(0));
  EXPECT_EQ(Run({"GET", "b"}), Bulk("2"));
  EXPECT_EQ(Run({"COPY", "a", "b", "REPLACE"}), Int(1));
  EXPECT_EQ(Run({"GET", "b"}), Bulk("1"));
  EXPECT_EQ(Run({"COPY", "missing", "c"}), Int(0));
}

TEST_F(KeyspaceDbCommandsTest, CopyToOtherDb) {
  ASSERT_EQ(Run({"SET", "a", "v"}), Status("OK"));
  EXPECT_EQ(Run({"COPY", "a", "a", "DB", "2"}), Int(1));
  ASSERT_EQ(Run({"SELECT", "2"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("v"));
}

TEST_F(KeyspaceDbCommandsTest, CopyErrors) {
  ASSERT_EQ(Run({"SET", "a", "v"}), Status("OK"));
  EXPECT_EQ(Run({"COPY", "a", "a"}), Error("ERR source and destination objects are the same"));
  EXPECT_EQ(Run({"COPY", "a", "b", "DB", "abc"}),
            Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Run({"COPY", "a", "b", "DB", "99"}), Error("ERR DB index is out of range"));
  EXPECT_EQ(Run({"COPY", "a", "b", "BOGUS"}), Error("ERR syntax error"));
}

TEST_F(KeyspaceDbCommandsTest, MoveTransfersKeyWithTtl) {
  ASSERT_EQ(Run({"SET", "a", "v", "EX", "100"}), Status("OK"));
  EXPECT_EQ(Run({"MOVE", "a", "1"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "a"}), Int(0));
  ASSERT_EQ(Run({"SELECT", "1"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("v"));
  EXPECT_GT(Run({"TTL", "a"}).integer, 0);
}

TEST_F(KeyspaceDbCommandsTest, MoveDoesNothingWhenTargetHasKeyOrSourceMissing) {
  ASSERT_EQ(Run({"SET", "a", "0"}), Status("OK"));
  ASSERT_EQ(Run({"SELECT", "1"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "a", "1"}), Status("OK"));
  ASSERT_EQ(Run({"SELECT", "0"}), Status("OK"));
  EXPECT_EQ(Run({"MOVE", "a", "1"}), Int(0));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("0"));
  EXPECT_EQ(Run({"MOVE", "missing", "1"}), Int(0));
}

TEST_F(KeyspaceDbCommandsTest, MoveErrors) {
  ASSERT_EQ(Run({"SET", "a", "v"}), Status("OK"));
  EXPECT_EQ(Run({"MOVE", "a", "0"}), Error("ERR source and destination objects are the same"));
  EXPECT_EQ(Run({"MOVE", "a", "99"}), Error("ERR DB index is out of range"));
  EXPECT_EQ(Run({"MOVE", "a", "x"}), Error("ERR value is not an integer or out of range"));
}

TEST_F(KeyspaceDbCommandsTest, SwapDbExchangesContents) {
  ASSERT_EQ(Run({"SET", "k", "zero"}), Status("OK"));
  ASSERT_EQ(Run({"SELECT", "1"}), Status("OK"));
  ASSERT_EQ(Run({"MSET", "k", "one", "only1", "x"}), Status("OK"));
  EXPECT_EQ(Run({"SWAPDB", "0", "1"}), Status("OK"));
  // This connection still has db 1 selected, which now holds db 0's old contents.
  EXPECT_EQ(Run({"GET", "k"}), Bulk("zero"));
  EXPECT_EQ(Run({"DBSIZE"}), Int(1));
  ASSERT_EQ(Run({"SELECT", "0"}), Status("OK"));
  EXPECT_EQ(Run({"MGET", "k", "only1"}), Array({Bulk("one"), Bulk("x")}));
}

TEST_F(KeyspaceDbCommandsTest, SwapDbIsVisibleToOtherConnections) {
  RedisClient other(port());
  ASSERT_EQ(Run({"SELECT", "1"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "k", "one"}), Status("OK"));
  EXPECT_EQ(other.Command({"GET", "k"}), Nil());
  EXPECT_EQ(Run({"SWAPDB", "1", "0"}), Status("OK"));
  EXPECT_EQ(other.Command({"GET", "k"}), Bulk("one"));
}

TEST_F(KeyspaceDbCommandsTest, SwapDbErrors) {
  EXPECT_EQ(Run({"SWAPDB", "0", "99"}), Error("ERR DB index is out of range"));
  EXPECT_EQ(Run({"SWAPDB", "a", "1"}), Error("ERR invalid first DB index"));
  EXPECT_EQ(Run({"SWAPDB", "0", "b"}), Error("ERR invalid second DB index"));
}

}  // namespace
}  // namespace ember::test
