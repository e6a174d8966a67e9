// Keyspace notifications side by side with redis-server 7.0 (scenario_side_by_side.h): one
// connection subscribes to every notification channel (__key*__:*), another runs a script
// of commands with notify-keyspace-events set, and the notification streams — every
// message, in order — must be byte-identical in RESP2 and RESP3. Covered: the string, hash,
// set, list, sorted-set (blocking pops served at once and after waiting), stream and keyspace
// families
// ("set", "expire", "incrby", "append", "setrange", "setbit", "pfadd", "del",
// "rename_from"/"rename_to", "move_from"/"move_to", "copy_to", "restore", "persist",
// "sortstore"), the keyspace's own events ("new", "expired" by the active cycle, "keymiss"),
// the class filters and the K/E channel choice, and CONFIG GET's canonical form. Streams are
// in keyspace_events_streams_side_by_side_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/keyspace_events_script.h"

namespace ember::test {
namespace {

using keyspace_events::Each;
using keyspace_events::Finish;
using keyspace_events::kSubscriber;
using keyspace_events::kWriter;
using keyspace_events::Start;

void StringCommands(BlockingScript& s) {
  Start(s, "KEA");
  Each(s, {{"SET", "k", "v"},
           {"SET", "k", "v2", "EX", "100"},
           {"SET", "k", "v3", "KEEPTTL"},
           {"SET", "k", "v4", "NX"},
           {"SET", "k", "v5", "XX", "GET"},
           {"SETNX", "k", "x"},
           {"SETNX", "k2", "x"},
           {"SETEX", "k3", "100", "v"},
           {"PSETEX", "k4", "100000", "v"},
           {"GETSET", "k", "old"},
           {"MSET", "a", "1", "b", "2", "a", "3"},
           {"MSETNX", "a", "1", "c", "2"},
           {"MSETNX", "c", "1", "d", "2"},
           {"INCR", "n"},
           {"DECR", "n"},
           {"INCRBY", "n", "5"},
           {"DECRBY", "n", "5"},
           {"INCRBYFLOAT", "n", "1.5"},
           {"APPEND", "s", "abc"},
           {"APPEND", "s", "def"},
           {"SETRANGE", "s", "1", "ZZ"},
           {"SETRANGE", "s", "1", ""},
           {"SETRANGE", "new", "3", "x"},
           {"GETDEL", "s"},
           {"GETDEL", "s"},
           {"GETEX", "k", "EX", "100"},
           {"GETEX", "k", "PERSIST"},
           {"GETEX", "k", "PERSIST"},
           {"GETEX", "k"},
           {"GETEX", "k", "PXAT", "1"},
           {"GET", "k"},
           {"INCR", "k2"}});
  Finish(s);
}

// SETBIT and BITFIELD raise "setbit" only when a bit changed (or the string was created or
// grew); BITOP raises "set" on its destination, or "del" when an empty result deletes it.
void BitmapCommands(BlockingScript& s) {
  Start(s, "KEA");
  Each(s, {{"SETBIT", "b", "7", "1"},
           {"SETBIT", "b", "7", "1"},
           {"SETBIT", "b", "7", "0"},
           {"SETBIT", "b", "20", "0"},
           {"SETBIT", "b", "-1", "0"},
           {"GETBIT", "missing", "0"},
           {"BITCOUNT", "missing"},
           {"BITPOS", "missing", "1"},
           {"BITFIELD", "f", "GET", "u8", "0"},
           {"BITFIELD", "f", "SET", "u8", "0", "0"},
           {"BITFIELD", "f", "SET", "u8", "0", "0"},
           {"BITFIELD", "f", "SET", "u8", "0", "5", "INCRBY", "u8", "8", "1"},
           {"BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300"},
           {"BITFIELD", "g", "OVERFLOW", "FAIL", "SET", "u8", "0", "300"},
           {"BITFIELD_RO", "f", "GET", "u8", "0"},
           {"BITOP", "OR", "d", "b", "f"},
           {"BITOP", "AND", "d", "missing"},
           {"BITOP", "AND", "d", "missing"},
           {"BITOP", "NOT", "d", "b"}});
  Finish(s);
}

// SORT ... STORE raises "sortstore" on its destination ("new" first when it creates it), or
// "del" when an empty result deletes it; SORT's reads (the key, BY and GET lookups) and
// LCS's raise only "keymiss" for what they miss.
void SortCommands(BlockingScript& s) {
  Start(s, "KEAmn");
  Each(s, {{"RPUSH", "src", "2", "1"},
           {"SET", "w_1", "5"},
           {"SORT", "src"},
           {"SORT", "src", "BY", "w_*", "GET", "#", "GET", "n_*"},
           {"SORT", "src", "STORE", "dst"},
           {"SORT", "src", "DESC", "STORE", "dst"},
           {"SORT_RO", "src", "BY", "nosort", "GET", "w_*"},
           {"SORT", "missing", "STORE", "dst"},
           {"SORT", "missing", "STORE", "dst"},
           {"SORT", "src", "LIMIT", "0", "1", "GET", "n_*", "STORE", "w_1"},
           {"SORT", "w_1", "STORE", "dst"},
           {"LCS", "w_1", "missing"},
           {"LCS", "src", "w_1"}});
  Finish(s);
}

// PFADD raises "pfadd" only when a register moved or the key was created; PFMERGE raises
// "pfadd" too (Redis's choice: a merge is a mass add), always; PFCOUNT, even when it
// rewrites the cached cardinality, and PFDEBUG raise nothing.
void HyperLogLogCommands(BlockingScript& s) {
  Start(s, "KEA");
  Each(s, {{"PFADD", "h", "a", "b"},
           {"PFADD", "h", "a"},
           {"PFADD", "empty"},
           {"PFCOUNT", "h"},
           {"PFCOUNT", "h", "empty"},
           {"PFMERGE", "m", "h"},
           {"PFMERGE", "m"},
           {"PFDEBUG", "TODENSE", "m"},
           {"PFDEBUG", "GETREG", "h"},
           {"PFADD", "m", "c"}});
  Finish(s);
}

// GEOADD raises zadd (it is a ZADD underneath); the storing searches raise their own
// event, or del when an empty result removed the destination; reads raise nothing.
void GeoCommands(BlockingScript& s) {
  Start(s, "KEA");
  Each(s,
       {{"GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"},
        {"GEOADD", "g", "NX", "13.361389", "38.115556", "Palermo"},
        {"GEOADD", "g", "XX", "CH", "13.5", "38.2", "Palermo"},
        {"GEOPOS", "g", "Palermo"},
        {"GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"},
        {"GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"},
        {"GEORADIUS", "g", "15", "37", "200", "km", "STORE", "dst2"},
        {"GEORADIUSBYMEMBER", "g", "Palermo", "200", "km", "STOREDIST", "dst3"},
        {"GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"},
        {"GEORADIUS", "missing", "15", "37", "1", "km", "STORE", "dst2"},
        {"GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"}});
  Finish(s);
}

// DUMP's payload of `key`, read without recording (both servers write the same bytes).
std::string DumpPayload(BlockingScript& s, const std::string& key) {
  const std::string reply = s.Unrecorded(kWriter, {"DUMP", key});  // "$<n>\r\n<payload>\r\n"
  const size_t start = reply.find("\r\n") + 2;
  return reply.substr(start, reply.size() - start - 2);
}

void KeyspaceCommands(BlockingScript& s) {
  Start(s, "KEA");
  Each(s, {{"MSET", "a", "1", "b", "2", "c", "3"},
           {"DEL", "a", "missing", "b", "a"},
           {"UNLINK", "c"},
           {"SET", "k", "v"},
           {"EXPIRE", "k", "100"},
           {"PEXPIRE", "k", "100000", "NX"},
           {"EXPIREAT", "k", "99999999999", "GT"},
           {"PERSIST", "k"},
           {"PERSIST", "k"},
           {"PEXPIREAT", "k", "1"},
           {"SET", "k", "v"},
           {"RENAME", "k", "k2"},
           {"RENAME", "k2", "k2"},
           {"SET", "k", "v"},
           {"RENAME", "k", "k2"},
           {"RENAMENX", "k2", "k3"},
           {"SET", "k", "v"},
           {"RENAMENX", "k", "k3"},
           {"COPY", "k3", "k4"},
           {"COPY", "k3", "k4", "REPLACE"},
           {"COPY", "k3", "k5", "DB", "1"},
           {"MOVE", "k4", "2"},
           {"MOVE", "k4", "2"},
           {"DUMP", "missing"}});
  const std::string payload = DumpPayload(s, "k3");
  Each(s, {{"RESTORE", "r", "0", payload},
           {"RESTORE", "r", "0", payload, "REPLACE"},
           {"RESTORE", "r", "1", payload, "REPLACE", "ABSTTL"},
           {"FLUSHDB"}});
  s.Call(kWriter, {"SELECT", "2"}).Call(kWriter, {"FLUSHDB"}).Call(kWriter, {"SELECT", "1"});
  s.Call(kWriter, {"FLUSHDB"}).Call(kWriter, {"SELECT", "0"});
  Finish(s);
}

void KeyspaceOwnEvents(BlockingScript& s) {
  Start(s, "KEAnm");
  Each(s, {{"CONFIG", "GET", "notify-keyspace-events"},
           {"GET", "missing"},
           {"EXISTS", "missing"},
           {"SET", "k", "v", "PX", "100"}});
  // Removed by the active expiry cycle (which one removes first is random, so one key).
  s.Sleep(500).Drain(kSubscriber);
  Each(s, {{"INCR", "n"},
           {"SET", "n", "1"},
           {"CONFIG", "SET", "notify-keyspace-events", "Kg"},
           {"SET", "x", "1"},
           {"DEL", "x", "n"},
           {"CONFIG", "SET", "notify-keyspace-events", "E$"},
           {"SET", "x", "1"},
           {"DEL", "x"},
           {"CONFIG", "SET", "notify-keyspace-events", "g$"},
           {"SET", "x", "1"},
           {"DEL", "x"},
           {"CONFIG", "SET", "notify-keyspace-events", "KEQ"},
           {"CONFIG", "GET", "notify-keyspace-events"},
           {"CONFIG", "SET", "notify-keyspace-events", "glshzxe$Kt"},
           {"CONFIG", "GET", "notify-keyspace-events"},
           {"CONFIG", "SET", "notify-keyspace-events", "AKEnm"},
           {"CONFIG", "GET", "notify-keyspace-events"}});
  Finish(s);
}

void HashCommands(BlockingScript& s) {
  Start(s, "KEAn");
  Each(s, {{"HSET", "h", "a", "1", "b", "2"},
           {"HSET", "h", "a", "1"},
           {"HMSET", "h", "c", "3"},
           {"HSETNX", "h", "a", "9"},
           {"HSETNX", "h", "d", "4"},
           {"HINCRBY", "h", "n", "5"},
           {"HINCRBYFLOAT", "h", "f", "1.5"},
           {"HDEL", "h", "missing"},
           {"HDEL", "h", "a", "b"},
           {"HDEL", "h", "c", "d", "n", "f"},
           {"HGET", "h", "a"},
           {"HINCRBY", "h2", "n", "1"},
           {"SET", "s", "v"},
           {"HSET", "s", "a", "1"}});
  Finish(s);
}

void SetCommands(BlockingScript& s) {
  Start(s, "KEAn");
  Each(s, {{"SADD", "s", "a", "b", "c"},
           {"SADD", "s", "a"},
           {"SREM", "s", "x"},
           {"SREM", "s", "a"},
           {"SMOVE", "s", "t", "b"},
           {"SMOVE", "s", "t", "b"},
           {"SADD", "t", "c"},
           {"SMOVE", "s", "t", "c"},
           {"SMOVE", "t", "t", "c"},
           {"SADD", "u", "1"},
           {"SPOP", "u"},
           {"SPOP", "u"},
           {"SADD", "u", "1", "2", "3", "4"},
           {"SPOP", "u", "0"}});
  // Which members SPOP takes is random: only the events are compared.
  for (const char* count : {"1", "10"}) {
    s.Unrecorded(kWriter, {"SPOP", "u", count});
    s.Drain(kSubscriber);
  }
  Each(s, {{"SADD", "a", "1", "2"},
           {"SADD", "b", "2", "3"},
           {"SINTERSTORE", "d", "a", "b"},
           {"SUNIONSTORE", "d", "a", "b"},
           {"SDIFFSTORE", "d", "a", "b"},
           {"SINTERSTORE", "d", "a", "missing"},
           {"SINTERSTORE", "d", "a", "missing"},
           {"SDIFFSTORE", "e", "a", "a"},
           {"SREM", "t", "b", "c"}});
  Finish(s);
}

void ListCommands(BlockingScript& s) {
  Start(s, "KEAn");
  Each(s, {{"LPUSH", "l", "a", "b"},
           {"RPUSH", "l", "c"},
           {"LPUSHX", "missing", "x"},
           {"RPUSHX", "l", "d"},
           {"LSET", "l", "0", "B"},
           {"LINSERT", "l", "BEFORE", "c", "x"},
           {"LINSERT", "l", "BEFORE", "nope", "x"},
           {"LREM", "l", "0", "nope"},
           {"LREM", "l", "0", "x"},
           {"LTRIM", "l", "0", "-1"},
           {"LTRIM", "l", "1", "-1"},
           {"LTRIM", "missing", "0", "1"},
           {"LPOP", "l"},
           {"RPOP", "l", "0"},
           {"RPOP", "l", "5"},
           {"LPOP", "l"},
           {"RPUSH", "src", "1", "2"},
           {"LMOVE", "src", "dst", "LEFT", "RIGHT"},
           {"RPOPLPUSH", "src", "dst"},
           {"LMOVE", "dst", "dst", "LEFT", "RIGHT"},
           {"LMPOP", "2", "none", "dst", "RIGHT", "COUNT", "5"},
           {"RPUSH", "q", "1"},
           {"BLPOP", "q", "0"},
           {"RPUSH", "q", "1", "2"},
           {"BLMOVE", "q", "r", "RIGHT", "LEFT", "0"},
           {"BLMPOP", "0", "1", "q", "LEFT"},
           {"LTRIM", "r", "1", "0"}});
  // Served after waiting: the pop (and the del of the emptied list) follow the push.
  s.Block(3, {"BRPOP", "w", "0"}).Call(kWriter, {"LPUSH", "w", "x"}).Receive(3).Drain(kSubscriber);
  s.Block(3, {"BRPOPLPUSH", "w", "w2", "0"}).Call(kWriter, {"RPUSH", "w", "y"}).Receive(3);
  s.Drain(kSubscriber);
  Finish(s);
}

void SortedSetCommands(BlockingScript& s) {
  Start(s, "KEAn");
  Each(s, {{"ZADD", "z", "1", "a", "2", "b", "3", "c"},
           {"ZADD", "z", "1", "a"},
           {"ZADD", "z", "CH", "5", "a"},
           {"ZADD", "z", "INCR", "1", "a"},
           {"ZADD", "z", "NX", "INCR", "1", "a"},
           {"ZINCRBY", "z", "0", "b"},
           {"ZINCRBY", "z", "2", "b"},
           {"ZREM", "z", "nope"},
           {"ZREM", "z", "c"},
           {"ZADD", "z", "7", "d", "8", "e", "9", "f"},
           {"ZREMRANGEBYRANK", "z", "0", "0"},
           {"ZREMRANGEBYSCORE", "z", "100", "200"},
           {"ZREMRANGEBYSCORE", "z", "7", "7"},
           {"ZREMRANGEBYLEX", "z", "-", "+"},
           {"ZADD", "y", "1", "a", "2", "b", "3", "c"},
           {"ZPOPMIN", "y"},
           {"ZPOPMAX", "y", "0"},
           {"ZPOPMAX", "y", "5"},
           {"ZADD", "y", "1", "a", "2", "b"},
           {"ZRANGESTORE", "d", "y", "0", "-1"},
           {"ZRANGESTORE", "d", "y", "5", "6"},
           {"ZRANGESTORE", "d", "y", "5", "6"},
           {"ZUNIONSTORE", "u", "2", "y", "missing"},
           {"ZINTERSTORE", "u", "2", "y", "missing"},
           {"ZDIFFSTORE", "u", "1", "y"},
           {"ZMPOP", "2", "none", "y", "MIN", "COUNT", "5"},
           {"ZADD", "q", "1", "a"},
           {"BZPOPMAX", "q", "0"},
           {"ZADD", "q", "1", "a", "2", "b"},
           {"BZMPOP", "0", "1", "q", "MAX", "COUNT", "2"}});
  s.Block(3, {"BZPOPMIN", "w", "0"}).Call(kWriter, {"ZADD", "w", "1", "x"}).Receive(3);
  s.Drain(kSubscriber);
  Finish(s);
}

void EventsOfATransactionArriveAfterExec(BlockingScript& s) {
  Start(s, "KEA");
  s.Call(kWriter, {"MULTI"}).Call(kWriter, {"SET", "a", "1"}).Call(kWriter, {"INCR", "a"});
  s.Call(kWriter, {"DEL", "a"}).Nothing(kSubscriber).Call(kWriter, {"EXEC"}).Drain(kSubscriber);
  Finish(s);
}

const NamedScenario kScenarios[] = {
    {"StringCommands", StringCommands},
    {"BitmapCommands", BitmapCommands},
    {"HyperLogLogCommands", HyperLogLogCommands},
    {"SortCommands", SortCommands},
    {"GeoCommands", GeoCommands},
    {"KeyspaceCommands", KeyspaceCommands},
    {"KeyspaceOwnEvents", KeyspaceOwnEvents},
    {"HashCommands", HashCommands},
    {"SetCommands", SetCommands},
    {"ListCommands", ListCommands},
    {"SortedSetCommands", SortedSetCommands},
    {"EventsOfATransactionArriveAfterExec", EventsOfATransactionArriveAfterExec},
};

INSTANTIATE_TEST_SUITE_P(KeyspaceEvents, ScenarioSideBySideTest, ::testing::ValuesIn(kScenarios),
                         ScenarioName);

}  // namespace
}  // namespace ember::test
