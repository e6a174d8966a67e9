// MONITOR side by side with redis-server 7.0 (scenario_side_by_side.h): connection 1 is a
// monitor, others run commands, and the monitor's lines — timestamps and peer addresses
// normalized (BlockingScript::ReceiveMonitorLine) — must be identical in RESP2 and RESP3.
// Covered: argument quoting and escapes, the database after SELECT, MULTI/EXEC (queued
// commands shown at EXEC, before EXEC's own line), EVAL and FCALL shown before their
// scripts' calls ("lua"), passwords redacted (AUTH, HELLO ... AUTH), administrative and
// rejected commands not shown, blocking pops shown once, what a monitor itself may run,
// MONITOR inside EXEC, a second MONITOR, and RESET ending the stream.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/scenario_side_by_side.h"

namespace ember::test {
namespace {

constexpr int kMonitor = 1;
constexpr int kWriter = 2;

// Opens the writer first (so its HELLO 3 in RESP3 runs before anyone monitors), then starts
// the monitor.
void Start(BlockingScript& s) {
  s.Call(kWriter, {"PING"});
  s.Call(kMonitor, {"MONITOR"});
}

// Runs `command` on `c` and records the `lines` monitor lines it produced.
void Shown(BlockingScript& s, int c, const BlockingScript::Argv& command, int lines = 1) {
  s.Call(c, command);
  for (int i = 0; i < lines; ++i) s.ReceiveMonitorLine(kMonitor);
}

void QuotingAndDatabases(BlockingScript& s) {
  Start(s);
  Shown(s, kWriter, {"SET", "greeting", "hello world"});
  Shown(s, kWriter, {"SET", "bytes", std::string("a\"b\\c\n\r\t\a\b\x01\x7f\xff", 13)});
  Shown(s, kWriter, {"get", "bytes"});
  Shown(s, kWriter, {"INCR", "counter"});
  Shown(s, kWriter, {"SET", "empty", ""});
  Shown(s, kWriter, {"SELECT", "3"});
  Shown(s, kWriter, {"SET", "in3", "v"});
  Shown(s, kWriter, {"SELECT", "0"});
  Shown(s, kWriter, {"EXPIRE", "greeting", "100"});
  Shown(s, kWriter, {"GET", "missing"});
  s.Nothing(kMonitor);
}

void WhatIsNotShown(BlockingScript& s) {
  Start(s);
  // Administrative commands, and commands rejected before they run.
  s.Call(kWriter, {"CONFIG", "GET", "maxmemory"}).Call(kWriter, {"CLIENT", "LIST", "ID", "0"});
  s.Call(kWriter, {"NOSUCHCOMMAND", "x"}).Call(kWriter, {"GET"});
  s.Call(kWriter, {"CLIENT", "NOSUCH"}).Call(kWriter, {"SLOWLOG", "LEN"});
  s.Nothing(kMonitor);
  // A command that runs and fails is shown.
  s.Call(kWriter, {"SET", "s", "v"}).ReceiveMonitorLine(kMonitor);
  Shown(s, kWriter, {"LPUSH", "s", "x"});
  Shown(s, kWriter, {"CLIENT", "SETNAME", "writer"});
  s.Nothing(kMonitor);
}

void TransactionsAndScripts(BlockingScript& s) {
  s.Call(3, {"PING"});
  Start(s);
  Shown(s, kWriter, {"MULTI"});
  s.Call(kWriter, {"SET", "a", "1"}).Call(kWriter, {"INCR", "a"}).Nothing(kMonitor);
  Shown(s, kWriter, {"EXEC"}, 3);
  // A transaction with a command refused while queuing: only MULTI and EXEC.
  Shown(s, kWriter, {"MULTI"});
  s.Call(kWriter, {"SET", "a"}).Call(kWriter, {"GET", "a"});
  Shown(s, kWriter, {"EXEC"});
  // A watched key changed: EXEC runs nothing.
  Shown(s, kWriter, {"WATCH", "a"});
  s.Call(3, {"SET", "a", "changed"}).ReceiveMonitorLine(kMonitor);
  Shown(s, kWriter, {"MULTI"});
  s.Call(kWriter, {"GET", "a"});
  Shown(s, kWriter, {"EXEC"});
  Shown(s, kWriter,
        {"EVAL", "redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])", "1", "k",
         "v"},
        3);
  Shown(s, kWriter, {"EVAL", "return redis.call('select', 5)", "0"}, 2);
  Shown(s, kWriter, {"EVALSHA", "0000000000000000000000000000000000000000", "0"});
  Shown(s, kWriter,
        {"FUNCTION", "LOAD",
         "#!lua name=monitorlib\nredis.register_function('f', function(keys, args) "
         "return redis.call('incr', keys[1]) end)"});
  Shown(s, kWriter, {"FCALL", "f", "1", "n"}, 2);
  Shown(s, kWriter, {"FUNCTION", "DELETE", "monitorlib"});
  s.Nothing(kMonitor);
}

void SecretsAreRedacted(BlockingScript& s) {
  s.IdOf(kWriter);  // HELLO's reply holds it
  Start(s);
  Shown(s, kWriter, {"AUTH", "secret"});
  Shown(s, kWriter, {"AUTH", "someone", "secret"});
  Shown(s, kWriter, {"AUTH", "a", "b", "c"});
  Shown(s, kWriter, {"HELLO", "2", "AUTH", "someone", "secret"});
  s.Send(kWriter, {"HELLO", "2", "SETNAME", "x", "AUTH", "default", "secret"});
  s.ReceiveAliased(kWriter).ReceiveMonitorLine(kMonitor);
  s.Nothing(kMonitor);
}

void BlockingPopsShownOnce(BlockingScript& s) {
  s.Call(3, {"PING"});
  Start(s);
  s.Block(3, {"BLPOP", "queue", "0"}).ReceiveMonitorLine(kMonitor);
  s.Call(kWriter, {"RPUSH", "queue", "job"}).ReceiveMonitorLine(kMonitor).Receive(3);
  s.Nothing(kMonitor);
}

void WhatAMonitorMayRun(BlockingScript& s) {
  s.Call(3, {"PING"});
  Start(s);
  s.Call(kMonitor, {"PING"}).ReceiveMonitorLine(kMonitor);
  s.Call(kMonitor, {"GET", "k"}).Call(kMonitor, {"SET", "k", "v"}).Nothing(kMonitor);
  s.Call(kMonitor, {"ECHO", "hi"}).ReceiveMonitorLine(kMonitor);
  // A second MONITOR gets no reply.
  s.Send(kMonitor, {"MONITOR"}).Nothing(kMonitor);
  // RESET leaves monitor mode before it would be shown to itself.
  s.Call(kMonitor, {"RESET"}).Nothing(kMonitor);
  s.Call(kWriter, {"SET", "after", "reset"}).Nothing(kMonitor);
  s.Call(kMonitor, {"GET", "after"});
  // Inside a transaction MONITOR is refused at EXEC.
  s.Call(3, {"MULTI"}).Call(3, {"MONITOR"}).Call(3, {"EXEC"}).Call(3, {"PING"});
}

const NamedScenario kScenarios[] = {
    {"QuotingAndDatabases", QuotingAndDatabases},       {"WhatIsNotShown", WhatIsNotShown},
    {"TransactionsAndScripts", TransactionsAndScripts}, {"SecretsAreRedacted", SecretsAreRedacted},
    {"BlockingPopsShownOnce", BlockingPopsShownOnce},   {"WhatAMonitorMayRun", WhatAMonitorMayRun},
};

INSTANTIATE_TEST_SUITE_P(Monitor, ScenarioSideBySideTest, ::testing::ValuesIn(kScenarios),
                         ScenarioName);

}  // namespace
}  // namespace ember::test
