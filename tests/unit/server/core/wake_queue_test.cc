// The WakeQueue's ordering rules, without a network: targets are plain ClientStates whose
// wake records what it saw, as a connection's would move its outbox into its output.
#include "server/core/wake_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ember::server {
namespace {

class WakeQueueTest : public ::testing::Test {
 protected:
  // Gives `client` a wake that logs its id and moves its outbox into `delivered_[id]`.
  void Connect(ClientState& client, uint64_t id) {
    client.id = id;
    client.wake = [this, &client] {
      woken_.push_back(client.id);
      delivered_[client.id] += client.outbox;
      client.outbox.clear();
    };
  }
  void Message(ClientState& target, std::string_view text) {
    queue_.Post(target, [&](protocol::ReplyWriter& out) {
      out.PushHeader(2);
      out.Bulk("message");
      out.Bulk(text);
    });
  }

  WakeQueue queue_;
  std::vector<uint64_t> woken_;
  std::string delivered_[8];
  ClientState a_, b_, c_;
};

TEST_F(WakeQueueTest, TargetsAreWokenInTheOrderTheyBecameReady) {
  Connect(a_, 1);
  Connect(b_, 2);
  Connect(c_, 3);
  {
    WakeQueue::CommandScope command(queue_);
    Message(c_, "x");
    queue_.Wake(a_);
    Message(b_, "y");
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{3, 1, 2}));
}

TEST_F(WakeQueueTest, EachTargetsMessagesKeepTheOrderTheyWereProducedIn) {
  Connect(a_, 1);
  {
    WakeQueue::CommandScope command(queue_);
    Message(a_, "first");
    Message(a_, "second");
    queue_.PostBytes(a_, "+third\r\n");
  }
  EXPECT_EQ(delivered_[1],
            "*2\r\n$7\r\nmessage\r\n$5\r\nfirst\r\n*2\r\n$7\r\nmessage\r\n$6\r\nsecond\r\n"
            "+third\r\n");
}

TEST_F(WakeQueueTest, MessagesAreRenderedForTheTargetsProtocolWhenProduced) {
  Connect(a_, 1);
  Connect(b_, 2);
  b_.protocol_version = 3;
  {
    WakeQueue::CommandScope command(queue_);
    Message(a_, "m");
    Message(b_, "m");
    b_.protocol_version = 2;  // a later HELLO does not re-render what is already queued
  }
  EXPECT_EQ(delivered_[1], "*2\r\n$7\r\nmessage\r\n$1\r\nm\r\n");
  EXPECT_EQ(delivered_[2], ">2\r\n$7\r\nmessage\r\n$1\r\nm\r\n");
}

TEST_F(WakeQueueTest, ATargetQueuedTwiceInOneRoundIsWokenOnce) {
  Connect(a_, 1);
  Connect(b_, 2);
  {
    WakeQueue::CommandScope command(queue_);
    Message(a_, "1");
    Message(b_, "2");
    Message(a_, "3");
    queue_.Wake(a_);
    EXPECT_EQ(queue_.queued(), 2u);
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1, 2}));
  // The next round wakes it again.
  {
    WakeQueue::CommandScope command(queue_);
    queue_.Wake(a_);
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1, 2, 1}));
}

TEST_F(WakeQueueTest, NothingIsDeliveredBeforeTheOutermostCommandEnds) {
  Connect(a_, 1);
  {
    WakeQueue::CommandScope exec(queue_);
    {
      WakeQueue::CommandScope queued_command(queue_);
      Message(a_, "inside");
    }
    queue_.Deliver();  // an explicit delivery inside a command waits for its end too
    EXPECT_TRUE(woken_.empty());
    EXPECT_TRUE(delivered_[1].empty());
    Message(a_, "later");
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1}));
  EXPECT_EQ(delivered_[1],
            "*2\r\n$7\r\nmessage\r\n$6\r\ninside\r\n*2\r\n$7\r\nmessage\r\n$5\r\nlater\r\n");
}

TEST_F(WakeQueueTest, DeliverOutsideACommandRunsAtOnce) {
  Connect(a_, 1);
  queue_.Wake(a_);
  EXPECT_TRUE(woken_.empty());
  queue_.Deliver();
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1}));
  EXPECT_EQ(queue_.queued(), 0u);
}

TEST_F(WakeQueueTest, ATargetThatDisconnectsWhileQueuedIsDropped) {
  Connect(a_, 1);
  Connect(b_, 2);
  {
    WakeQueue::CommandScope command(queue_);
    Message(a_, "x");
    Message(b_, "y");
    queue_.Forget(a_);
    EXPECT_FALSE(a_.wake_queued);
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{2}));
  queue_.Forget(a_);  // not queued: nothing to do
}

TEST_F(WakeQueueTest, ATargetForgottenDuringADeliveryIsNotWoken) {
  Connect(a_, 1);
  Connect(b_, 2);
  Connect(c_, 3);
  // a's wake closes b, as an output-limit close could end another connection.
  a_.wake = [this] {
    woken_.push_back(1);
    queue_.Forget(b_);
  };
  {
    WakeQueue::CommandScope command(queue_);
    queue_.Wake(a_);
    queue_.Wake(b_);
    queue_.Wake(c_);
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1, 3}));
}

TEST_F(WakeQueueTest, AClientCanTargetItselfAndSeesItAfterItsReply) {
  std::string output;  // the connection's output buffer
  a_.id = 1;
  a_.wake = [&] {
    output += a_.outbox;
    a_.outbox.clear();
  };
  a_.protocol_version = 3;
  {
    WakeQueue::CommandScope command(queue_);
    Message(a_, "self");
    output += "+OK\r\n";  // the command's own reply
  }
  EXPECT_EQ(output, "+OK\r\n>2\r\n$7\r\nmessage\r\n$4\r\nself\r\n");
}

TEST_F(WakeQueueTest, TargetsQueuedByAWakeAreDeliveredInTheSameDelivery) {
  Connect(b_, 2);
  a_.id = 1;
  int a_wakes = 0;
  a_.wake = [&] {
    woken_.push_back(1);
    if (++a_wakes > 1) return;
    queue_.Wake(b_);
    queue_.Wake(a_);  // re-queues itself, once: it comes after b
  };
  {
    WakeQueue::CommandScope command(queue_);
    queue_.Wake(a_);
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1, 2, 1}));
  EXPECT_EQ(queue_.queued(), 0u);
}

TEST_F(WakeQueueTest, PostedBytesCountAsPendingOutput) {
  a_.id = 1;  // no wake: the outbox stays, as for a client nothing can wake
  queue_.PostBytes(a_, "+hello\r\n");
  Message(a_, "m");
  const uint64_t message_bytes = std::string("*2\r\n$7\r\nmessage\r\n$1\r\nm\r\n").size();
  EXPECT_EQ(a_.output_pending, 8 + message_bytes);
  queue_.Deliver();
  EXPECT_EQ(a_.outbox.size(), 8 + message_bytes);
  EXPECT_FALSE(a_.wake_queued);
}

}  // namespace
}  // namespace ember::server
