// Script errors as Redis 7.0 carries them through Lua: a table whose `err` field holds
// "CODE message" (what redis.pcall returns and redis.call raises), plus, once the error
// handler has seen it, `source` and `line` of the script position that raised it.
//
// Engine thread only (they operate on the caller's lua_State).
#pragma once

#include <lua.hpp>
#include <string>
#include <string_view>

namespace ember::server::scripting {

// Pushes {err = "CODE message"} for `text`. "-CODE message" keeps its code; text without a
// leading '-' gets "ERR". A trailing CR/LF is dropped, as from Redis's shared replies.
void PushErrorTable(lua_State* L, std::string_view text);

// The same, marked so that the error is not counted twice in the error statistics (it was
// counted when the command that failed replied).
void PushCountedErrorTable(lua_State* L, std::string_view text);

// The error handler scripts run under (lua_pcall's msgh): turns any error value into an
// error table and records the script position that raised it.
int ScriptErrorHandler(lua_State* L);

// What a failed run reports: the error table (or value) on top of the stack, as the
// client's error reply text: "CODE message script: <name>, on @user_script:<line>.".
std::string ScriptErrorReply(lua_State* L, std::string_view script_name);

// Whether the value on top of the stack is an error table that asks not to count the error
// again (one redis.call raised or redis.pcall returned).
bool ErrorAlreadyCounted(lua_State* L);

}  // namespace ember::server::scripting
