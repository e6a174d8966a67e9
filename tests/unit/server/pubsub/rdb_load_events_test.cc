// Keys loaded from the dump at startup raise no keyspace events, as in Redis: a subscriber
// that connected while the load ran (it may: the listeners are up) hears nothing of the
// loaded keys (not even "new"), and hears the first write after the load as usual.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "persistence/rdb_save.h"
#include "server/command/dispatcher.h"
#include "server/pubsub/keyspace_events.h"
#include "server/rdb/rdb_startup.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

TEST(RdbLoadEventsTest, LoadedKeysRaiseNoKeyspaceEvents) {
  test::TempDir dir("ember-rdb-events");
  ASSERT_FALSE(dir.path().empty());
  ServerConfig config;
  // The server reads dbfilename relative to `dir`, its working directory; here, absolute.
  config.dbfilename = dir.path() + "/dump.rdb";
  {
    ServerState writer_state(config);
    Dispatcher writer(CommandTable::Default(), writer_state);
    ClientState client;
    client.id = 1;
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"SET", "s", "v"},
                                               {"HSET", "h", "f", "v"},
                                               {"RPUSH", "l", "a"},
                                               {"SELECT", "3"},
                                               {"SADD", "set", "m"},
                                               {"ZADD", "z", "1", "m"}}) {
      RunCommand(writer, client, args, 1'000'000);
    }
    persistence::RdbSaveStats stats;
    ASSERT_TRUE(
        persistence::SaveRdbFile(writer_state.keyspace(), config.dbfilename, {}, 1'000, &stats)
            .ok());
    ASSERT_EQ(stats.keys, 5u);
  }

  const std::optional<uint32_t> classes = ParseKeyspaceEvents("KEAn");
  ASSERT_TRUE(classes.has_value());
  config.notify_keyspace_events = *classes;
  ServerState state(config);
  Dispatcher dispatcher(CommandTable::Default(), state);
  ClientState subscriber;
  subscriber.id = 7;
  state.RegisterClient(&subscriber);
  ASSERT_NE(RunCommand(dispatcher, subscriber, {"PSUBSCRIBE", "__key*"}, 1'000'000), "");

  boost::asio::io_context io;
  bool loaded = false;
  boost::asio::co_spawn(io, LoadRdbDump(state),
                        [&](std::exception_ptr e, bool ok) { loaded = !e && ok; });
  io.run();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(state.keyspace().db(0).size(), 3u);
  EXPECT_EQ(state.keyspace().db(3).size(), 2u);
  EXPECT_EQ(subscriber.outbox, "") << "the load raised events";

  ClientState writer;
  writer.id = 8;
  state.RegisterClient(&writer);
  RunCommand(dispatcher, writer, {"SET", "after", "v"}, 1'000'000);
  EXPECT_NE(subscriber.outbox.find("__keyspace@0__:after"), std::string::npos) << subscriber.outbox;
  EXPECT_NE(subscriber.outbox.find("__keyevent@0__:new"), std::string::npos) << subscriber.outbox;
  EXPECT_NE(subscriber.outbox.find("__keyevent@0__:set"), std::string::npos) << subscriber.outbox;
  state.UnregisterClient(&writer);
  state.UnregisterClient(&subscriber);
}

}  // namespace
}  // namespace ember::server
