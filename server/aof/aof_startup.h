// Loading the append-only file at startup (appendonly yes), on the event loop in chunks
// like the dump (clients get -LOADING meanwhile). What is loaded, in order of preference:
//   1. the multi-part set in appenddirname/ named by its manifest: base, then each
//      incremental file;
//   2. a legacy single-file `appendfilename` in `dir` (plain RESP or with an RDB preamble),
//      then moved into appenddirname/ as the base of a new set, as Redis 7 upgrades it;
//   3. unlike Redis (which starts empty there), dir/dbfilename when it exists, imported as
//      the first base, so turning the AOF on in the config never hides an existing dump;
//   4. nothing: an empty dataset.
// Then the set is opened for appending (aof_control.h: OpenAofAfterLoad).
//
// A file cut short inside its last command is loaded up to the last complete command and
// truncated there, with a warning, when it is the set's last file and aof-load-truncated is
// yes (an unfinished MULTI at the end is dropped the same way). Anything else — a cut in an
// earlier file, bad bytes, an unknown command — stops the server with the file and offset:
// it never serves a partial dataset silently.
//
// Threading: engine thread (a coroutine on the server's io_context).
#pragma once

#include <boost/asio/awaitable.hpp>

namespace ember::server {

class ServerState;

boost::asio::awaitable<bool> LoadAofAtStartup(ServerState& state);

}  // namespace ember::server
