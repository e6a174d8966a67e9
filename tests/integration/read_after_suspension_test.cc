// Bytes that arrive while a connection is suspended for something other than a read (a
// reply the socket cannot take yet, a client pause) must be read once it resumes, though
// the loop may have seen their readiness while nobody was reading: an edge-triggered loop
// that waited for a fresh readiness event would strand them.
#include <chrono>
#include <string>
#include <thread>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ReadAfterSuspensionTest = ServerTest;
using std::chrono::milliseconds;

TEST_F(ReadAfterSuspensionTest, CommandSentWhileALargeReplyIsStillBeingWrittenIsServed) {
  // Far more than loopback socket buffers hold, so the reply's write must wait for the reader.
  const std::string big(32 << 20, 'x');
  ASSERT_EQ(Run({"SET", "big", big}), Status("OK"));
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send(RespRequest({"GET", "big"})));
  std::this_thread::sleep_for(milliseconds(200));  // the server is now stuck mid-reply
  ASSERT_TRUE(conn.Send(RespRequest({"PING"})));
  std::this_thread::sleep_for(milliseconds(200));
  const std::string expected = "$" + std::to_string(big.size()) + "\r\n" + big + "\r\n+PONG\r\n";
  const std::string got = conn.Read(expected.size(), std::chrono::seconds(30));
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected);
}

TEST_F(ReadAfterSuspensionTest, CommandSentWhileTheClientIsHeldByAPauseIsServed) {
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "60000", "WRITE"}), Status("OK"));
  RawConnection held(port());
  ASSERT_TRUE(held.Send(RespRequest({"SET", "k", "v"})));
  EXPECT_EQ(held.ReadSome(milliseconds(300)), "");  // held
  ASSERT_TRUE(held.Send(RespRequest({"GET", "k"})));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(Run({"CLIENT", "UNPAUSE"}), Status("OK"));
  EXPECT_EQ(held.Read(12, std::chrono::seconds(15)), "+OK\r\n$1\r\nv\r\n");
}

}  // namespace
}  // namespace ember::test
