// Loading the dump at startup, on the event loop, in chunks: while it runs the listeners
// are already up and every command without the `loading` flag gets -LOADING (INFO shows
// loading:1, which clients such as ioredis wait on).
//
// A missing file is an empty start. A file that cannot be read or does not decode ends
// the load with false after logging why, and the server exits non-zero: it fails closed
// rather than serving an empty dataset over a dump it could not read.
//
// Threading: engine thread (a coroutine on the server's io_context).
#pragma once

#include <boost/asio/awaitable.hpp>

namespace ember::server {

class ServerState;

// With appendonly yes the append-only file is the source of truth (aof_startup.h);
// otherwise the dump is loaded.
boost::asio::awaitable<bool> LoadDatasetAtStartup(ServerState& state);

// Loads dir/dbfilename when it exists.
boost::asio::awaitable<bool> LoadRdbDump(ServerState& state);

}  // namespace ember::server
