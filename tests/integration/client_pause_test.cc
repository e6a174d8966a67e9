// CLIENT PAUSE over real connections, with nothing polling: a held connection is released
// by CLIENT UNPAUSE at once even under a long pause, keeps its pipelined commands in order,
// and stays held when the pause is extended past its first end.
#include <chrono>
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

class ClientPauseTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    connected_ = !HasFatalFailure() && !IsSkipped();
  }
  // A failed test must not leave the suite's server paused for the next one.
  void TearDown() override {
    if (connected_) Run({"CLIENT", "UNPAUSE"});
  }

 private:
  bool connected_ = false;
};
using std::chrono::milliseconds;

// Generous bounds: they tell "released by UNPAUSE" from "released when the 60 s pause ran
// out", and measure no speed.
constexpr milliseconds kRelease(15'000);
constexpr milliseconds kStillHeld(400);

TEST_F(ClientPauseTest, UnpauseReleasesAClientHeldByALongPauseAndItsCommandsRunInOrder) {
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "60000", "WRITE"}), Status("OK"));
  RawConnection held(port());
  ASSERT_TRUE(held.Send(RespRequest({"GET", "n"}) + RespRequest({"SET", "n", "1"}) +
                        RespRequest({"INCR", "n"}) + RespRequest({"APPEND", "log", "a"}) +
                        RespRequest({"INCR", "n"}) + RespRequest({"APPEND", "log", "b"}) +
                        RespRequest({"GET", "n"})));
  EXPECT_EQ(held.Read(5), "$-1\r\n");  // the read before the first write runs
  EXPECT_EQ(held.ReadSome(kStillHeld), "");
  EXPECT_EQ(Run({"EXISTS", "n"}), Int(0));
  EXPECT_EQ(Run({"CLIENT", "UNPAUSE"}), Status("OK"));
  EXPECT_EQ(held.Read(28, kRelease), "+OK\r\n:2\r\n:1\r\n:3\r\n:2\r\n$1\r\n3\r\n");
  EXPECT_EQ(Run({"GET", "log"}), Bulk("ab"));
}

TEST_F(ClientPauseTest, ExtendingThePauseKeepsTheClientHeldUntilUnpause) {
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "1000", "WRITE"}), Status("OK"));
  RawConnection held(port());
  ASSERT_TRUE(held.Send(RespRequest({"SET", "k", "v"})));
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "60000", "WRITE"}), Status("OK"));
  EXPECT_EQ(held.ReadSome(milliseconds(2000)), "");  // well past the first pause's end
  EXPECT_EQ(Run({"CLIENT", "UNPAUSE"}), Status("OK"));
  EXPECT_EQ(held.Read(5, kRelease), "+OK\r\n");
}

TEST_F(ClientPauseTest, HeldClientsAreReleasedInTheOrderTheyWereHeld) {
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "60000", "WRITE"}), Status("OK"));
  RawConnection first(port());
  RawConnection second(port());
  // Each waits long enough to be held before the next one sends.
  ASSERT_TRUE(first.Send(RespRequest({"APPEND", "order", "1"})));
  EXPECT_EQ(first.ReadSome(milliseconds(500)), "");
  ASSERT_TRUE(second.Send(RespRequest({"APPEND", "order", "2"})));
  EXPECT_EQ(second.ReadSome(milliseconds(500)), "");
  EXPECT_EQ(Run({"CLIENT", "UNPAUSE"}), Status("OK"));
  EXPECT_EQ(first.Read(4, kRelease), ":1\r\n");
  EXPECT_EQ(second.Read(4, kRelease), ":2\r\n");
  EXPECT_EQ(Run({"GET", "order"}), Bulk("12"));
}

}  // namespace
}  // namespace ember::test
