// A fixture for in-process server tests: a ServerState with the default command table, one
// registered client, and a record of every command the write path propagated, as
// "<db>: <args>" lines. Run executes one command through the dispatcher and returns the
// raw RESP reply.
#pragma once

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command/dispatcher.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {

class RecordingServerTest : public ::testing::Test {
 protected:
  RecordingServerTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {
    client_.id = 1;
    state_.RegisterClient(&client_);
    state_.set_propagation_listener([this](int db, std::span<const std::string_view> argv) {
      std::string line = std::to_string(db) + ":";
      for (std::string_view arg : argv) line += " " + std::string(arg);
      propagated_.push_back(line);
    });
  }
  ~RecordingServerTest() override { state_.UnregisterClient(&client_); }

  std::string Run(std::vector<std::string> args) {
    return RunCommand(dispatcher_, client_, args, now_ms_);
  }
  std::vector<std::string> TakePropagated() { return std::exchange(propagated_, {}); }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState client_;
  int64_t now_ms_ = 1'700'000'000'000;
  std::vector<std::string> propagated_;
};

}  // namespace ember::server
