// ReplicationBacklog: Redis's offsets (bytes numbered from 1), wrap-around, what a PSYNC
// offset may ask for, and resizing that keeps the newest bytes.
#include "server/replication/replication_backlog.h"

#include <gtest/gtest.h>

#include <string>

namespace ember::server {
namespace {

TEST(ReplicationBacklogTest, OffsetsStartAtTheNextStreamByte) {
  ReplicationBacklog backlog(16, 101);  // 100 bytes were streamed before it existed
  EXPECT_EQ(backlog.first_byte_offset(), 101);
  EXPECT_EQ(backlog.histlen(), 0u);
  EXPECT_TRUE(backlog.Covers(101));  // nothing to send, but continuing is possible
  EXPECT_FALSE(backlog.Covers(100));
  EXPECT_FALSE(backlog.Covers(102));
  backlog.Append("abcde");
  EXPECT_EQ(backlog.histlen(), 5u);
  EXPECT_EQ(backlog.CopyFrom(101), "abcde");
  EXPECT_EQ(backlog.CopyFrom(104), "de");
  EXPECT_EQ(backlog.CopyFrom(106), "");
  EXPECT_TRUE(backlog.Covers(106));
  EXPECT_FALSE(backlog.Covers(107));
}

TEST(ReplicationBacklogTest, WrapsKeepingTheNewestBytes) {
  ReplicationBacklog backlog(8, 1);
  backlog.Append("0123456");
  backlog.Append("789ab");  // 12 bytes through a ring of 8
  EXPECT_EQ(backlog.histlen(), 8u);
  EXPECT_EQ(backlog.first_byte_offset(), 5);
  EXPECT_EQ(backlog.CopyFrom(5), "456789ab");
  EXPECT_EQ(backlog.CopyFrom(10), "9ab");
  EXPECT_FALSE(backlog.Covers(4));
}

TEST(ReplicationBacklogTest, AnAppendLargerThanTheRingKeepsItsTail) {
  ReplicationBacklog backlog(4, 1);
  backlog.Append("ab");
  backlog.Append("cdefghij");
  EXPECT_EQ(backlog.first_byte_offset(), 7);
  EXPECT_EQ(backlog.CopyFrom(7), "ghij");
}

TEST(ReplicationBacklogTest, ResizingKeepsWhatFits) {
  ReplicationBacklog backlog(8, 1);
  backlog.Append("0123456789");
  backlog.Resize(4);
  EXPECT_EQ(backlog.capacity(), 4u);
  EXPECT_EQ(backlog.CopyFrom(backlog.first_byte_offset()), "6789");
  backlog.Resize(16);
  backlog.Append("xy");
  EXPECT_EQ(backlog.first_byte_offset(), 7);
  EXPECT_EQ(backlog.CopyFrom(7), "6789xy");
}

}  // namespace
}  // namespace ember::server
