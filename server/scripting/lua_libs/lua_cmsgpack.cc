#include "server/scripting/lua_libs/lua_cmsgpack.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cstdint>
#include <string>

namespace ember::server::scripting {
namespace {

// Tables nested deeper than this pack as nil, which also ends the walk of a cyclic table.
constexpr int kMaxNesting = 16;

// The messages of luaL_checkstack failures name Redis's C functions; scripts can see them,
// so they are kept verbatim.
constexpr const char* kTooManyValues =
    "too many return values at once; use unpack_one or unpack_limit instead.";

// `tag`, then the low `bytes` bytes of `value` in big-endian order, as MessagePack has it.
void AppendTagged(std::string& out, uint8_t tag, uint64_t value, int bytes) {
  out.push_back(static_cast<char>(tag));
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

// The smallest MessagePack int form that holds `n`: a fixint for -32..127, else unsigned
// forms (0xcc + log2 width) for n >= 0 and signed ones (0xd0 + log2 width) below 0.
void EncodeInteger(std::string& out, int64_t n) {
  if (n >= -32 && n <= 0x7f) {
    out.push_back(static_cast<char>(n));
    return;
  }
  int width = 8;
  if (n >= 0) {
    width = n <= 0xff ? 1 : n <= 0xffff ? 2 : n <= 0xffffffffLL ? 4 : 8;
  } else {
    width = n >= INT8_MIN ? 1 : n >= INT16_MIN ? 2 : n >= INT32_MIN ? 4 : 8;
  }
  const int base = n >= 0 ? 0xcc : 0xd0;
  AppendTagged(out, base + std::countr_zero(static_cast<unsigned>(width)), static_cast<uint64_t>(n),
               width);
}

// A float when converting to float and back loses nothing (infinities included), else a
// double; NaN never compares equal, so it is always a double.
void EncodeFloating(std::string& out, double d) {
  const auto f = static_cast<float>(d);
  if (static_cast<double>(f) == d) {
    AppendTagged(out, 0xca, std::bit_cast<uint32_t>(f), 4);
  } else {
    AppendTagged(out, 0xcb, std::bit_cast<uint64_t>(d), 8);
  }
}

// Redis asks whether (int64_t)n == n. C leaves the cast undefined out of range; on x86 it
// yields INT64_MIN, which equals n only for n == -2^63, so the range test gives the same
// answer without the undefined cast.
bool FitsInt64(double n) {
  return n >= -0x1p63 && n < 0x1p63 && static_cast<double>(static_cast<int64_t>(n)) == n;
}

// The same question for int, asked of table keys (Redis's IS_INT_EQUIVALENT), for n > 0.
bool IsPositiveIntKey(double n) {
  return n > 0 && n <= INT_MAX && static_cast<double>(static_cast<int>(n)) == n;
}

void EncodeStringHeader(std::string& out, size_t len) {
  if (len < 32) {
    out.push_back(static_cast<char>(0xa0 | len));
  } else if (len <= 0xff) {
    AppendTagged(out, 0xd9, len, 1);
  } else if (len <= 0xffff) {
    AppendTagged(out, 0xda, len, 2);
  } else {
    AppendTagged(out, 0xdb, len & 0xffffffff, 4);
  }
}

// Arrays and maps share their layout: a fix form up to 15 entries, then 16 and 32 bits.
void EncodeContainerHeader(std::string& out, uint8_t fix_tag, uint8_t tag16, uint64_t n) {
  if (n <= 15) {
    out.push_back(static_cast<char>(fix_tag | n));
  } else if (n <= 0xffff) {
    AppendTagged(out, tag16, n, 2);
  } else {
    AppendTagged(out, tag16 + 1, n & 0xffffffff, 4);
  }
}

// Walks Lua values into `out`. The walk pushes and pops the Lua stack in the same pattern
// as Redis's encoder, with the same luaL_checkstack requests, so a pack that nearly fills
// the C stack limit (thousands of arguments) fails at the same point with the same message.
class Packer {
 public:
  explicit Packer(lua_State* L) : L_(L) {}

  // Encodes the value on top of the stack, `level` tables deep, and pops it.
  void EncodeTop(int level) {
    const int type = lua_type(L_, -1);
    if (type == LUA_TSTRING) {
      size_t len = 0;
      const char* s = lua_tolstring(L_, -1, &len);
      EncodeStringHeader(out_, len);
      out_.append(s, len);
    } else if (type == LUA_TBOOLEAN) {
      out_.push_back(static_cast<char>(lua_toboolean(L_, -1) ? 0xc3 : 0xc2));
    } else if (type == LUA_TNUMBER && FitsInt64(lua_tonumber(L_, -1))) {
      EncodeInteger(out_, static_cast<int64_t>(lua_tonumber(L_, -1)));
    } else if (type == LUA_TNUMBER) {
      EncodeFloating(out_, lua_tonumber(L_, -1));
    } else if (type == LUA_TTABLE && level < kMaxNesting && TopIsArray()) {
      EncodeArray(level);
    } else if (type == LUA_TTABLE && level < kMaxNesting) {
      EncodeMap(level);
    } else {  // nil, the nesting limit, and types MessagePack cannot carry.
      out_.push_back(static_cast<char>(0xc0));
    }
    lua_pop(L_, 1);
  }

  // Hands out what has been encoded since the last call and starts afresh.
  std::string& out() { return out_; }

 private:
  // Redis's rule: an array when every key is a positive integral number (fitting an int)
  // and the largest equals the key count, which leaves exactly 1..N. The empty table is an
  // array.
  bool TopIsArray() {
    const int top = lua_gettop(L_);
    luaL_checkstack(L_, 2, "in function table_is_an_array");
    int count = 0;
    int max = 0;
    lua_pushnil(L_);
    while (lua_next(L_, -2) != 0) {
      lua_pop(L_, 1);
      if (lua_type(L_, -1) != LUA_TNUMBER || !IsPositiveIntKey(lua_tonumber(L_, -1))) {
        lua_settop(L_, top);
        return false;
      }
      max = std::max(max, static_cast<int>(lua_tonumber(L_, -1)));
      ++count;
    }
    lua_settop(L_, top);
    return max == count;
  }

  void EncodeArray(int level) {
    const size_t len = lua_objlen(L_, -1);
    EncodeContainerHeader(out_, 0x90, 0xdc, len);
    luaL_checkstack(L_, 1, "in function mp_encode_lua_table_as_array");
    for (size_t i = 1; i <= len; ++i) {
      lua_pushnumber(L_, static_cast<lua_Number>(i));
      lua_gettable(L_, -2);
      EncodeTop(level + 1);
    }
  }

  // Entries in lua_next order; the count needs a first pass since Lua keeps none.
  void EncodeMap(int level) {
    luaL_checkstack(L_, 3, "in function mp_encode_lua_table_as_map");
    uint64_t count = 0;
    lua_pushnil(L_);
    while (lua_next(L_, -2) != 0) {
      lua_pop(L_, 1);
      ++count;
    }
    EncodeContainerHeader(out_, 0x80, 0xde, count);
    lua_pushnil(L_);
    while (lua_next(L_, -2) != 0) {
      lua_pushvalue(L_, -2);  // Encode a copy of the key: lua_next needs the original.
      EncodeTop(level + 1);
      EncodeTop(level + 1);
    }
  }

  lua_State* L_;
  std::string out_;
};

// Each argument's encoding is pushed as it is finished and all are concatenated at the
// end, as Redis does; that stack use is what its limits are measured against.
int Pack(lua_State* L) {
  const int nargs = lua_gettop(L);
  if (nargs == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  if (lua_checkstack(L, nargs) == 0) {
    return luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
  }
  Packer packer(L);
  for (int i = 1; i <= nargs; ++i) {
    luaL_checkstack(L, 1, "in function mp_check");
    lua_pushvalue(L, i);
    packer.EncodeTop(0);
    lua_pushlstring(L, packer.out().data(), packer.out().size());
    packer.out().clear();
  }
  lua_concat(L, nargs);
  return 1;
}

enum class DecodeError { kNone, kMissingBytes, kBadFormat };

// Decodes values from a byte range onto the Lua stack. After a failure error() says why
// and the stack holds partial results; the caller raises the Lua error.
class Unpacker {
 public:
  Unpacker(lua_State* L, const unsigned char* data, size_t size) : L_(L), p_(data), left_(size) {}

  size_t left() const { return left_; }
  DecodeError error() const { return error_; }

  // Pushes the next value. The tag byte's ranges follow the MessagePack layout: within each
  // family (ints, strings, arrays, maps) the low bits of the tag give the width of what
  // follows.
  void DecodeOne() {
    if (!Need(1)) return;
    luaL_checkstack(L_, 1, kTooManyValues);
    const uint8_t tag = p_[0];
    if (tag < 0x80 || tag >= 0xe0) {  // Positive and negative fixint.
      lua_pushinteger(L_, static_cast<int8_t>(tag));
      Consume(1);
    } else if (tag < 0x90) {
      DecodeMap(1, tag & 0x0f);
    } else if (tag < 0xa0) {
      DecodeArray(1, tag & 0x0f);
    } else if (tag < 0xc0) {
      PushString(1, tag & 0x1f);
    } else if (tag == 0xc0) {
      lua_pushnil(L_);
      Consume(1);
    } else if (tag == 0xc2 || tag == 0xc3) {
      lua_pushboolean(L_, tag == 0xc3);
      Consume(1);
    } else if (tag == 0xca || tag == 0xcb) {
      PushFloating(tag == 0xca ? 4 : 8);
    } else if (tag >= 0xcc && tag <= 0xd3) {
      PushInteger(1 << ((tag - 0xcc) & 3), tag >= 0xd0);
    } else if (tag >= 0xd9 && tag <= 0xdb) {
      const int width = 1 << (tag - 0xd9);
      if (Need(1 + width)) PushString(1 + width, ReadBigEndian(1, width));
    } else if (tag >= 0xdc && tag <= 0xdf) {
      const int width = (tag & 1) != 0 ? 4 : 2;
      if (!Need(1 + width)) return;
      const uint64_t len = ReadBigEndian(1, width);
      if (tag <= 0xdd) {
        DecodeArray(1 + width, len);
      } else {
        DecodeMap(1 + width, len);
      }
    } else {  // 0xc1, bin, ext: Redis decodes none of them.
      error_ = DecodeError::kBadFormat;
    }
  }

 private:
  bool Need(size_t n) {
    if (left_ >= n) return true;
    error_ = DecodeError::kMissingBytes;
    return false;
  }

  void Consume(size_t n) {
    p_ += n;
    left_ -= n;
  }

  // Requires: Need(offset + bytes) has succeeded.
  uint64_t ReadBigEndian(size_t offset, int bytes) const {
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value = (value << 8) | p_[offset + i];
    return value;
  }

  // The tag byte followed by a `width`-byte big-endian integer. Redis pushes uint64 as a
  // Lua integer (int64), so unsigned values from 2^63 up come out negative.
  void PushInteger(int width, bool is_signed) {
    if (!Need(1 + width)) return;
    const uint64_t bits = ReadBigEndian(1, width);
    const int unused = 64 - 8 * width;
    const int64_t value =
        is_signed ? static_cast<int64_t>(bits << unused) >> unused : static_cast<int64_t>(bits);
    lua_pushinteger(L_, static_cast<lua_Integer>(value));
    Consume(1 + width);
  }

  // The tag byte followed by a big-endian IEEE 754 float (width 4) or double (width 8).
  void PushFloating(int width) {
    if (!Need(1 + width)) return;
    const uint64_t bits = ReadBigEndian(1, width);
    lua_pushnumber(L_, width == 4 ? std::bit_cast<float>(static_cast<uint32_t>(bits))
                                  : std::bit_cast<double>(bits));
    Consume(1 + width);
  }

  void PushString(size_t header, size_t len) {
    if (!Need(header + len)) return;
    lua_pushlstring(L_, reinterpret_cast<const char*>(p_ + header), len);
    Consume(header + len);
  }

  void DecodeArray(size_t header, size_t len) {
    Consume(header);
    lua_newtable(L_);
    luaL_checkstack(L_, 1, "in function mp_decode_to_lua_array");
    for (size_t i = 1; i <= len; ++i) {
      lua_pushnumber(L_, static_cast<lua_Number>(i));
      DecodeOne();
      if (error_ != DecodeError::kNone) return;
      lua_settable(L_, -3);
    }
  }

  // A nil or NaN key makes lua_settable raise "table index is nil" / "is NaN", as in Redis.
  void DecodeMap(size_t header, size_t len) {
    Consume(header);
    lua_newtable(L_);
    for (size_t i = 0; i < len; ++i) {
      DecodeOne();
      if (error_ != DecodeError::kNone) return;
      DecodeOne();
      if (error_ != DecodeError::kNone) return;
      lua_settable(L_, -3);
    }
  }

  lua_State* L_;
  const unsigned char* p_;
  size_t left_;
  DecodeError error_ = DecodeError::kNone;
};

// Decodes up to `limit` values from byte `offset` of argument 1. With neither a limit nor
// an offset (plain unpack) it decodes everything and returns only the values; otherwise
// the next offset (-1 once the input is used up) comes first. Redis's message for a
// negative request prints the input length where it says "limit"; kept as it is.
int UnpackFrom(lua_State* L, lua_Integer limit, lua_Integer offset) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  const bool decode_all = limit == 0 && offset == 0;
  if (offset < 0 || limit < 0) {
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (static_cast<size_t>(offset) > len) {
    return luaL_error(L, "Start offset %d greater than input length %d.", static_cast<int>(offset),
                      static_cast<int>(len));
  }
  if (decode_all) limit = INT_MAX;

  Unpacker unpacker(L, reinterpret_cast<const unsigned char*>(s) + offset, len - offset);
  int count = 0;
  for (; unpacker.left() > 0 && count < limit; ++count) {
    unpacker.DecodeOne();
    if (unpacker.error() == DecodeError::kMissingBytes) {
      return luaL_error(L, "Missing bytes in input.");
    }
    if (unpacker.error() == DecodeError::kBadFormat) {
      return luaL_error(L, "Bad data format in input.");
    }
  }
  if (decode_all) return count;

  luaL_checkstack(L, 1, "in function mp_unpack_full");
  const size_t left = unpacker.left();
  lua_pushinteger(L, left == 0 ? -1 : static_cast<lua_Integer>(len - left));
  lua_insert(L, 2);  // Just above the input string, before the values.
  return count + 1;
}

// Only the input string stays below the results (none when no argument was given, so
// that luaL_checklstring reports "no value" rather than nil).
void KeepOnlyInput(lua_State* L) { lua_settop(L, std::min(lua_gettop(L), 1)); }

int Unpack(lua_State* L) { return UnpackFrom(L, 0, 0); }

int UnpackOne(lua_State* L) {
  const lua_Integer offset = luaL_optinteger(L, 2, 0);
  KeepOnlyInput(L);
  return UnpackFrom(L, 1, offset);
}

int UnpackLimit(lua_State* L) {
  const lua_Integer limit = luaL_checkinteger(L, 2);
  const lua_Integer offset = luaL_optinteger(L, 3, 0);
  KeepOnlyInput(L);
  return UnpackFrom(L, limit, offset);
}

}  // namespace

int OpenCmsgpack(lua_State* L) {
  // Fields in Redis's insertion order, so that pairs() over the table walks them alike.
  constexpr luaL_Reg kFunctions[] = {
      {"pack", Pack}, {"unpack", Unpack}, {"unpack_one", UnpackOne}, {"unpack_limit", UnpackLimit}};
  constexpr const char* kMetadata[][2] = {
      {"_NAME", "cmsgpack"},
      {"_VERSION", "lua-cmsgpack 0.4.0"},
      {"_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"},
      {"_DESCRIPTION", "MessagePack C implementation for Lua"}};
  lua_newtable(L);
  for (const luaL_Reg& function : kFunctions) {
    lua_pushcfunction(L, function.func);
    lua_setfield(L, -2, function.name);
  }
  for (const auto& [field, value] : kMetadata) {
    lua_pushstring(L, value);
    lua_setfield(L, -2, field);
  }
  return 1;
}

}  // namespace ember::server::scripting
