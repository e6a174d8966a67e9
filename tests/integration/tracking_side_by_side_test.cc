// Client-side caching (CLIENT TRACKING) side by side with redis-server 7.0
// (scenario_side_by_side.h), in RESP2 and RESP3: invalidations for keys read in the default
// mode, OPTIN/OPTOUT with CLIENT CACHING, BCAST prefixes, NOLOOP, transactions, flushes,
// swaps, expiry, broken redirections, and the option errors. Invalidations go to a redirection
// client subscribed to __redis__:invalidate (a message in RESP2, a push in RESP3), so the
// streams are comparable in both protocols; a client's own pushes are RESP3 only. Replies
// that hold a client id are recorded with the id's alias.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/scenario_side_by_side.h"

namespace ember::test {
namespace {

// Connection 3 receives client 1's invalidations.
std::string RedirectTo3(BlockingScript& s) {
  const std::string id = s.IdOf(3);
  s.Call(3, {"SUBSCRIBE", "__redis__:invalidate"});
  return id;
}

void ReadKeysAreInvalidatedOnce(BlockingScript& s) {
  const std::string id3 = RedirectTo3(s);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", id3});
  s.Call(1, {"GET", "a"}).Call(1, {"MGET", "b", "c"}).Call(1, {"SET", "untracked", "v1"});
  s.Call(2, {"SET", "a", "v1"}).Receive(3).Call(2, {"SET", "a", "v2"}).Nothing(3);
  s.Call(2, {"MSET", "b", "x", "c", "y", "untracked", "z"}).Receive(3).Receive(3).Nothing(3);
  s.Call(1, {"GET", "a"}).Call(2, {"EXPIRE", "a", "100"}).Receive(3);
  s.Call(1, {"STRLEN", "a"}).Call(2, {"DEL", "a", "missing"}).Receive(3);
  s.Call(1, {"GET", "b"}).Call(2, {"FLUSHALL"}).Receive(3).Nothing(3);
  s.Send(1, {"CLIENT", "GETREDIR"}).ReceiveAliased(1);
  s.Send(1, {"CLIENT", "TRACKINGINFO"}).ReceiveAliased(1);
}

void ExpiryInvalidatesAndSwapsDoNot(BlockingScript& s) {
  const std::string id3 = RedirectTo3(s);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", id3});
  s.Call(2, {"SET", "k", "v", "PX", "100"}).Call(1, {"GET", "k"}).Sleep(400).Receive(3);
  s.Call(1, {"GET", "j"}).Call(2, {"SWAPDB", "0", "0"}).Nothing(3);
  // A swap invalidates nothing, and keys are tracked by name whatever the database.
  s.Call(2, {"SWAPDB", "0", "1"}).Nothing(3);
  s.Call(2, {"SELECT", "1"}).Call(2, {"SET", "j", "other db"}).Receive(3);
  s.Call(1, {"GET", "j"}).Call(2, {"SET", "j", "db 1 too"}).Receive(3);
}

void OptInAndOptOut(BlockingScript& s) {
  const std::string id3 = RedirectTo3(s);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", id3, "OPTIN"});
  s.Call(1, {"GET", "a"}).Call(2, {"SET", "a", "v1"}).Nothing(3);
  s.Call(1, {"CLIENT", "CACHING", "YES"}).Send(1, {"CLIENT", "TRACKINGINFO"}).ReceiveAliased(1);
  s.Call(1, {"GET", "a"}).Call(1, {"GET", "b"});
  s.Call(2, {"MSET", "a", "v2", "b", "v2"}).Receive(3).Nothing(3);
  s.Call(1, {"CLIENT", "CACHING", "YES"}).Call(1, {"MULTI"}).Call(1, {"GET", "a"});
  s.Call(1, {"GET", "b"}).Call(1, {"EXEC"}).Call(1, {"GET", "c"});
  s.Call(2, {"MSET", "a", "v3", "b", "v3", "c", "v3"}).Receive(3).Receive(3).Nothing(3);
  s.Call(1, {"CLIENT", "CACHING", "NO"}).Call(1, {"CLIENT", "CACHING", "maybe"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "OPTOUT"});
  s.Call(1, {"CLIENT", "TRACKING", "OFF"}).Call(1, {"CLIENT", "CACHING", "YES"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", id3, "OPTOUT"});
  s.Call(1, {"GET", "a"}).Call(1, {"CLIENT", "CACHING", "NO"}).Call(1, {"GET", "b"});
  s.Call(2, {"MSET", "a", "v4", "b", "v4"}).Receive(3).Nothing(3);
}

void BroadcastByPrefix(BlockingScript& s) {
  const std::string id3 = RedirectTo3(s);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", id3, "BCAST", "PREFIX", "user:", "PREFIX",
             "job:"});
  s.Call(2, {"SET", "user:1", "x"}).Receive(3).Call(2, {"SET", "other", "x"}).Nothing(3);
  s.Call(2, {"MSET", "user:2", "a", "user:1", "b", "job:9", "c", "other", "d"});
  s.Receive(3).Receive(3).Nothing(3);
  s.Call(1, {"SET", "user:5", "own write"}).Receive(3);
  s.Call(1, {"GET", "user:7"}).Call(2, {"DEL", "user:7"}).Nothing(3);
  s.Send(1, {"CLIENT", "TRACKINGINFO"}).ReceiveAliased(1);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", id3, "PREFIX", "user:x"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", id3, "PREFIX", "us"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", id3, "PREFIX", "acct:"});
  s.Call(2, {"SET", "acct:1", "x"}).Receive(3);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", id3});
  s.Call(2, {"FLUSHDB"}).Receive(3);
  s.Call(1, {"CLIENT", "TRACKING", "OFF"}).Call(2, {"SET", "user:1", "x"}).Nothing(3);
}

void OptionErrors(BlockingScript& s) {
  s.Call(1, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a", "PREFIX", "ab"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "PREFIX", "a"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", "999999"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", "abc"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT"});
  s.Call(1, {"CLIENT", "TRACKING", "maybe"}).Call(1, {"CLIENT", "TRACKING", "ON", "FOO"});
  s.Call(1, {"CLIENT", "TRACKING", "OFF", "FOO"}).Call(1, {"CLIENT", "TRACKING"});
  s.Call(1, {"CLIENT", "CACHING", "YES"}).Call(1, {"CLIENT", "GETREDIR"});
  s.Call(1, {"CLIENT", "TRACKINGINFO"}).Call(1, {"CLIENT", "TRACKINGINFO", "x"});
  s.Call(1, {"CLIENT", "TRACKING", "ON"}).Call(1, {"CLIENT", "TRACKING", "ON", "BCAST"});
  s.Call(1, {"CLIENT", "TRACKING", "ON", "NOLOOP"}).Call(1, {"CLIENT", "TRACKINGINFO"});
  s.Call(1, {"CLIENT", "GETREDIR"}).Call(1, {"RESET"}).Call(1, {"CLIENT", "TRACKINGINFO"});
  s.Call(2, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "b", "PREFIX", "a"});
  s.Call(2, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "c", "PREFIX", "a"});
  s.Call(2, {"CLIENT", "TRACKINGINFO"}).Call(2, {"CLIENT", "TRACKING", "ON", "BCAST"});
  s.Call(2, {"CLIENT", "TRACKINGINFO"});
}

// RESP3 only: a client's own invalidations, after its reply (and after EXEC), and NOLOOP.
void OwnPushes(BlockingScript& s) {
  if (s.resp() != 3) return;
  s.Call(1, {"CLIENT", "TRACKING", "ON"}).Call(1, {"GET", "k"});
  s.Call(1, {"SET", "k", "v"}).Receive(1).Call(1, {"GET", "k"});
  s.Call(1, {"MULTI"}).Call(1, {"SET", "k", "v1"}).Call(1, {"GET", "k"}).Call(1, {"EXEC"});
  s.Receive(1).Nothing(1);
  s.Call(2, {"SET", "k", "v2"}).Receive(1).Call(1, {"GET", "k"}).Call(2, {"FLUSHALL"});
  s.Receive(1).Call(1, {"FLUSHDB"}).Receive(1);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "NOLOOP"}).Call(1, {"GET", "k"});
  s.Call(1, {"SET", "k", "v3"}).Nothing(1).Call(2, {"SET", "k", "v4"}).Nothing(1);
  s.Call(1, {"GET", "k"}).Call(2, {"SET", "k", "v5"}).Receive(1);
  s.Call(3, {"CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP", "PREFIX", "p:"});
  s.Call(3, {"MSET", "p:1", "a", "p:2", "b"}).Nothing(3);
  s.Call(2, {"SET", "p:3", "c"}).Receive(3);
}

void BrokenRedirection(BlockingScript& s) {
  const std::string id3 = RedirectTo3(s);
  s.Call(1, {"CLIENT", "TRACKING", "ON", "REDIRECT", id3}).Call(1, {"GET", "k"});
  s.Close(3).Sleep(100).Call(2, {"SET", "k", "v"});
  if (s.resp() == 3) s.ReceiveAliased(1);
  s.Nothing(1).Send(1, {"CLIENT", "TRACKINGINFO"}).ReceiveAliased(1);
  s.Call(1, {"CLIENT", "TRACKING", "ON"}).Call(1, {"CLIENT", "TRACKINGINFO"});
}

const NamedScenario kScenarios[] = {
    {"ReadKeysAreInvalidatedOnce", ReadKeysAreInvalidatedOnce},
    {"ExpiryInvalidatesAndSwapsDoNot", ExpiryInvalidatesAndSwapsDoNot},
    {"OptInAndOptOut", OptInAndOptOut},
    {"BroadcastByPrefix", BroadcastByPrefix},
    {"OptionErrors", OptionErrors},
    {"OwnPushes", OwnPushes},
    {"BrokenRedirection", BrokenRedirection},
};

INSTANTIATE_TEST_SUITE_P(Tracking, ScenarioSideBySideTest, ::testing::ValuesIn(kScenarios),
                         ScenarioName);

}  // namespace
}  // namespace ember::test
