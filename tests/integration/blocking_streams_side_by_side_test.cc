// Blocking stream reads, side by side with redis-server 7.0 in RESP2 and RESP3 (the
// transcripts — every reply's bytes, and where none may arrive — must be identical): XREAD
// BLOCK on "$" and XREADGROUP BLOCK on ">" served after the command (or the whole EXEC) that
// added entries, readers of a key in the order they blocked, a group's readers sharing its
// entries, COUNT limiting what a served reader gets, timeouts, errors, no blocking inside
// MULTI, and a group destroyed under its waiting reader.
#include <gtest/gtest.h>

#include "tests/integration/scenario_side_by_side.h"

namespace ember::test {
namespace {

// Plain readers all get the new entry; of two group readers the first gets it and the
// second keeps waiting until the next one.
void ReadersInOrder(BlockingScript& s) {
  s.Call(4, {"XGROUP", "CREATE", "st", "g", "$", "MKSTREAM"});
  s.Block(1, {"XREAD", "BLOCK", "0", "STREAMS", "st", "$"});
  s.Block(2, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "st", ">"});
  s.Block(3, {"XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "st", ">"});
  s.Call(4, {"XADD", "st", "1-1", "f", "v"}).Receive(1).Receive(2).Nothing(3);
  s.Call(4, {"XADD", "st", "2-1", "f", "w"}).Receive(3);
  s.Call(4, {"XPENDING", "st", "g"});
}

// Several keys: the reader is served from the key that got an entry, with only that key.
void SeveralKeysAndCount(BlockingScript& s) {
  s.Call(3, {"XADD", "a", "1-1", "f", "v"}).Call(3, {"XADD", "b", "1-1", "f", "v"});
  s.Block(1, {"XREAD", "COUNT", "2", "BLOCK", "0", "STREAMS", "a", "b", "$", "$"});
  s.Call(3, {"MULTI"})
      .Call(3, {"XADD", "b", "2-1", "f", "1"})
      .Call(3, {"XADD", "b", "3-1", "f", "2"});
  s.Call(3, {"XADD", "b", "4-1", "f", "3"}).Nothing(1).Call(3, {"EXEC"}).Receive(1);
  s.Block(1, {"XREAD", "BLOCK", "0", "STREAMS", "a", "b", "1-1", "9-9"});
  s.Call(3, {"XADD", "b", "10-1", "f", "4"}).Receive(1);
}

void TimeoutsAndErrors(BlockingScript& s) {
  s.Call(1, {"XREAD", "BLOCK", "50", "STREAMS", "none", "$"});
  s.Call(1, {"XREAD", "BLOCK", "-1", "STREAMS", "none", "$"});
  s.Call(1, {"XREAD", "BLOCK", "abc", "STREAMS", "none", "$"});
  s.Call(1, {"XREAD", "BLOCK", "0.5", "STREAMS", "none", "$"});
  s.Call(2, {"XGROUP", "CREATE", "st", "g", "$", "MKSTREAM"});
  s.Call(1, {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "st", ">"});
  s.Call(1, {"XREADGROUP", "GROUP", "nope", "c", "BLOCK", "0", "STREAMS", "st", ">"});
  s.Block(1, {"XREAD", "BLOCK", "300", "STREAMS", "st", "$"});
  s.Call(2, {"XADD", "st", "1-1", "f", "v"}).Receive(1).Sleep(400).Nothing(1);
  s.Call(1, {"PING"});
}

void NoBlockingInsideMulti(BlockingScript& s) {
  s.Call(1, {"MULTI"}).Call(1, {"XREAD", "BLOCK", "0", "STREAMS", "st", "$"});
  s.Call(1, {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "st", ">"});
  s.Call(1, {"EXEC"});
}

// The group goes while its reader waits: the reader gets NOGROUP when the key is next
// touched; a plain reader of a deleted stream keeps waiting for the key to come back.
void GroupDestroyedOrKeyDeleted(BlockingScript& s) {
  s.Call(3, {"XGROUP", "CREATE", "st", "g", "$", "MKSTREAM"});
  s.Block(1, {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "st", ">"});
  s.Call(3, {"XGROUP", "DESTROY", "st", "g"}).Receive(1);
  s.Block(2, {"XREAD", "BLOCK", "0", "STREAMS", "st", "$"});
  s.Call(3, {"DEL", "st"}).Nothing(2).Call(3, {"XADD", "st", "5-1", "f", "v"}).Receive(2);
}

const NamedScenario kScenarios[] = {
    {"ReadersInOrder", ReadersInOrder},
    {"SeveralKeysAndCount", SeveralKeysAndCount},
    {"TimeoutsAndErrors", TimeoutsAndErrors},
    {"NoBlockingInsideMulti", NoBlockingInsideMulti},
    {"GroupDestroyedOrKeyDeleted", GroupDestroyedOrKeyDeleted},
};

INSTANTIATE_TEST_SUITE_P(BlockingStreams, ScenarioSideBySideTest, ::testing::ValuesIn(kScenarios),
                         ScenarioName);

}  // namespace
}  // namespace ember::test
