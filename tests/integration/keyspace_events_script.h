// What the keyspace-notification scenarios share (keyspace_events_*side_by_side_test.cc):
// connection 1 subscribes to every notification channel, connection 2 writes, and each
// command's notifications are recorded after it.
#pragma once

#include <initializer_list>
#include <string>

#include "tests/integration/scenario_side_by_side.h"

namespace ember::test::keyspace_events {

inline constexpr int kSubscriber = 1;
inline constexpr int kWriter = 2;

// Subscribes connection 1 to every notification and sets the classes; Finish restores them.
inline void Start(BlockingScript& s, const std::string& classes) {
  s.Call(kWriter, {"CONFIG", "SET", "notify-keyspace-events", classes});
  s.Call(kSubscriber, {"PSUBSCRIBE", "__key*__:*"});
}

inline void Finish(BlockingScript& s) {
  s.Drain(kSubscriber).Call(kWriter, {"CONFIG", "SET", "notify-keyspace-events", ""});
}

// Runs each command on the writer and records the notifications it produced.
inline void Each(BlockingScript& s, std::initializer_list<BlockingScript::Argv> commands) {
  for (const BlockingScript::Argv& command : commands) s.Call(kWriter, command).Drain(kSubscriber);
}

}  // namespace ember::test::keyspace_events
