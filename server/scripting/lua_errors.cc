#include "server/scripting/lua_errors.h"

#include <fmt/format.h>

#include <cstring>

namespace ember::server::scripting {
namespace {

std::string FieldString(lua_State* L, const char* field) {
  lua_getfield(L, -1, field);
  std::string value;
  if (lua_isstring(L, -1)) {
    size_t length = 0;
    const char* text = lua_tolstring(L, -1, &length);
    value.assign(text, length);
  }
  lua_pop(L, 1);
  return value;
}

}  // namespace

void PushErrorTable(lua_State* L, std::string_view text) {
  std::string_view code = "ERR";
  std::string_view message = text;
  if (text.starts_with('-')) {
    const size_t space = text.find(' ');
    if (space == std::string_view::npos) {
      message = text.substr(1);
    } else {
      code = text.substr(1, space - 1);
      message = text.substr(space + 1);
    }
  }
  while (!message.empty() && (message.back() == '\r' || message.back() == '\n')) {
    message.remove_suffix(1);
  }
  while (!message.empty() && (message.front() == '\r' || message.front() == '\n')) {
    message.remove_prefix(1);
  }
  const std::string full = fmt::format("{} {}", code, message);
  lua_createtable(L, 0, 1);
  lua_pushlstring(L, full.data(), full.size());
  lua_setfield(L, -2, "err");
}

void PushCountedErrorTable(lua_State* L, std::string_view text) {
  PushErrorTable(L, text);
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, "ignore_error_stats_update");
}

int ScriptErrorHandler(lua_State* L) {
  lua_Debug frame;
  bool located = lua_getstack(L, 1, &frame) != 0 && lua_getinfo(L, "nSl", &frame) != 0;
  if (located && std::strcmp(frame.what, "C") == 0) {
    located = lua_getstack(L, 2, &frame) != 0 && lua_getinfo(L, "nSl", &frame) != 0;
  }
  if (!lua_istable(L, 1)) {
    lua_getglobal(L, "tostring");
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    const std::string message = fmt::format("ERR {}", lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, message.data(), message.size());
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
  }
  lua_settop(L, 1);
  if (located) {
    lua_pushstring(L, frame.source);
    lua_setfield(L, 1, "source");
    lua_pushinteger(L, frame.currentline);
    lua_setfield(L, 1, "line");
  }
  return 1;
}

std::string ScriptErrorReply(lua_State* L, std::string_view script_name) {
  if (!lua_istable(L, -1)) {
    const char* message = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
    return fmt::format("ERR Error running script {}, {:.100s}", script_name, message);
  }
  std::string reply = FieldString(L, "err");
  const std::string source = FieldString(L, "source");
  const std::string line = FieldString(L, "line");
  if (!source.empty() && !line.empty()) {
    reply += fmt::format(" script: {}, on {}:{}.", script_name, source, line);
  }
  return reply;
}

bool ErrorAlreadyCounted(lua_State* L) {
  if (!lua_istable(L, -1)) return false;
  lua_getfield(L, -1, "ignore_error_stats_update");
  const bool counted = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return counted;
}

}  // namespace ember::server::scripting
