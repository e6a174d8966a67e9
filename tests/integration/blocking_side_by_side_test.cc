// Blocking list and sorted-set pops, side by side: each scenario drives several connections
// (blocked clients, pushers, CLIENT UNBLOCK) against ember-server and the reference
// redis-server 7.0, in RESP2 and RESP3, and the two transcripts — every reply's exact bytes, and
// where no reply may arrive — must be identical. The scenarios cover Redis 7.0's rules: FIFO order
// per key, service after a whole command or EXEC, the key that became ready first serves
// first, timeouts and their null replies, no blocking inside MULTI, keys deleted, renamed,
// moved, swapped or changed to another type while clients wait, WRONGTYPE for a BLMOVE
// target, CLIENT UNBLOCK, disconnects, and commands pipelined behind a blocked one.
#include <gtest/gtest.h>

#include "tests/integration/scenario_side_by_side.h"

namespace ember::test {
namespace {

void FifoPerKey(BlockingScript& s) {
  s.Block(1, {"BLPOP", "k", "0"}).Block(2, {"BRPOP", "k", "0"}).Block(3, {"BLPOP", "k", "0"});
  s.Nothing(1).Call(4, {"RPUSH", "k", "a", "b"}).Receive(1).Receive(2).Nothing(3);
  s.Call(4, {"LPUSH", "k", "c"}).Receive(3).Call(4, {"EXISTS", "k"});
  s.Call(4, {"RPUSH", "k", "x", "y"}).Call(1, {"BLPOP", "k", "0"}).Call(1, {"BRPOP", "k", "0"});
}

void SeveralKeys(BlockingScript& s) {
  s.Block(1, {"BLPOP", "a", "b", "a", "0"});
  s.Call(2, {"RPUSH", "b", "x"}).Receive(1).Call(2, {"EXISTS", "b"});
  s.Call(2, {"RPUSH", "b", "y"}).Call(1, {"BLPOP", "a", "b", "0"});
  // The key that became ready first serves, not the first named.
  s.Block(1, {"BLPOP", "a", "b", "0"});
  s.Call(2, {"MULTI"}).Call(2, {"RPUSH", "b", "1"}).Call(2, {"RPUSH", "a", "2"});
  s.Call(2, {"EXEC"}).Receive(1).Call(2, {"LRANGE", "a", "0", "-1"});
  // One push, two waiters on different keys of it: each served once.
  s.Block(1, {"BLPOP", "x", "0"}).Block(3, {"BLPOP", "y", "0"}).Nothing(1);
  s.Call(2, {"MULTI"}).Call(2, {"RPUSH", "y", "1"}).Call(2, {"RPUSH", "x", "2"});
  s.Call(2, {"EXEC"}).Receive(1).Receive(3);
}

void AfterTheWholeTransaction(BlockingScript& s) {
  s.Block(1, {"BLPOP", "k", "0"});
  s.Call(2, {"MULTI"}).Call(2, {"RPUSH", "k", "a", "b"}).Call(2, {"LPOP", "k"});
  s.Call(2, {"EXEC"}).Receive(1).Call(2, {"EXISTS", "k"});
  s.Block(1, {"BLPOP", "k", "0"});
  s.Call(2, {"MULTI"}).Call(2, {"RPUSH", "k", "a"}).Call(2, {"DEL", "k"}).Call(2, {"EXEC"});
  s.Nothing(1).Call(2, {"RPUSH", "k", "z"}).Receive(1);
}

void Timeouts(BlockingScript& s) {
  s.Call(1, {"BLPOP", "k", "0.05"}).Call(1, {"BRPOP", "k", "k2", "0.05"});
  s.Call(1, {"BLMOVE", "k", "d", "LEFT", "RIGHT", "0.05"}).Call(1, {"BRPOPLPUSH", "k", "d", ".05"});
  s.Call(1, {"BLMPOP", "0.05", "2", "k", "k2", "LEFT", "COUNT", "3"});
  s.Call(1, {"BLPOP", "k", "-1"}).Call(1, {"BLPOP", "k", "abc"}).Call(1, {"BLPOP", "k", "inf"});
  s.Call(1, {"BLPOP", "k", "nan"}).Call(1, {"BLPOP", "k", "1e30"}).Call(1, {"BLPOP", "k", " 1"});
  s.Call(1, {"BLPOP", "k", ""}).Call(1, {"BLPOP", "k", "0x0.01"});
  s.Call(1, {"BRPOPLPUSH", "k", "d", "-0.5"}).Call(1, {"BLMPOP", "-1", "1", "k", "LEFT"});
  // A waiter served before its deadline is not timed out later.
  s.Block(1, {"BLPOP", "k", "0.3"}).Call(2, {"RPUSH", "k", "v"}).Receive(1).Sleep(400).Nothing(1);
  s.Call(1, {"PING"});
}

void NoBlockingInsideMulti(BlockingScript& s) {
  s.Call(1, {"MULTI"}).Call(1, {"BLPOP", "k", "0"}).Call(1, {"BRPOPLPUSH", "k", "d", "0"});
  s.Call(1, {"BLMOVE", "k", "d", "LEFT", "LEFT", "0"}).Call(1, {"BLMPOP", "0", "1", "k", "LEFT"});
  s.Call(1, {"RPUSH", "k", "v"}).Call(1, {"BLPOP", "k", "0"}).Call(1, {"EXEC"});
}

void WrongTypesAndErrors(BlockingScript& s) {
  s.Call(2, {"SET", "str", "v"})
      .Call(1, {"BLPOP", "str", "0"})
      .Call(1, {"BLPOP", "none", "str", "0"});
  s.Call(1, {"BLMOVE", "str", "d", "LEFT", "LEFT", "0"})
      .Call(1, {"BLMPOP", "0", "1", "str", "LEFT"});
  s.Call(2, {"RPUSH", "l", "1"}).Call(1, {"BLMOVE", "l", "str", "LEFT", "LEFT", "0"});
  s.Call(1, {"BLMOVE", "l", "d", "UP", "LEFT", "0"})
      .Call(1, {"BLMOVE", "l", "d", "LEFT", "x", "x"});
  s.Call(1, {"BLMPOP", "0", "0", "l", "LEFT"}).Call(1, {"BLMPOP", "0", "2", "l", "LEFT"});
  s.Call(1, {"BLMPOP", "0", "1", "l", "MIDDLE"})
      .Call(1, {"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "0"});
  s.Call(1, {"BLMPOP", "x", "1", "l", "LEFT", "COUNT"}).Call(1, {"BLMPOP", "x", "1", "l", "LEFT"});
  s.Call(1, {"BLPOP", "k"})
      .Call(1, {"BLMOVE", "a", "b", "LEFT", "LEFT"})
      .Call(1, {"BLMPOP", "0", "1", "k"});
  // A waited-on key that becomes another type keeps its waiter waiting.
  s.Block(1, {"BLPOP", "w", "0"}).Call(2, {"SET", "w", "s"}).Nothing(1);
  s.Call(2, {"DEL", "w"}).Call(2, {"SADD", "w", "m"}).Nothing(1);
  s.Call(2, {"DEL", "w"}).Call(2, {"RPUSH", "w", "v"}).Receive(1);
}

void BlmoveTargets(BlockingScript& s) {
  // A destination of another type: the waiter gets WRONGTYPE, the element stays.
  s.Block(1, {"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"}).Call(2, {"SET", "dst", "x"});
  s.Call(2, {"RPUSH", "src", "e"}).Receive(1).Call(2, {"LRANGE", "src", "0", "-1"});
  // A chain: the move readies its destination, whose waiter is served in the same round.
  s.Call(2, {"DEL", "src", "dst"});
  s.Block(1, {"BRPOPLPUSH", "src", "dst", "0"}).Block(3, {"BLPOP", "dst", "0"}).Nothing(1);
  s.Call(2, {"RPUSH", "src", "a", "b"}).Receive(1).Receive(3);
  s.Call(2, {"LRANGE", "src", "0", "-1"}).Call(2, {"EXISTS", "dst"});
  // Rotation (source = destination) never empties the list: every waiter is served.
  s.Call(2, {"DEL", "src"});
  s.Block(1, {"BLMOVE", "r", "r", "LEFT", "RIGHT", "0"})
      .Block(3, {"BLMOVE", "r", "r", "RIGHT", "LEFT", "0"});
  s.Nothing(1).Call(2, {"RPUSH", "r", "1", "2", "3"}).Receive(1).Receive(3);
  s.Call(2, {"LRANGE", "r", "0", "-1"});
}

void KeysThatMove(BlockingScript& s) {
  s.Block(1, {"BLPOP", "k", "0"});
  s.Call(2, {"RPUSH", "tmp", "renamed"}).Call(2, {"RENAME", "tmp", "k"}).Receive(1);
  s.Block(1, {"BLPOP", "k", "0"}).Call(2, {"SELECT", "1"}).Call(2, {"RPUSH", "k", "moved"});
  s.Call(2, {"MOVE", "k", "0"}).Receive(1);
  s.Block(1, {"BLPOP", "k", "0"}).Call(2, {"RPUSH", "k", "swapped"}).Call(2, {"SWAPDB", "0", "1"});
  s.Receive(1).Call(2, {"SELECT", "0"});
  s.Block(1, {"BLPOP", "k", "0"}).Call(2, {"RPUSH", "c", "copied"}).Call(2, {"COPY", "c", "k"});
  s.Receive(1).Call(2, {"FLUSHALL"});
  s.Block(1, {"BLPOP", "k", "0"}).Call(2, {"FLUSHALL"}).Nothing(1);
  s.Call(2, {"RPUSH", "k", "after-flush"}).Receive(1);
}

void ClientUnblock(BlockingScript& s) {
  const std::string id = s.IdOf(1);
  s.Block(1, {"BLPOP", "k", "0"}).Call(2, {"CLIENT", "UNBLOCK", id}).Receive(1);
  s.Block(1, {"BLMOVE", "k", "d", "LEFT", "LEFT", "0"})
      .Call(2, {"CLIENT", "UNBLOCK", id, "timeout"});
  s.Receive(1)
      .Block(1, {"BLMPOP", "0", "1", "k", "LEFT"})
      .Call(2, {"CLIENT", "UNBLOCK", id, "ERROR"});
  s.Receive(1).Call(2, {"CLIENT", "UNBLOCK", id}).Call(2, {"CLIENT", "UNBLOCK", "999999"});
  s.Call(2, {"CLIENT", "UNBLOCK", id, "later"}).Call(2, {"CLIENT", "UNBLOCK", "x"});
  s.Call(2, {"CLIENT", "UNBLOCK", "x", "later"})
      .Call(2, {"RPUSH", "k", "v"})
      .Call(2, {"LLEN", "k"});
}

void PipelinedBehindABlockedCommand(BlockingScript& s) {
  s.Send(1, {"BLPOP", "k", "0"}).Send(1, {"PING"}).Send(1, {"RPUSH", "k", "mine"}).Nothing(1);
  s.Call(2, {"RPUSH", "k", "theirs"})
      .Receive(1)
      .Receive(1)
      .Receive(1)
      .Call(2, {"LRANGE", "k", "0", "-1"});
}

void DisconnectedWaitersLoseNothing(BlockingScript& s) {
  s.Block(1, {"BLPOP", "k", "0"}).Block(3, {"BLPOP", "k", "0"}).Nothing(1).Close(1).Sleep(100);
  s.Call(2, {"RPUSH", "k", "a", "b"}).Receive(3).Call(2, {"LRANGE", "k", "0", "-1"});
}

void BlmpopServedWithCount(BlockingScript& s) {
  s.Block(1, {"BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2"});
  s.Call(2, {"RPUSH", "b", "1", "2", "3"}).Receive(1).Call(2, {"LRANGE", "b", "0", "-1"});
  s.Block(1, {"BLMPOP", "0", "1", "c", "LEFT", "COUNT", "10"})
      .Call(2, {"RPUSH", "c", "x"})
      .Receive(1);
  s.Call(2, {"EXISTS", "c"});
}

void SortedSetPops(BlockingScript& s) {
  s.Block(1, {"BZPOPMIN", "z", "0"}).Block(2, {"BZPOPMAX", "z", "0"});
  s.Block(3, {"BZMPOP", "0", "2", "y", "z", "MAX", "COUNT", "2"});
  s.Call(4, {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  s.Receive(1).Receive(2).Receive(3).Call(4, {"ZRANGE", "z", "0", "-1", "WITHSCORES"});
  s.Call(1, {"BZPOPMIN", "z", "0.05"}).Call(1, {"BZPOPMIN", "none", "0.05"});
  s.Call(1, {"BZMPOP", "0.05", "1", "none", "MIN"});
  // A list waiter and a sorted-set waiter on one key: each serves only its own type.
  s.Block(1, {"BLPOP", "k", "0"}).Block(2, {"BZPOPMIN", "k", "0"});
  s.Call(4, {"ZADD", "k", "7", "m"}).Receive(2).Nothing(1);
  s.Call(4, {"RPUSH", "k", "v"}).Receive(1);
  // ZINCRBY and ZUNIONSTORE-like writes that create the key serve; a store of nothing not.
  s.Block(1, {"BZPOPMAX", "w", "0"}).Call(4, {"ZINCRBY", "w", "2.5", "x"}).Receive(1);
  s.Block(1, {"BZPOPMAX", "w", "0"}).Call(4, {"ZRANGESTORE", "w", "none", "0", "-1"});
  s.Nothing(1).Call(4, {"ZADD", "src", "1", "p", "2", "q"});
  s.Call(4, {"ZRANGESTORE", "w", "src", "0", "-1"}).Receive(1);
  s.Call(4, {"ZRANGE", "w", "0", "-1", "WITHSCORES"});
}

const NamedScenario kScenarios[] = {
    {"FifoPerKey", FifoPerKey},
    {"SeveralKeys", SeveralKeys},
    {"AfterTheWholeTransaction", AfterTheWholeTransaction},
    {"Timeouts", Timeouts},
    {"NoBlockingInsideMulti", NoBlockingInsideMulti},
    {"WrongTypesAndErrors", WrongTypesAndErrors},
    {"BlmoveTargets", BlmoveTargets},
    {"KeysThatMove", KeysThatMove},
    {"ClientUnblock", ClientUnblock},
    {"PipelinedBehindABlockedCommand", PipelinedBehindABlockedCommand},
    {"DisconnectedWaitersLoseNothing", DisconnectedWaitersLoseNothing},
    {"BlmpopServedWithCount", BlmpopServedWithCount},
    {"SortedSetPops", SortedSetPops},
};

INSTANTIATE_TEST_SUITE_P(Blocking, ScenarioSideBySideTest, ::testing::ValuesIn(kScenarios),
                         ScenarioName);

}  // namespace
}  // namespace ember::test
