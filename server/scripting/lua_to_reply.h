// Lua -> RESP: renders the value a script returned as the client's reply, by Redis 7.0's
// conversion table. Strings are bulk strings; numbers are integers (truncated toward
// zero); true is 1 and false a null in RESP2 mode, booleans in RESP3 mode (redis.setresp);
// tables are, by the first field present: err (an error), ok (a status), double, big_number,
// verbatim_string, map, set; otherwise an array of the values at 1, 2, ... up to the first
// nil. Anything else (nil, functions, userdata) is a null.
//
// Engine thread only.
#pragma once

#include <lua.hpp>

#include "protocol/reply_writer.h"

namespace ember::server::scripting {

// Renders the value on top of the stack into `reply` and pops it. `script_resp` is the
// protocol the script selected with redis.setresp (2 or 3).
void ReplyWithLuaValue(lua_State* L, protocol::ReplyWriter& reply, int script_resp);

}  // namespace ember::server::scripting
