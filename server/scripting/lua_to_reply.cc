#include "server/scripting/lua_to_reply.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace ember::server::scripting {
namespace {

// (long long) of a double as x86-64 computes it: out of range and NaN give INT64_MIN.
int64_t TruncatedInteger(double value) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (std::isnan(value) || value >= kLimit || value < -kLimit) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(value);
}

std::string_view StringAt(lua_State* L, int index) {
  size_t length = 0;
  const char* text = lua_tolstring(L, index, &length);
  return {text, length};
}

// A status or big number may not carry CR or LF: Redis turns them into spaces.
std::string WithoutLineBreaks(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return clean;
}

// Pushes t[field] of the table on top (raw access) and returns its type.
int RawField(lua_State* L, const char* field) {
  lua_pushstring(L, field);
  lua_rawget(L, -2);
  return lua_type(L, -1);
}

int64_t CountPairs(lua_State* L) {
  int64_t count = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    ++count;
  }
  return count;
}

void ReplyWithTable(lua_State* L, protocol::ReplyWriter& reply, int script_resp);

void ReplyWithValue(lua_State* L, protocol::ReplyWriter& reply, int script_resp) {
  if (!lua_checkstack(L, 4)) {
    reply.Error("ERR reached lua stack limit");
    return;
  }
  switch (lua_type(L, -1)) {
    case LUA_TSTRING:
      reply.Bulk(StringAt(L, -1));
      break;
    case LUA_TBOOLEAN:
      if (script_resp == 2) {
        if (lua_toboolean(L, -1)) {
          reply.Integer(1);
        } else {
          reply.Null();
        }
      } else {
        reply.Boolean(lua_toboolean(L, -1) != 0);
      }
      break;
    case LUA_TNUMBER:
      reply.Integer(TruncatedInteger(lua_tonumber(L, -1)));
      break;
    case LUA_TTABLE:
      ReplyWithTable(L, reply, script_resp);
      break;
    default:
      reply.Null();
  }
}

void ReplyWithTable(lua_State* L, protocol::ReplyWriter& reply, int script_resp) {
  if (RawField(L, "err") == LUA_TSTRING) {
    lua_pop(L, 1);
    lua_getfield(L, -1, "err");
    reply.Error(StringAt(L, -1));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (RawField(L, "ok") == LUA_TSTRING) {
    reply.SimpleString(WithoutLineBreaks(StringAt(L, -1)));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (RawField(L, "double") == LUA_TNUMBER) {
    reply.Double(lua_tonumber(L, -1));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (RawField(L, "big_number") == LUA_TSTRING) {
    reply.BigNumber(WithoutLineBreaks(StringAt(L, -1)));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (RawField(L, "verbatim_string") == LUA_TTABLE) {
    if (RawField(L, "format") == LUA_TSTRING) {
      lua_pushstring(L, "string");
      lua_rawget(L, -3);  // the verbatim_string table, below the format
      if (lua_type(L, -1) == LUA_TSTRING) {
        // The wire format has room for three format characters, as Redis writes them.
        const std::string_view format = StringAt(L, -2);
        reply.Verbatim(format.size() >= 3 ? format.substr(0, 3) : "txt", StringAt(L, -1));
        lua_pop(L, 3);
        return;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (RawField(L, "map") == LUA_TTABLE) {
    reply.MapHeader(CountPairs(L));
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pushvalue(L, -2);
      ReplyWithValue(L, reply, script_resp);  // the key
      lua_pop(L, 1);
      ReplyWithValue(L, reply, script_resp);  // the value
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (RawField(L, "set") == LUA_TTABLE) {
    reply.SetHeader(CountPairs(L));
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pop(L, 1);
      ReplyWithValue(L, reply, script_resp);  // the member is the key
    }
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  int64_t length = 0;
  for (;; ++length) {
    lua_rawgeti(L, -1, static_cast<int>(length + 1));
    const bool end = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (end) break;
  }
  reply.ArrayHeader(length);
  for (int64_t i = 1; i <= length; ++i) {
    lua_rawgeti(L, -1, static_cast<int>(i));
    ReplyWithValue(L, reply, script_resp);
    lua_pop(L, 1);
  }
}

}  // namespace

void ReplyWithLuaValue(lua_State* L, protocol::ReplyWriter& reply, int script_resp) {
  ReplyWithValue(L, reply, script_resp);
  lua_pop(L, 1);
}

}  // namespace ember::server::scripting
