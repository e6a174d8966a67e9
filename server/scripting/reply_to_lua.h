// RESP -> Lua: turns the reply of a command a script called (rendered by the engine's own
// ReplyWriter, RESP2 or RESP3 as the script selected) into the Lua value redis.call returns,
// by Redis 7.0's conversion table: integers are numbers; bulk strings strings; RESP2 nulls
// false; the RESP3 null nil; booleans booleans; a status {ok=...}; an error {err=...};
// arrays tables; maps {map={k=v}}; sets {set={m=true}}; doubles {double=n}; big numbers
// {big_number="..."}; verbatim strings {verbatim_string={format=..., string=...}}.
//
// Engine thread only. The input comes from the engine itself, so it is trusted to be well
// formed; a malformed reply pushes an error table instead of reading out of bounds.
#pragma once

#include <lua.hpp>
#include <string_view>

namespace ember::server::scripting {

// Pushes the value of the first reply in `resp`. Returns true when that reply is an error.
bool PushReplyAsLua(lua_State* L, std::string_view resp);

}  // namespace ember::server::scripting
