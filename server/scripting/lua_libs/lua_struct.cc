#include "server/scripting/lua_libs/lua_struct.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>

namespace ember::server::scripting {
namespace {

enum class Endian { kBig, kLittle };
constexpr Endian kNativeEndian =
    std::endian::native == std::endian::little ? Endian::kLittle : Endian::kBig;

// Widths of the C types behind the fixed-size options, as Redis has them on x86-64 Linux.
constexpr size_t kShortSize = 2;
constexpr size_t kIntSize = 4;
constexpr size_t kLongSize = 8;
constexpr size_t kSizeTSize = 8;
// The widest 'i[n]' / 'I[n]'.
constexpr int kMaxIntSize = 32;
// '!' without a number: the alignment a double gets after a char, or an int's size.
struct CharThenDouble {
  char c;
  double d;
};
constexpr int kMaxAlign = std::max<int>(offsetof(CharThenDouble, d), sizeof(int));

// Settings that format characters change as the format is read.
struct Options {
  Endian endian = kNativeEndian;
  int align = 1;
};

// ASCII classes: Redis runs in the C locale, where bytes past 0x7f belong to none.
bool IsDigit(int c) { return c >= '0' && c <= '9'; }
bool IsLower(int c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(int c) { return IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z'); }

// The decimal number at *fmt (advancing past it), or `fallback` when there is none.
int ReadCount(lua_State* L, const char** fmt, int fallback) {
  if (!IsDigit(**fmt)) return fallback;
  int count = 0;
  do {
    const int digit = **fmt - '0';
    if (count > INT_MAX / 10 || count * 10 > INT_MAX - digit) {
      luaL_error(L, "integral size overflow");
    }
    count = count * 10 + digit;
    ++*fmt;
  } while (IsDigit(**fmt));
  return count;
}

// The byte size of option `opt`, reading its count from *fmt when it takes one; 0 for
// options that hold no data ('s' included: its size depends on the data).
size_t OptionSize(lua_State* L, int opt, const char** fmt) {
  switch (opt) {
    case 'B':
    case 'b':
      return 1;
    case 'H':
    case 'h':
      return kShortSize;
    case 'L':
    case 'l':
      return kLongSize;
    case 'T':
      return kSizeTSize;
    case 'f':
      return sizeof(float);
    case 'd':
      return sizeof(double);
    case 'x':
      return 1;
    case 'c':
      return ReadCount(L, fmt, 1);
    case 'i':
    case 'I': {
      const int size = ReadCount(L, fmt, kIntSize);
      if (size > kMaxIntSize) {
        luaL_error(L, "integral size %d is larger than limit of %d", size, kMaxIntSize);
      }
      return size;
    }
    default:
      return 0;
  }
}

// Zero bytes to insert at `pos` before an item of `size` bytes. The item aligns to its size
// capped by the '!' setting; the mask arithmetic is the library's own, and for sizes that
// are not powers of 2 (i3, i5, ...) its odd results are what Redis produces.
size_t PaddingFor(size_t pos, const Options& options, int opt, size_t size) {
  if (size == 0 || opt == 'c') return 0;
  size = std::min(size, static_cast<size_t>(options.align));
  return (size - (pos & (size - 1))) & (size - 1);
}

// Endianness, alignment and blanks; anything else is an invalid option (argument 1).
void ApplyControl(lua_State* L, int opt, const char** fmt, Options* options) {
  switch (opt) {
    case ' ':
      return;
    case '>':
      options->endian = Endian::kBig;
      return;
    case '<':
      options->endian = Endian::kLittle;
      return;
    case '!': {
      const int align = ReadCount(L, fmt, kMaxAlign);
      if (align <= 0 || (align & (align - 1)) != 0) {
        luaL_error(L, "alignment %d is not a power of 2", align);
      }
      options->align = align;
      return;
    }
    default:
      luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
  }
}

// x86-64's cvttsd2si: truncation toward zero, INT64_MIN for NaN and out-of-range values.
int64_t TruncateToInt64(double d) {
  if (!(d >= -0x1p63 && d < 0x1p63)) return INT64_MIN;
  return static_cast<int64_t>(d);
}

// A double converted to a 64-bit unsigned as GCC compiles it for x86-64, which is what
// Redis's packer and its 'c0' length do (C leaves negatives, NaN and values from 2^64 up
// undefined): below 2^63, and for NaN, the signed truncation reinterpreted; from 2^63 up,
// the truncation of d - 2^63 with the top bit flipped, so 2^64 and infinity give 0.
uint64_t ToUint64LikeX86(double d) {
  if (d >= 0x1p63) return static_cast<uint64_t>(TruncateToInt64(d - 0x1p63)) ^ (1ULL << 63);
  return static_cast<uint64_t>(TruncateToInt64(d));
}

// Appends the low `size` bytes of `value` in `endian` order. Past 8 bytes the value has
// run out, so the high bytes are zero even for negative numbers, as in Redis.
void AddBytes(luaL_Buffer* b, uint64_t value, size_t size, Endian endian) {
  char bytes[kMaxIntSize];
  for (size_t i = 0; i < size; ++i) {
    bytes[endian == Endian::kLittle ? i : size - 1 - i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  luaL_addlstring(b, bytes, size);
}

// The `size` bytes at `data` in `endian` order; only the last 8 read survive.
uint64_t ReadBytes(const char* data, size_t size, Endian endian) {
  uint64_t value = 0;
  for (size_t i = 0; i < size; ++i) {
    const size_t at = endian == Endian::kBig ? i : size - 1 - i;
    value = (value << 8) | static_cast<unsigned char>(data[at]);
  }
  return value;
}

// Sign extension from bit size*8-1. Redis shifts by that amount, which x86 reduces modulo
// 64: i0 extends from bit 63 (no effect) and i9 from bit 7 of the surviving bytes.
lua_Number GetInteger(const char* data, size_t size, Endian endian, bool is_signed) {
  uint64_t value = ReadBytes(data, size, endian);
  if (!is_signed) return static_cast<lua_Number>(value);
  const uint64_t mask = ~uint64_t{0} << ((size * 8 - 1) & 63);
  if ((value & mask) != 0) value |= mask;
  return static_cast<lua_Number>(static_cast<int64_t>(value));
}

bool IsIntegerOption(int opt) {
  switch (opt) {
    case 'b':
    case 'B':
    case 'h':
    case 'H':
    case 'l':
    case 'L':
    case 'T':
    case 'i':
    case 'I':
      return true;
    default:
      return false;
  }
}

int Pack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Options options;
  int arg = 2;
  size_t total = 0;
  // A nil between the arguments and the buffer: a missing argument right after the last
  // one reports "got nil", as in Redis, whose buffer sits on the stack the same way.
  lua_pushnil(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    const int opt = *fmt++;
    size_t size = OptionSize(L, opt, &fmt);
    const size_t padding = PaddingFor(total, options, opt, size);
    total += padding;
    for (size_t i = 0; i < padding; ++i) luaL_addchar(&b, '\0');
    if (IsIntegerOption(opt)) {
      AddBytes(&b, ToUint64LikeX86(luaL_checknumber(L, arg++)), size, options.endian);
    } else if (opt == 'x') {
      luaL_addchar(&b, '\0');
    } else if (opt == 'f') {
      const auto f = static_cast<float>(luaL_checknumber(L, arg++));
      AddBytes(&b, std::bit_cast<uint32_t>(f), size, options.endian);
    } else if (opt == 'd') {
      const double d = luaL_checknumber(L, arg++);
      AddBytes(&b, std::bit_cast<uint64_t>(d), size, options.endian);
    } else if (opt == 'c' || opt == 's') {
      size_t len = 0;
      const char* s = luaL_checklstring(L, arg++, &len);
      if (size == 0) size = len;
      // Redis names the argument after the string here.
      luaL_argcheck(L, len >= size, arg, "string too short");
      luaL_addlstring(&b, s, size);
      if (opt == 's') {
        luaL_addchar(&b, '\0');
        ++size;
      }
    } else {
      ApplyControl(L, opt, &fmt, &options);
    }
    total += size;
  }
  luaL_pushresult(&b);
  return 1;
}

// A start position below 1 is refused, but Redis tests it after converting to an unsigned
// size, so only 0 fails there; a negative one fails as "data string too short" at the first
// option, or comes back unchanged from an empty format.
int Unpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t len = 0;
  const char* data = luaL_checklstring(L, 2, &len);
  auto pos = static_cast<size_t>(luaL_optinteger(L, 3, 1));
  luaL_argcheck(L, pos > 0, 3, "offset must be 1 or greater");
  --pos;
  Options options;
  int results = 0;
  while (*fmt != '\0') {
    const int opt = *fmt++;
    size_t size = OptionSize(L, opt, &fmt);
    pos += PaddingFor(pos, options, opt, size);
    luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");  // The item and the final position.
    if (IsIntegerOption(opt)) {
      lua_pushnumber(L, GetInteger(data + pos, size, options.endian, IsLower(opt)));
      ++results;
    } else if (opt == 'x') {
      // Padding: skipped, nothing to push.
    } else if (opt == 'f') {
      lua_pushnumber(L, std::bit_cast<float>(
                            static_cast<uint32_t>(ReadBytes(data + pos, size, options.endian))));
      ++results;
    } else if (opt == 'd') {
      lua_pushnumber(L, std::bit_cast<double>(ReadBytes(data + pos, size, options.endian)));
      ++results;
    } else if (opt == 'c') {
      if (size == 0) {  // The length is the previous result, which it replaces.
        if (results == 0 || lua_isnumber(L, -1) == 0) {
          luaL_error(L, "format 'c0' needs a previous size");
        }
        size = ToUint64LikeX86(lua_tonumber(L, -1));
        lua_pop(L, 1);
        --results;
        luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
      }
      lua_pushlstring(L, data + pos, size);
      ++results;
    } else if (opt == 's') {
      const void* end = std::memchr(data + pos, '\0', len - pos);
      if (end == nullptr) luaL_error(L, "unfinished string in data");
      size = static_cast<const char*>(end) - (data + pos) + 1;
      lua_pushlstring(L, data + pos, size - 1);
      ++results;
    } else {
      ApplyControl(L, opt, &fmt, &options);
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return results + 1;
}

// Letters and digits that are not options count as zero bytes here rather than as errors,
// as in Redis: only non-alphanumeric characters go through the control-option check.
int Size(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Options options;
  size_t pos = 0;
  while (*fmt != '\0') {
    const int opt = *fmt++;
    const size_t size = OptionSize(L, opt, &fmt);
    pos += PaddingFor(pos, options, opt, size);
    if (opt == 's') {
      luaL_argerror(L, 1, "option 's' has no fixed size");
    } else if (opt == 'c' && size == 0) {
      luaL_argerror(L, 1, "option 'c0' has no fixed size");
    }
    if (!IsAlnum(opt)) ApplyControl(L, opt, &fmt, &options);
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

}  // namespace

int OpenStruct(lua_State* L) {
  constexpr luaL_Reg kFunctions[] = {{"pack", Pack}, {"unpack", Unpack}, {"size", Size}};
  lua_createtable(L, 0, std::size(kFunctions));
  for (const luaL_Reg& function : kFunctions) {
    lua_pushcfunction(L, function.func);
    lua_setfield(L, -2, function.name);
  }
  return 1;
}

}  // namespace ember::server::scripting
