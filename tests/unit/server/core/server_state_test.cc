// ServerState's CLIENT PAUSE bookkeeping: which connections are held, and when they are
// woken to recheck (no polling).
#include "server/core/server_state.h"

#include <gtest/gtest.h>

#include <vector>

namespace ember::server {
namespace {

class PauseTest : public ::testing::Test {
 protected:
  PauseTest() : state_(ServerConfig{}) {
    for (uint64_t i = 0; i < 3; ++i) {
      clients_[i].id = state_.NextClientId();
      clients_[i].wake = [this, i] { woken_.push_back(i); };
      state_.RegisterClient(&clients_[i]);
    }
  }
  ~PauseTest() override {
    for (ClientState& client : clients_) state_.UnregisterClient(&client);
  }

  ServerState state_;
  ClientState clients_[3];
  std::vector<uint64_t> woken_;
  int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(PauseTest, UnpauseWakesHeldClientsInTheOrderHeldAtTheDeliveryPoint) {
  state_.PauseClients(now_ms_, now_ms_ + 60'000, false);
  state_.HoldForPause(clients_[2]);
  state_.HoldForPause(clients_[0]);
  EXPECT_TRUE(clients_[2].blocked);
  {
    WakeQueue::CommandScope unpause(state_.wakeups());
    state_.UnpauseClients();
    EXPECT_TRUE(woken_.empty());
  }
  EXPECT_EQ(woken_, (std::vector<uint64_t>{2, 0}));
  EXPECT_FALSE(state_.clients_paused(now_ms_));
}

TEST_F(PauseTest, ExtendingOrWideningThePauseWakesHeldClientsToRecheck) {
  state_.PauseClients(now_ms_, now_ms_ + 1000, true);
  state_.HoldForPause(clients_[1]);
  state_.PauseClients(now_ms_, now_ms_ + 60'000, false);
  state_.wakeups().Deliver();
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1}));
  EXPECT_EQ(state_.pause_end_ms(), now_ms_ + 60'000);
  EXPECT_FALSE(state_.pause_writes_only());
}

TEST_F(PauseTest, ReleasedClientsAreNoLongerWoken) {
  state_.PauseClients(now_ms_, now_ms_ + 60'000, false);
  state_.HoldForPause(clients_[0]);
  state_.HoldForPause(clients_[1]);
  state_.ReleaseFromPause(clients_[0]);
  EXPECT_FALSE(clients_[0].blocked);
  state_.UnregisterClient(&clients_[1]);  // disconnected while held
  state_.RegisterClient(&clients_[1]);
  state_.UnpauseClients();
  state_.wakeups().Deliver();
  EXPECT_TRUE(woken_.empty());
}

TEST_F(PauseTest, TheEndOfThePauseWakesHeldClientsOnlyOnceItHasPassed) {
  state_.PauseClients(now_ms_, now_ms_ + 500, false);
  state_.HoldForPause(clients_[1]);
  state_.HoldForPause(clients_[0]);
  state_.WakeHeldIfPauseEnded(now_ms_ + 499);
  EXPECT_TRUE(woken_.empty());
  state_.WakeHeldIfPauseEnded(now_ms_ + 500);
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1, 0}));
}

TEST_F(PauseTest, AClientDisconnectingWhileQueuedIsNotWoken) {
  state_.PauseClients(now_ms_, now_ms_ + 60'000, false);
  state_.HoldForPause(clients_[0]);
  state_.HoldForPause(clients_[1]);
  {
    WakeQueue::CommandScope unpause(state_.wakeups());
    state_.UnpauseClients();
    state_.UnregisterClient(&clients_[0]);
  }
  state_.RegisterClient(&clients_[0]);
  EXPECT_EQ(woken_, (std::vector<uint64_t>{1}));
}

}  // namespace
}  // namespace ember::server
