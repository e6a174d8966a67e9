// The set family through the dispatcher: what each write propagates (SPOP as SREM or DEL,
// the STORE forms only when they changed the destination, nothing for no-op writes), and
// RESP3 set replies.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "tests/unit/server/recording_server_test.h"

namespace ember::server {
namespace {

class SetCommandsTest : public RecordingServerTest {};

TEST_F(SetCommandsTest, NoOpWritesAreNotPropagated) {
  EXPECT_EQ(Run({"sadd", "s", "1", "2"}), ":2\r\n");
  EXPECT_EQ(Run({"sadd", "s", "1"}), ":0\r\n");
  EXPECT_EQ(Run({"srem", "s", "9"}), ":0\r\n");
  EXPECT_EQ(Run({"smove", "s", "t", "9"}), ":0\r\n");
  EXPECT_EQ(Run({"sinterstore", "d", "s", "missing"}), ":0\r\n");
  EXPECT_EQ(TakePropagated(), (std::vector<std::string>{"0: sadd s 1 2"}));
}

TEST_F(SetCommandsTest, SPopPropagatesAsSRemOrDel) {
  Run({"sadd", "s", "7"});
  TakePropagated();
  EXPECT_EQ(Run({"spop", "s"}), "$1\r\n7\r\n");
  EXPECT_EQ(TakePropagated(), (std::vector<std::string>{"0: SREM s 7"}));

  Run({"sadd", "s", "1", "2", "3"});
  TakePropagated();
  EXPECT_EQ(Run({"spop", "s", "5"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(TakePropagated(), (std::vector<std::string>{"0: DEL s"}));

  Run({"sadd", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"});
  TakePropagated();
  Run({"spop", "s", "2"});
  std::vector<std::string> propagated = TakePropagated();
  ASSERT_EQ(propagated.size(), 1u);
  EXPECT_EQ(propagated[0].rfind("0: SREM s ", 0), 0u) << propagated[0];
  EXPECT_EQ(Run({"scard", "s"}), ":8\r\n");
  EXPECT_EQ(Run({"spop", "s", "0"}), "*0\r\n");
  EXPECT_TRUE(TakePropagated().empty());
}

TEST_F(SetCommandsTest, StoreFormsPropagateAsSentWhenTheyChangeTheDestination) {
  Run({"sadd", "a", "1", "2"});
  Run({"set", "d", "x"});
  TakePropagated();
  EXPECT_EQ(Run({"sunionstore", "d", "a"}), ":2\r\n");
  EXPECT_EQ(Run({"sdiffstore", "d", "a", "a"}), ":0\r\n");
  EXPECT_EQ(Run({"sdiffstore", "d", "a", "a"}), ":0\r\n");
  EXPECT_EQ(TakePropagated(),
            (std::vector<std::string>{"0: sunionstore d a", "0: sdiffstore d a a"}));
}

TEST_F(SetCommandsTest, Resp3RepliesAreSets) {
  client_.protocol_version = 3;
  Run({"sadd", "s", "2", "1"});
  EXPECT_EQ(Run({"smembers", "s"}), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(Run({"smembers", "missing"}), "~0\r\n");
  EXPECT_EQ(Run({"sunion", "s", "missing"}), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(Run({"srandmember", "s", "5"}), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(Run({"spop", "missing"}), "_\r\n");
  EXPECT_EQ(Run({"spop", "missing", "1"}), "~0\r\n");
}

}  // namespace
}  // namespace ember::server
