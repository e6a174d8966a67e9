// The `struct` library Redis 7.0 gives its scripts (Roberto Ierusalimschy's struct, as
// Redis ships it): packing Lua numbers and strings into binary strings and back, driven by
// a format string, with Redis's results and error texts.
//
//   struct.pack(fmt, v1, ...)        -> the binary string
//   struct.unpack(fmt, s [, pos])    -> the values read from s at 1-based pos, then the
//                                       position after the last byte read
//   struct.size(fmt)                 -> the byte size of fmt (no 's' or 'c0' allowed)
//
// Format characters: '>' big / '<' little endian (native by default); '![n]' maximum
// alignment n, a power of 2 (8 when n is absent; 1 until set); 'x' a zero byte; 'b'/'B'
// signed/unsigned char, 'h'/'H' short, 'l'/'L' long, 'T' size_t, 'i[n]'/'I[n]' an n-byte
// int (default int, at most 32); 'f' float; 'd' double; 'c[n]' n chars (pack: n == 0 takes
// the whole string; unpack: n == 0 takes the previous number as length); 's' a
// zero-terminated string; ' ' ignored. Integers wider than 8 bytes, out-of-range numbers
// and NaN come out as x86-64 Redis produces them, undefined conversions included.
//
// Threading: the functions run on the calling lua_State's thread; the library holds no
// state of its own.
#pragma once

#include <lua.hpp>

namespace ember::server::scripting {

// A lua_CFunction in the manner of luaopen_*: pushes a new table holding pack, unpack and
// size, and returns 1. Sets no global; the caller publishes the table as `struct`.
int OpenStruct(lua_State* L);

}  // namespace ember::server::scripting
