// Keyspace notifications of the stream commands side by side with redis-server 7.0, in the
// same way as keyspace_events_side_by_side_test.cc: xadd, xtrim, xdel, xsetid and the
// xgroup-* events, including those raised by reads and claims that create consumers, and a
// blocked XREADGROUP served by an XADD.
#include <gtest/gtest.h>

#include "tests/integration/keyspace_events_script.h"

namespace ember::test {
namespace {

using keyspace_events::Each;
using keyspace_events::Finish;
using keyspace_events::kSubscriber;
using keyspace_events::kWriter;
using keyspace_events::Start;

// Streams: xadd (and xtrim when the add's own trim removed entries), xtrim, xdel, xsetid;
// a NOMKSTREAM add to a missing key and a trim or delete that removes nothing raise nothing.
void StreamCommands(BlockingScript& s) {
  Start(s, "KEA");
  Each(s, {{"XADD", "st", "1-1", "f", "v"},
           {"XADD", "st", "NOMKSTREAM", "2-1", "f", "v"},
           {"XADD", "missing", "NOMKSTREAM", "1-1", "f", "v"},
           {"XADD", "st", "MAXLEN", "1", "3-1", "f", "v"},
           {"XADD", "st", "4-1", "g", "w"},
           {"XTRIM", "st", "MAXLEN", "1"},
           {"XTRIM", "st", "MAXLEN", "5"},
           {"XDEL", "st", "4-1", "9-9"},
           {"XDEL", "st", "9-9"},
           {"XSETID", "st", "10-0"},
           {"XRANGE", "st", "-", "+"},
           {"XADD", "st", "MINID", "11", "11-1", "f", "v"}});
  Finish(s);
}

// Consumer groups: xgroup-create, -setid, -createconsumer (also when a read or a claim
// creates the consumer), -delconsumer, -destroy; XREADGROUP, XACK, XCLAIM and XAUTOCLAIM
// raise nothing else; a blocked XREADGROUP is served by an XADD.
void StreamGroupCommands(BlockingScript& s) {
  Start(s, "KEA");
  Each(s, {{"XGROUP", "CREATE", "gs", "g", "$", "MKSTREAM"},
           {"XGROUP", "CREATE", "gs", "g", "$"},
           {"XADD", "gs", "1-1", "f", "v"},
           {"XADD", "gs", "2-1", "f", "v"},
           {"XGROUP", "CREATECONSUMER", "gs", "g", "alice"},
           {"XGROUP", "CREATECONSUMER", "gs", "g", "alice"},
           {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "gs", ">"},
           {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "gs", ">"},
           {"XACK", "gs", "g", "1-1", "9-9"},
           {"XCLAIM", "gs", "g", "carol", "0", "2-1"},
           {"XAUTOCLAIM", "gs", "g", "dave", "0", "0"},
           {"XGROUP", "SETID", "gs", "g", "0"},
           {"XREADGROUP", "GROUP", "g", "erin", "NOACK", "STREAMS", "gs", ">"},
           {"XGROUP", "DELCONSUMER", "gs", "g", "bob"},
           {"XGROUP", "DELCONSUMER", "gs", "g", "nobody"},
           {"XGROUP", "DESTROY", "gs", "g"},
           {"XGROUP", "DESTROY", "gs", "g"},
           {"XGROUP", "CREATE", "gs", "w", "$"}});
  s.Block(3, {"XREADGROUP", "GROUP", "w", "frank", "BLOCK", "0", "STREAMS", "gs", ">"})
      .Call(kWriter, {"XADD", "gs", "3-1", "f", "v"})
      .Receive(3);
  s.Drain(kSubscriber);
  Finish(s);
}

const NamedScenario kScenarios[] = {
    {"StreamCommands", StreamCommands},
    {"StreamGroupCommands", StreamGroupCommands},
};

INSTANTIATE_TEST_SUITE_P(KeyspaceEventsStreams, ScenarioSideBySideTest,
                         ::testing::ValuesIn(kScenarios), ScenarioName);

}  // namespace
}  // namespace ember::test
