// The Lua state scripts run in, shaped as Redis 7.0 shapes its own: Lua 5.1 with the base,
// table, string and math libraries plus cjson, bit, struct and cmsgpack; no os, io, debug,
// package, dofile, loadfile, print, getfenv, setfenv or newproxy; and every global and library
// table read-only.
//
// Redis patches its Lua with a read-only flag on tables. Debian's Lua has none, so the
// globals and each library table are reached through an empty proxy whose metatable reads
// from the real table and refuses writes; the base functions that bypass metatables
// (rawget, rawset, next, pairs, ipairs, getmetatable, setmetatable) are replaced by
// versions that see through a proxy and refuse to write to one. Reading a global that does
// not exist raises Redis's "Script attempted to access nonexistent global variable" error.
// A table function that writes raw integer keys (table.insert) into a proxy still succeeds,
// but lands in the proxy: no library function can be replaced.
//
// Threading: a lua_State belongs to one thread (the engine's).
#pragma once

#include <lua.hpp>
#include <span>
#include <string_view>

namespace ember::server::scripting {

// A new state with the libraries loaded, not yet protected. Returns null when Lua cannot
// allocate it.
lua_State* NewScriptState();

// Makes the globals, and every table reachable from them, read-only, and installs the
// global-access error. Call once, after everything scripts may see has been registered.
// Scripts compiled afterwards run with the protected globals as their environment.
void ProtectGlobals(lua_State* L);

// Pushes a read-only proxy of the table at `index` (one per table), refused by rawset and
// setmetatable like the globals' proxies: for tables published outside the globals (the
// function libraries' load-time API).
void PushReadOnlyProxy(lua_State* L, int index);

// Pushes a new table holding `values` at 1..n (KEYS and ARGV).
void PushStringArray(lua_State* L, std::span<const std::string_view> values);

// Sets global `name` to the value on top of the stack (popping it), bypassing the
// protection: how the engine publishes KEYS and ARGV for each run.
void SetRawGlobal(lua_State* L, const char* name);

}  // namespace ember::server::scripting
