#include "server/scripting/lua_sandbox.h"

#include <initializer_list>

// Debian's headers for the two C libraries declare their entry points without C linkage.
extern "C" {
#include <lua-bitop.h>
#include <lua-cjson.h>
}

#include "server/scripting/lua_libs/lua_cmsgpack.h"
#include "server/scripting/lua_libs/lua_struct.h"

namespace ember::server::scripting {
namespace {

constexpr const char* kReadonlyError = "Attempt to modify a readonly table";
// Registry tables: proxy -> real table, and real table -> proxy.
constexpr const char* kTargetOf = "ember.target_of";
constexpr const char* kProxyOf = "ember.proxy_of";
// Registry: the real globals table (its proxy is LUA_GLOBALSINDEX once protected).
constexpr const char* kRealGlobals = "ember.real_globals";

// Looks `index`'s value up in registry map `map`; pushes the result (nil when absent).
// A stack index that stays valid as values are pushed (pseudo-indices stay as they are).
int Absolute(lua_State* L, int index) {
  return index < 0 && index > LUA_REGISTRYINDEX ? lua_gettop(L) + index + 1 : index;
}

void PushMapped(lua_State* L, const char* map, int index) {
  index = Absolute(L, index);
  lua_getfield(L, LUA_REGISTRYINDEX, map);
  lua_pushvalue(L, index);
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

// Replaces the proxy at `index` by its real table; anything else stays.
void SeeThrough(lua_State* L, int index) {
  if (!lua_istable(L, index)) return;
  PushMapped(L, kTargetOf, index);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
  } else {
    lua_replace(L, index);
  }
}

bool IsProtected(lua_State* L, int index) {
  if (!lua_istable(L, index)) return false;
  PushMapped(L, kTargetOf, index);
  PushMapped(L, kProxyOf, index);
  const bool is_protected = !lua_isnil(L, -1) || !lua_isnil(L, -2);
  lua_pop(L, 2);
  return is_protected;
}

// Raised by functions called from a script: Redis's message carries no position there.
[[noreturn]] void RaiseReadonly(lua_State* L) {
  lua_pushstring(L, kReadonlyError);
  lua_error(L);
  __builtin_unreachable();
}

// __newindex of a proxy: an assignment in the script, so the message names its line.
int ProxyNewIndex(lua_State* L) { return luaL_error(L, kReadonlyError); }

// __index of the real globals: the last stop of a global lookup.
int NonexistentGlobal(lua_State* L) {
  if (!lua_isstring(L, 2)) {
    return luaL_error(L, "Second argument to luaProtectedTableError must be a string or number");
  }
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                    lua_tostring(L, 2));
}

int RawGet(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  SeeThrough(L, 1);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

int RawSet(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  if (IsProtected(L, 1)) RaiseReadonly(L);
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

int Next(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  SeeThrough(L, 1);
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

int Pairs(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushvalue(L, lua_upvalueindex(1));  // Next
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

int IpairsStep(lua_State* L) {
  const int i = luaL_checkint(L, 2) + 1;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushinteger(L, i);
  lua_rawgeti(L, 1, i);
  return lua_isnil(L, -1) ? 0 : 2;
}

int Ipairs(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  SeeThrough(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));  // IpairsStep
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

int GetMetatable(lua_State* L) {
  luaL_checkany(L, 1);
  SeeThrough(L, 1);
  if (!lua_getmetatable(L, 1)) {
    lua_pushnil(L);
    return 1;
  }
  luaL_getmetafield(L, 1, "__metatable");
  return 1;
}

int SetMetatable(lua_State* L) {
  const int type = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argcheck(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table expected");
  if (IsProtected(L, 1)) RaiseReadonly(L);
  if (luaL_getmetafield(L, 1, "__metatable")) luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

void ReplaceBaseFunction(lua_State* L, const char* name, lua_CFunction function) {
  lua_pushcfunction(L, function);
  lua_setglobal(L, name);
}

void ReplaceBaseFunctions(lua_State* L) {
  ReplaceBaseFunction(L, "rawget", RawGet);
  ReplaceBaseFunction(L, "rawset", RawSet);
  ReplaceBaseFunction(L, "next", Next);
  lua_getglobal(L, "next");
  lua_pushcclosure(L, Pairs, 1);
  lua_setglobal(L, "pairs");
  lua_pushcfunction(L, IpairsStep);
  lua_pushcclosure(L, Ipairs, 1);
  lua_setglobal(L, "ipairs");
  ReplaceBaseFunction(L, "getmetatable", GetMetatable);
  ReplaceBaseFunction(L, "setmetatable", SetMetatable);
}

void OpenLibrary(lua_State* L, const char* name, lua_CFunction open) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  lua_setglobal(L, name);
}

// Pushes a read-only proxy of the table at `index`, creating it once per table.
void PushProxy(lua_State* L, int index) {
  index = Absolute(L, index);
  PushMapped(L, kProxyOf, index);
  if (!lua_isnil(L, -1)) return;
  lua_pop(L, 1);
  lua_newtable(L);           // proxy
  lua_createtable(L, 0, 2);  // its metatable
  lua_pushvalue(L, index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ProxyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_getfield(L, LUA_REGISTRYINDEX, kProxyOf);
  lua_pushvalue(L, index);
  lua_pushvalue(L, -3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, kTargetOf);
  lua_pushvalue(L, -2);
  lua_pushvalue(L, index);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

// Replaces every table value of the table at `index` by its proxy.
void ProxyFields(lua_State* L, int index) {
  index = Absolute(L, index);
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (lua_istable(L, -1)) {
      PushProxy(L, -1);
      lua_pushvalue(L, -3);  // key
      lua_insert(L, -2);
      lua_rawset(L, index);
    }
    lua_pop(L, 1);
  }
}

}  // namespace

lua_State* NewScriptState() {
  lua_State* L = luaL_newstate();
  if (L == nullptr) return nullptr;
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kTargetOf);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kProxyOf);
  lua_pushcfunction(L, luaopen_base);
  lua_pushstring(L, "");
  lua_call(L, 1, 0);
  OpenLibrary(L, LUA_TABLIBNAME, luaopen_table);
  OpenLibrary(L, LUA_STRLIBNAME, luaopen_string);
  OpenLibrary(L, LUA_MATHLIBNAME, luaopen_math);
  OpenLibrary(L, "cjson", luaopen_cjson);
  OpenLibrary(L, "bit", luaopen_bit);
  OpenLibrary(L, "struct", OpenStruct);
  OpenLibrary(L, "cmsgpack", OpenCmsgpack);
  for (const char* removed : {"dofile", "loadfile", "print", "getfenv", "setfenv", "newproxy"}) {
    lua_pushnil(L);
    lua_setglobal(L, removed);
  }
  ReplaceBaseFunctions(L);
  return L;
}

void ProtectGlobals(lua_State* L) {
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  lua_setfield(L, LUA_REGISTRYINDEX, kRealGlobals);

  // The string metatable reads methods through the string library's proxy, and hands out
  // a proxy of itself (its __metatable) so it cannot be changed either.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_getglobal(L, LUA_STRLIBNAME);
  PushProxy(L, -1);
  lua_setfield(L, -3, "__index");
  lua_pop(L, 1);
  PushProxy(L, -1);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);

  ProxyFields(L, LUA_GLOBALSINDEX);
  lua_createtable(L, 0, 2);  // the real globals' metatable
  lua_pushcfunction(L, NonexistentGlobal);
  lua_setfield(L, -2, "__index");
  PushProxy(L, -1);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, LUA_GLOBALSINDEX);

  PushProxy(L, LUA_GLOBALSINDEX);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_GLOBALSINDEX, "_G");
  lua_replace(L, LUA_GLOBALSINDEX);
}

void PushReadOnlyProxy(lua_State* L, int index) { PushProxy(L, index); }

void PushStringArray(lua_State* L, std::span<const std::string_view> values) {
  lua_createtable(L, static_cast<int>(values.size()), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    lua_pushlstring(L, values[i].data(), values[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

void SetRawGlobal(lua_State* L, const char* name) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRealGlobals);
  lua_insert(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

}  // namespace ember::server::scripting
