// Multi-key and substring string commands: MSET, MSETNX, MGET, APPEND, STRLEN, GETRANGE,
// SETRANGE.
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using StringCommandsTest = ServerTest;

TEST_F(StringCommandsTest, MSetSetsAllAndMGetReadsInOrder) {
  EXPECT_EQ(Run({"MSET", "a", "1", "b", "2", "c", "3"}), Status("OK"));
  EXPECT_EQ(Run({"MGET", "a", "missing", "c", "b"}),
            Array({Bulk("1"), Nil(), Bulk("3"), Bulk("2")}));
}

TEST_F(StringCommandsTest, MSetLastDuplicateWins) {
  EXPECT_EQ(Run({"MSET", "a", "1", "a", "2"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("2"));
}

TEST_F(StringCommandsTest, MSetWithOddArgumentsIsArityError) {
  EXPECT_EQ(Run({"MSET", "a", "1", "b"}),
            Error("ERR wrong number of arguments for 'mset' command"));
  EXPECT_EQ(Run({"EXISTS", "a"}), Int(0));
}

TEST_F(StringCommandsTest, MSetNxIsAllOrNothing) {
  EXPECT_EQ(Run({"MSETNX", "a", "1", "b", "2"}), Int(1));
  EXPECT_EQ(Run({"MSETNX", "b", "x", "c", "3"}), Int(0));
  EXPECT_EQ(Run({"MGET", "a", "b", "c"}), Array({Bulk("1"), Bulk("2"), Nil()}));
}

TEST_F(StringCommandsTest, AppendCreatesThenExtends) {
  EXPECT_EQ(Run({"APPEND", "k", "Hello"}), Int(5));
  EXPECT_EQ(Run({"APPEND", "k", " World"}), Int(11));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("Hello World"));
}

TEST_F(StringCommandsTest, AppendToIntegerValueWorksOnItsText) {
  ASSERT_EQ(Run({"SET", "n", "12"}), Status("OK"));
  ASSERT_EQ(Run({"INCR", "n"}), Int(13));
  EXPECT_EQ(Run({"APPEND", "n", "4"}), Int(3));
  EXPECT_EQ(Run({"GET", "n"}), Bulk("134"));
}

TEST_F(StringCommandsTest, AppendKeepsTtl) {
  ASSERT_EQ(Run({"SET", "k", "a", "EX", "100"}), Status("OK"));
  ASSERT_EQ(Run({"APPEND", "k", "b"}), Int(2));
  EXPECT_GT(Run({"TTL", "k"}).integer, 0);
}

TEST_F(StringCommandsTest, StrLenCountsBytes) {
  EXPECT_EQ(Run({"STRLEN", "missing"}), Int(0));
  ASSERT_EQ(Run({"SET", "k", "hello"}), Status("OK"));
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(5));
  ASSERT_EQ(Run({"SET", "n", "-123"}), Status("OK"));
  EXPECT_EQ(Run({"STRLEN", "n"}), Int(4));
}

TEST_F(StringCommandsTest, GetRangeHandlesNegativeAndOutOfRangeIndexes) {
  ASSERT_EQ(Run({"SET", "k", "This is a string"}), Status("OK"));
  EXPECT_EQ(Run({"GETRANGE", "k", "0", "3"}), Bulk("This"));
  EXPECT_EQ(Run({"GETRANGE", "k", "-3", "-1"}), Bulk("ing"));
  EXPECT_EQ(Run({"GETRANGE", "k", "0", "-1"}), Bulk("This is a string"));
  EXPECT_EQ(Run({"GETRANGE", "k", "10", "100"}), Bulk("string"));
  EXPECT_EQ(Run({"GETRANGE", "k", "5", "3"}), Bulk(""));
  EXPECT_EQ(Run({"GETRANGE", "k", "-100", "3"}), Bulk("This"));
  EXPECT_EQ(Run({"GETRANGE", "missing", "0", "-1"}), Bulk(""));
  EXPECT_EQ(Run({"GETRANGE", "k", "a", "1"}), Error("ERR value is not an integer or out of range"));
}

TEST_F(StringCommandsTest, GetRangeWorksOnIntegerValues) {
  ASSERT_EQ(Run({"SET", "n", "1234"}), Status("OK"));
  EXPECT_EQ(Run({"GETRANGE", "n", "1", "2"}), Bulk("23"));
}

TEST_F(StringCommandsTest, SetRangeOverwritesAndPadsWithZeros) {
  ASSERT_EQ(Run({"SET", "k", "Hello World"}), Status("OK"));
  EXPECT_EQ(Run({"SETRANGE", "k", "6", "Redis"}), Int(11));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("Hello Redis"));
  EXPECT_EQ(Run({"SETRANGE", "pad", "3", "x"}), Int(4));
  EXPECT_EQ(Run({"GET", "pad"}), Bulk(std::string("\0\0\0x", 4)));
  EXPECT_EQ(Run({"SETRANGE", "k", "13", "!"}), Int(14));
  EXPECT_EQ(Run({"GET", "k"}), Bulk(std::string("Hello Redis\0\0!", 14)));
}

TEST_F(StringCommandsTest, SetRangeWithEmptyValueDoesNotCreateKey) {
  EXPECT_EQ(Run({"SETRANGE", "k", "5", ""}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

TEST_F(StringCommandsTest, SetRangeRejectsBadOffsets) {
  EXPECT_EQ(Run({"SETRANGE", "k", "-1", "x"}), Error("ERR offset is out of range"));
  EXPECT_EQ(Run({"SETRANGE", "k", "536870912", "x"}),
            Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
  EXPECT_EQ(Run({"SETRANGE", "k", "x", "x"}), Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

}  // namespace
}  // namespace ember::test
