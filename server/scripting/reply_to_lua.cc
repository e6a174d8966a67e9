#include "server/scripting/reply_to_lua.h"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "server/scripting/lua_errors.h"

namespace ember::server::scripting {
namespace {

class ReplyToLua {
 public:
  ReplyToLua(lua_State* L, std::string_view resp) : L_(L), in_(resp) {}

  // Pushes one value; false when the input is malformed (nothing is pushed then).
  bool Push() {
    if (pos_ >= in_.size() || !lua_checkstack(L_, 4)) return false;
    const char type = in_[pos_++];
    std::string_view line;
    if (!ReadLine(&line)) return false;
    switch (type) {
      case ':':
        return PushInteger(line);
      case '$':
      case '=':
        return PushBulk(type, line);
      case '+':
        lua_createtable(L_, 0, 1);
        lua_pushlstring(L_, line.data(), line.size());
        lua_setfield(L_, -2, "ok");
        return true;
      case '-':
        PushCountedErrorTable(L_, std::string("-").append(line));
        return true;
      case '_':
        lua_pushnil(L_);
        return true;
      case '#':
        lua_pushboolean(L_, line == "t");
        return true;
      case ',':
        return PushDouble(line);
      case '(':
        lua_createtable(L_, 0, 1);
        lua_pushlstring(L_, line.data(), line.size());
        lua_setfield(L_, -2, "big_number");
        return true;
      case '*':
      case '>':
        return PushArray(line);
      case '%':
        return PushAggregate(line, "map", 2);
      case '~':
        return PushAggregate(line, "set", 1);
      case '|':
        return PushAttributeThenValue(line);
      default:
        return false;
    }
  }

 private:
  bool ReadLine(std::string_view* line) {
    const size_t end = in_.find("\r\n", pos_);
    if (end == std::string_view::npos) return false;
    *line = in_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return true;
  }

  static bool ParseCount(std::string_view text, int64_t* value) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
    return ec == std::errc() && end == text.data() + text.size();
  }

  bool PushInteger(std::string_view line) {
    int64_t value = 0;
    if (!ParseCount(line, &value)) return false;
    lua_pushnumber(L_, static_cast<lua_Number>(value));
    return true;
  }

  bool PushBulk(char type, std::string_view line) {
    int64_t length = 0;
    if (!ParseCount(line, &length)) return false;
    if (length < 0) {
      lua_pushboolean(L_, 0);
      return true;
    }
    const auto size = static_cast<size_t>(length);
    if (in_.size() - pos_ < size + 2) return false;
    std::string_view payload = in_.substr(pos_, size);
    pos_ += size + 2;
    if (type == '$') {
      lua_pushlstring(L_, payload.data(), payload.size());
      return true;
    }
    if (payload.size() < 4) return false;
    lua_createtable(L_, 0, 1);
    lua_createtable(L_, 0, 2);
    lua_pushlstring(L_, payload.data() + 4, payload.size() - 4);
    lua_setfield(L_, -2, "string");
    lua_pushlstring(L_, payload.data(), 3);
    lua_setfield(L_, -2, "format");
    lua_setfield(L_, -2, "verbatim_string");
    return true;
  }

  bool PushDouble(std::string_view line) {
    const std::string text(line);
    lua_createtable(L_, 0, 1);
    lua_pushnumber(L_, std::strtod(text.c_str(), nullptr));
    lua_setfield(L_, -2, "double");
    return true;
  }

  bool PushArray(std::string_view line) {
    int64_t count = 0;
    if (!ParseCount(line, &count)) return false;
    if (count < 0) {
      lua_pushboolean(L_, 0);
      return true;
    }
    lua_createtable(L_, static_cast<int>(count), 0);
    for (int64_t i = 1; i <= count; ++i) {
      if (!Push()) return Fail(1);
      lua_rawseti(L_, -2, static_cast<int>(i));
    }
    return true;
  }

  // A map ({map={k=v}}, per_entry 2) or a set ({set={m=true}}, per_entry 1).
  bool PushAggregate(std::string_view line, const char* field, int per_entry) {
    int64_t count = 0;
    if (!ParseCount(line, &count) || count < 0) return false;
    lua_createtable(L_, 0, 1);
    lua_createtable(L_, 0, static_cast<int>(count));
    for (int64_t i = 0; i < count; ++i) {
      if (!Push()) return Fail(2);
      if (per_entry == 2) {
        if (!Push()) return Fail(3);
      } else {
        lua_pushboolean(L_, 1);
      }
      lua_settable(L_, -3);
    }
    lua_setfield(L_, -2, field);
    return true;
  }

  // RESP3 attributes are skipped; the value they annotate follows.
  bool PushAttributeThenValue(std::string_view line) {
    int64_t count = 0;
    if (!ParseCount(line, &count) || count < 0) return false;
    for (int64_t i = 0; i < 2 * count; ++i) {
      if (!Push()) return false;
      lua_pop(L_, 1);
    }
    return Push();
  }

  bool Fail(int pushed) {
    lua_pop(L_, pushed);
    return false;
  }

  lua_State* L_;
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

bool PushReplyAsLua(lua_State* L, std::string_view resp) {
  if (!ReplyToLua(L, resp).Push()) {
    PushErrorTable(L, "-ERR malformed reply from the command");
    return true;
  }
  return !resp.empty() && resp.front() == '-';
}

}  // namespace ember::server::scripting
