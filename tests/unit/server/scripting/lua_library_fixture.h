// LuaLibraryTest: a fixture for the Lua libraries scripts get (cmsgpack, struct): a bare
// Lua state with the base, string, table and math libraries and the library under test as
// a global, and Eval, which runs an expression after a prelude of helpers.
#pragma once

#include <gtest/gtest.h>

#include <lua.hpp>
#include <string>

namespace ember::server::scripting {

// Every expected value below was taken from redis-server 7.0.15, by running
//   EVAL "<kPrelude>return <expression>" 0
// with the same four prelude lines, so that the expression sits on line 5 of the chunk
// "user_script" there and here, and error positions read alike. hex() shows bytes, pc()
// turns an error into "ERR:<message>", all() describes every value a call returns.
inline constexpr const char* kPrelude =
    R"(local function hex(s) return (string.gsub(s, ".", function(c) return string.format("%02x", string.byte(c)) end)) end
local function pc(f, ...) local r = {pcall(f, ...)} if r[1] then return "ok" else return "ERR:" .. tostring(r[2]) end end
local function dump(v, d) d = d or 0 if type(v) == "table" then local ks = {} for k in pairs(v) do ks[#ks+1] = k end table.sort(ks, function(a,b) return tostring(a) < tostring(b) end) local out = {} for _, k in ipairs(ks) do out[#out+1] = "[" .. dump(k) .. "]=" .. dump(v[k]) end return "{" .. table.concat(out, ",") .. "}" elseif type(v) == "string" then return string.format("%q", v) else return type(v) .. ":" .. string.format("%.17g", v == true and 1 or v == false and 0 or v or 0) end end
local function all(...) local n = select("#", ...) local out = {} for i = 1, n do out[#out+1] = dump((select(i, ...))) end return n .. " -> " .. table.concat(out, " ") end
)";

inline void OpenStandardLibrary(lua_State* L, const char* name, lua_CFunction open) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 0);
}

class LuaLibraryTest : public ::testing::Test {
 protected:
  // The library `open` (a luaopen_-style function) becomes global `name`.
  LuaLibraryTest(const char* name, lua_CFunction open) : name_(name), open_(open) {}

  void SetUp() override {
    L_ = luaL_newstate();
    ASSERT_NE(L_, nullptr);
    OpenStandardLibrary(L_, "", luaopen_base);
    OpenStandardLibrary(L_, LUA_STRLIBNAME, luaopen_string);
    OpenStandardLibrary(L_, LUA_TABLIBNAME, luaopen_table);
    OpenStandardLibrary(L_, LUA_MATHLIBNAME, luaopen_math);
    lua_pushcfunction(L_, open_);
    lua_call(L_, 0, 1);
    lua_setglobal(L_, name_);
  }

  void TearDown() override { lua_close(L_); }

  // The value of `expression` (a string or number) as text; a Lua error fails the test.
  std::string Eval(const std::string& expression) {
    const std::string chunk = std::string(kPrelude) + "return " + expression;
    std::string result;
    if (luaL_loadbuffer(L_, chunk.data(), chunk.size(), "=user_script") != 0 ||
        lua_pcall(L_, 0, 1, 0) != 0) {
      ADD_FAILURE() << expression << ": " << lua_tostring(L_, -1);
    } else if (const char* text = lua_tostring(L_, -1); text != nullptr) {
      result = text;
    }
    lua_settop(L_, 0);
    return result;
  }

  lua_State* L_ = nullptr;

 private:
  const char* name_;
  lua_CFunction open_;
};

}  // namespace ember::server::scripting
