// The `cmsgpack` library Redis 7.0 gives its scripts (lua-cmsgpack 0.4.0): MessagePack
// encoding of Lua values and decoding back, byte for byte as Redis does it.
//
//   cmsgpack.pack(v1, ...)              -> the encodings of every argument, concatenated
//   cmsgpack.unpack(s)                  -> every value encoded in s
//   cmsgpack.unpack_one(s [, offset])   -> next offset (-1 at the end), then one value
//   cmsgpack.unpack_limit(s, n [, off]) -> next offset, then at most n values
//
// Packing: nil, and anything that is not a string, boolean, number or table, packs as nil.
// A number that is integral and fits int64 packs in the smallest int form; other numbers
// as float when a float holds them exactly, else as double. A table whose keys are exactly
// 1..N packs as an array, any other as a map; tables nested deeper than 16 levels pack as
// nil, so cyclic tables terminate. Unpacking raises "Missing bytes in input." for
// truncated data and "Bad data format in input." for types Redis does not decode (bin,
// ext, 0xc1); argument errors and Lua stack limits raise Redis's messages.
//
// Threading: the functions run on the calling lua_State's thread; the library holds no
// state of its own.
#pragma once

#include <lua.hpp>

namespace ember::server::scripting {

// A lua_CFunction in the manner of luaopen_*: pushes a new table holding pack, unpack,
// unpack_one, unpack_limit and Redis's _NAME, _VERSION, _COPYRIGHT and _DESCRIPTION fields,
// and returns 1. Sets no global; the caller publishes the table as `cmsgpack`.
int OpenCmsgpack(lua_State* L);

}  // namespace ember::server::scripting
