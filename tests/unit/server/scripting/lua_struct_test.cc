#include "server/scripting/lua_libs/lua_struct.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "tests/unit/server/scripting/lua_library_fixture.h"

namespace ember::server::scripting {
namespace {

using Cases = std::initializer_list<std::pair<std::string, std::string>>;

class LuaStructTest : public LuaLibraryTest {
 protected:
  LuaStructTest() : LuaLibraryTest("struct", OpenStruct) {}
  // Checks struct.<function>(<args>) for each case, through `wrapper` (hex, all or pc).
  void ExpectCalls(const std::string& wrapper, const std::string& function, Cases cases) {
    for (const auto& [args, expected] : cases) {
      const std::string call = wrapper == "pc"
                                   ? "pc(struct." + function + ", " + args + ")"
                                   : wrapper + "(struct." + function + "(" + args + "))";
      EXPECT_EQ(Eval(call), expected) << call;
    }
  }
};

TEST_F(LuaStructTest, OpenPushesTheTableAndSetsNoGlobal) {
  lua_State* L = luaL_newstate();
  lua_pushcfunction(L, OpenStruct);
  lua_pushstring(L, "struct");
  lua_call(L, 1, 1);
  ASSERT_TRUE(lua_istable(L, -1));
  lua_getglobal(L, "struct");
  EXPECT_TRUE(lua_isnil(L, -1));
  lua_close(L);

  EXPECT_EQ(Eval("type(struct.pack) .. type(struct.unpack) .. type(struct.size)"),
            "functionfunctionfunction");
}

TEST_F(LuaStructTest, PacksIntegersOfEveryWidthAndEndianness) {
  ExpectCalls("hex", "pack",
              {{R"("b", -1)", "ff"},
               {R"("B", 255)", "ff"},
               {R"("b", 200)", "c8"},
               {R"("b", -200)", "38"},
               {R"("<h", -2)", "feff"},
               {R"(">h", -2)", "fffe"},
               {R"("<H", 65535)", "ffff"},
               {R"(">l", -2)", "fffffffffffffffe"},
               {R"("<L", 1)", "0100000000000000"},
               {R"("T", 7)", "0700000000000000"},
               {R"("i", -3)", "fdffffff"},
               {R"("I", 3)", "03000000"},
               {R"(">i3", -1)", "ffffff"},
               {R"("<i3", 1)", "010000"},
               {R"(">i1", 256)", "00"},
               {R"("i0", 5)", ""},
               {R"("b", "12")", "0c"},
               {R"("B", "0x10")", "10"},
               {R"(">I2 I3 x x", 258, 65536)", "01020100000000"},
               // Past 8 bytes the value has run out: the high bytes are zero, sign or not.
               {R"(">I16", -1)", "0000000000000000ffffffffffffffff"},
               {R"("<i16", -1)", "ffffffffffffffff0000000000000000"},
               {R"(">I9", -1)", "00ffffffffffffffff"},
               {R"(">i9", -2)", "00fffffffffffffffe"}});
}

// Redis converts with C casts whose out-of-range results are x86-64's.
TEST_F(LuaStructTest, PacksFractionalAndOutOfRangeNumbersAsX86Redis) {
  ExpectCalls("hex", "pack",
              {{R"(">L", 2^64)", "0000000000000000"},
               {R"(">L", 2^63)", "8000000000000000"},
               {R"(">L", 2^64-2048)", "fffffffffffff800"},
               {R"(">L", 1/0)", "0000000000000000"},
               {R"(">L", 0/0)", "8000000000000000"},
               {R"(">L", -(0/0))", "8000000000000000"},
               {R"(">l", -1e30)", "8000000000000000"},
               {R"(">l", -1/0)", "8000000000000000"},
               {R"(">l", -2^63)", "8000000000000000"},
               {R"(">l", -1.7)", "ffffffffffffffff"},
               {R"(">L", 1.7)", "0000000000000001"}});
}

TEST_F(LuaStructTest, PacksFloatsDoublesCharsAndStrings) {
  ExpectCalls("hex", "pack",
              {{R"("<f", 1.5)", "0000c03f"},
               {R"(">f", 1.5)", "3fc00000"},
               {R"(">f", 0.1)", "3dcccccd"},
               {R"(">f", 1e300)", "7f800000"},
               {R"(">f", 3.4028235677973366e38)", "7f800000"},
               {R"(">f", 0/0)", "ffc00000"},
               {R"("<f", -1/0)", "000080ff"},
               {R"("<d", 0.1)", "9a9999999999b93f"},
               {R"(">d", 0.1)", "3fb999999999999a"},
               {R"(">d", 0/0)", "fff8000000000000"},
               {R"("c", "ab")", "61"},
               {R"("c0", "abc")", "616263"},
               {R"("c2", "abc")", "6162"},
               {R"("c", 12)", "31"},
               {R"("s", "ab")", "616200"},
               {R"("s", "a\0b")", "61006200"},
               {R"("s", 1.5)", "312e3500"},
               {R"("x")", "00"},
               {R"("xxb", 1)", "000001"},
               {R"("")", ""},
               {R"("!", 1)", ""},
               {R"("b\0z", 1)", "01"}});
  EXPECT_EQ(Eval(R"(#struct.pack("c0c0", string.rep("a", 10000), string.rep("b", 10000)))"),
            "20000");
  EXPECT_EQ(Eval(R"(#struct.pack("c9000i", string.rep("1", 9000), 5))"), "9004");
}

TEST_F(LuaStructTest, PackAlignsToTheItemSizeCappedByTheMaximumAlignment) {
  ExpectCalls(
      "hex", "pack",
      {{R"("b i", 1, 2)", "0102000000"},
       {R"("!bi", 1, 2)", "0100000002000000"},
       {R"("!bi", 1, 2, 3)", "0100000002000000"},
       {R"("!2bi", 1, 2)", "010002000000"},
       {R"("!4bhbibd", 1,2,3,4,5,6)", "010002000300000004000000050000000000000000001840"},
       {R"("!bxd", 1, 2)", "01000000000000000000000000000040"},
       {R"("!bd", 1, 2)", "01000000000000000000000000000040"},
       {R"("!8bl", 1, 2)", "01000000000000000200000000000000"},
       {R"("!8 b T", 1, 2)", "01000000000000000200000000000000"},
       {R"("!8 b h", 1, 2)", "01000200"},
       {R"("!8 b f", 1, 2)", "0100000000000040"},
       {R"("!8 h b", 1, 2)", "010002"},
       {R"("!8bi3", 1, 2)", "010000020000"},
       {R"("!8bi5", 1, 2)", "01000000000200000000"},
       {R"("!8bi6", 1, 2)", "010000000000020000000000"},
       {R"("!8bi12", 1, 2)", "0100000000000000020000000000000000000000"},
       {R"("!16bi16", 1, 2)", "0100000000000000000000000000000002000000000000000000000000000000"},
       {R"("!bi16", 1, 2)", "010000000000000002000000000000000000000000000000"},
       {R"("!8bcs", 1, "a", "b")", "01616200"},
       {R"("!b!1h", 1, 2)", "010200"},
       {R"("<b>h", 1, 2)", "010002"}});
}

TEST_F(LuaStructTest, PackErrorsUseRedisTexts) {
  ExpectCalls("pc", "pack",
              {{R"("z")", "ERR:bad argument #1 to '?' (invalid format option 'z')"},
               {R"("%")", "ERR:bad argument #1 to '?' (invalid format option '%')"},
               {R"("\200")", "ERR:bad argument #1 to '?' (invalid format option '\xc8')"},
               {R"("i33", 1)", "ERR:integral size 33 is larger than limit of 32"},
               {R"("i32", 1)", "ok"},
               {R"("i2147483647", 1)", "ERR:integral size 2147483647 is larger than limit of 32"},
               {R"("i2147483648", 1)", "ERR:integral size overflow"},
               {R"("i99999999999", 1)", "ERR:integral size overflow"},
               {R"("!3")", "ERR:alignment 3 is not a power of 2"},
               {R"("!0")", "ERR:alignment 0 is not a power of 2"},
               {R"("!16b", 1)", "ok"},
               // The argument named is the one after the short string, as in Redis.
               {R"("c5", "ab")", "ERR:bad argument #3 to '?' (string too short)"},
               {R"("bc5", 1, "ab")", "ERR:bad argument #4 to '?' (string too short)"},
               // The argument just past the last one reads as nil, the next ones as no value.
               {R"("i")", "ERR:bad argument #2 to '?' (number expected, got nil)"},
               {R"("ii", 1)", "ERR:bad argument #3 to '?' (number expected, got nil)"},
               {R"("f")", "ERR:bad argument #2 to '?' (number expected, got nil)"},
               {R"("c")", "ERR:bad argument #2 to '?' (string expected, got nil)"},
               {R"("c9000i", string.rep("1", 9000))",
                "ERR:bad argument #3 to '?' (number expected, got nil)"},
               {R"("c9000ii", string.rep("1", 9000), 5)",
                "ERR:bad argument #4 to '?' (number expected, got nil)"},
               {R"("i", "x")", "ERR:bad argument #2 to '?' (number expected, got string)"},
               {R"("s", {})", "ERR:bad argument #2 to '?' (string expected, got table)"},
               {R"({})", "ERR:bad argument #1 to '?' (string expected, got table)"}});
  EXPECT_EQ(Eval("pc(struct.pack)"), "ERR:bad argument #1 to '?' (string expected, got no value)");
}

TEST_F(LuaStructTest, UnpacksEveryOptionAndReturnsTheNextPosition) {
  ExpectCalls(
      "all", "unpack",
      {{R"("b", "\255")", "2 -> number:-1 number:2"},
       {R"("B", "\255")", "2 -> number:255 number:2"},
       {R"("<h", "\254\255")", "2 -> number:-2 number:3"},
       {R"(">h", "\254\255")", "2 -> number:-257 number:3"},
       {R"(">H", "\254\255")", "2 -> number:65279 number:3"},
       {R"("<l", "\254\255\255\255\255\255\255\255")", "2 -> number:-2 number:9"},
       {R"("<L", "\254\255\255\255\255\255\255\255")",
        "2 -> number:1.8446744073709552e+19 number:9"},
       {R"(">T", "\000\000\000\000\000\000\001\000")", "2 -> number:256 number:9"},
       {R"("i", "\253\255\255\255")", "2 -> number:-3 number:5"},
       {R"("I", "\253\255\255\255")", "2 -> number:4294967293 number:5"},
       {R"(">i3", "\255\255\254")", "2 -> number:-2 number:4"},
       {R"(">I3", "\255\255\254")", "2 -> number:16777214 number:4"},
       {R"(">I8", "\255\255\255\255\255\255\255\255")",
        "2 -> number:1.8446744073709552e+19 number:9"},
       {R"(">i8", "\128\000\000\000\000\000\000\000")",
        "2 -> number:-9.2233720368547758e+18 number:9"},
       {R"(">L", "\000\031\255\255\255\255\255\255")", "2 -> number:9007199254740991 number:9"},
       {R"("<f", "\000\000\192\063")", "2 -> number:1.5 number:5"},
       {R"(">f", "\063\192\000\000")", "2 -> number:1.5 number:5"},
       {R"(">d", "\063\185\153\153\153\153\153\154")", "2 -> number:0.10000000000000001 number:9"},
       {R"(">f>d", "\127\192\000\000\255\240\000\000\000\000\000\000")",
        "3 -> number:nan number:-inf number:13"},
       {R"("c2", "abc")", "2 -> \"ab\" number:3"},
       {R"("c", "abc")", "2 -> \"a\" number:2"},
       {R"("c", "abc", 3)", "2 -> \"c\" number:4"},
       {R"("c3", "a\000b")", "2 -> \"a\\000b\" number:4"},
       {R"("s", "ab\000cd")", "2 -> \"ab\" number:4"},
       {R"("ss", "ab\000cd\000")", "3 -> \"ab\" \"cd\" number:7"},
       {R"("s", "\000")", "2 -> \"\" number:2"},
       {R"("x", "a")", "1 -> number:2"},
       {R"("xb", "\001\002")", "2 -> number:2 number:3"},
       {R"("b", 12)", "2 -> number:49 number:2"},
       {R"("b b", "\001\002")", "3 -> number:1 number:2 number:3"},
       {R"("<b>h", "\001\000\002")", "3 -> number:1 number:2 number:4"}});
}

// Redis shifts by size*8-1 to sign-extend; x86 takes the count modulo 64.
TEST_F(LuaStructTest, UnpacksWideAndZeroSizeIntegersAsX86Redis) {
  ExpectCalls("all", "unpack",
              {{R"("i0", "")", "2 -> number:0 number:1"},
               {R"("I0", "abc")", "2 -> number:0 number:1"},
               {R"(">i9", "\001\000\000\000\000\000\000\000\128")", "2 -> number:-128 number:10"},
               {R"(">i9", "\000\000\000\000\000\000\000\000\127")", "2 -> number:127 number:10"},
               {R"(">I16", "\255\255\255\255\255\255\255\255\000\000\000\000\000\000\000\001")",
                "2 -> number:1 number:17"},
               {R"(">i16", "\000\000\000\000\000\000\000\000\128\000\000\000\000\000\000\000")",
                "2 -> number:-9.2233720368547758e+18 number:17"},
               {R"("<i16", "\255\255\255\255\255\255\255\255\255\255\255\255\255\255\255\255")",
                "2 -> number:-1 number:17"},
               {R"("<i16", "\254\255\255\255\255\255\255\255\000\000\000\000\000\000\000\000")",
                "2 -> number:-2 number:17"},
               {R"(">i12", "\000\000\000\000\000\000\000\000\000\000\000\255")",
                "2 -> number:255 number:13"},
               {R"(">i12", "\000\000\000\000\000\000\000\000\000\000\015\255")",
                "2 -> number:4095 number:13"}});
}

TEST_F(LuaStructTest, UnpackAlignsFromTheStartOfTheDataAndHonoursThePosition) {
  ExpectCalls(
      "all", "unpack",
      {{R"("!4bi", "\001\000\000\000\002\000\000\000")", "3 -> number:1 number:2 number:9"},
       {R"("!4 b i", "\001\000\000\000\002\000\000\000", 1)", "3 -> number:1 number:2 number:9"},
       {R"("!4 b i", "\009\009\001\000\000\000\002\000\000\000", 3)",
        "3 -> number:1 number:131072 number:9"},
       {R"("!4bd", "\001\000\000\000\000\000\000\000\000\000\000\064")",
        "3 -> number:1 number:2 number:13"},
       {R"("!8 b d", "\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\064")",
        "3 -> number:1 number:2 number:17"},
       {R"("!4c1i", "a\000\000\000\001\000\000\000")", "3 -> \"a\" number:1 number:9"},
       {R"("i", "\001\000\000\000\002\000\000\000", 5)", "2 -> number:2 number:9"},
       {R"("b", "\001\002", 2)", "2 -> number:2 number:3"},
       {R"("b", "\001\002", 2.9)", "2 -> number:2 number:3"},
       {R"("", "abc")", "1 -> number:1"},
       {R"("", "abc", 10)", "1 -> number:10"},
       {R"("", "abc", -5)", "1 -> number:-5"}});
}

TEST_F(LuaStructTest, UnpackC0TakesItsLengthFromThePreviousResult) {
  ExpectCalls("all", "unpack",
              {{R"("bc0", "\002abc")", "2 -> \"ab\" number:4"},
               {R"("bc0", "\003abcd")", "2 -> \"abc\" number:5"},
               {R"("bc0", "\000abc")", "2 -> \"\" number:2"},
               {R"("c1c0", "2abc")", "2 -> \"ab\" number:4"},
               {R"("I3c0", "\003\000\000xyz")", "2 -> \"xyz\" number:7"},
               {R"("c4c0", "2.75abc")", "2 -> \"ab\" number:7"},
               // Huge lengths convert as on x86: 1e30, infinity and 2^64 all become 0.
               {R"("c4c0", "1e30abc")", "2 -> \"\" number:5"},
               {R"("c3c0", "infabc")", "2 -> \"\" number:4"},
               {R"("dc0", "\000\000\000\000\000\000\240\067abc")", "2 -> \"\" number:9"}});
}

TEST_F(LuaStructTest, UnpackErrorsUseRedisTexts) {
  ExpectCalls(
      "pc", "unpack",
      {{R"("b", "")", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("b", "\001", 2)", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("bbb", "\001\002\003", 2)", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("<!4I3bI3", "\001\002\003\004\005\006\007\008")",
        "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("b", "\001", 0)", "ERR:bad argument #3 to '?' (offset must be 1 or greater)"},
       {R"("b", "\001", -1)", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("b", "\001", 0/0)", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("z", "")", "ERR:bad argument #1 to '?' (invalid format option 'z')"},
       {R"("z", "", 2)", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("<", "", 2)", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("c0", "abc")", "ERR:format 'c0' needs a previous size"},
       {R"("c1c0", "xabc")", "ERR:format 'c0' needs a previous size"},
       {R"("bc0", "\005abc")", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("bc0", "\255abc")", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("c2c0", "-1abc")", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("c3c0", "nanabc")", "ERR:bad argument #2 to '?' (data string too short)"},
       {R"("i40", "abc")", "ERR:integral size 40 is larger than limit of 32"},
       {R"("!5", "abc")", "ERR:alignment 5 is not a power of 2"},
       {R"("s", "abc")", "ERR:unfinished string in data"},
       {R"("s", "a")", "ERR:unfinished string in data"},
       {R"("b")", "ERR:bad argument #2 to '?' (string expected, got no value)"},
       {R"("b", "\001", "x")", "ERR:bad argument #3 to '?' (number expected, got string)"}});
  EXPECT_EQ(Eval("pc(struct.unpack)"),
            "ERR:bad argument #1 to '?' (string expected, got no value)");
  EXPECT_EQ(Eval(R"(pc(function() return struct.unpack("c0", "abc", 1) end))"),
            "ERR:user_script:5: format 'c0' needs a previous size");
  EXPECT_EQ(Eval(R"(pc(function() return struct.unpack("b", "") end))"),
            "ERR:user_script:5: bad argument #2 to 'unpack' (data string too short)");
}

TEST_F(LuaStructTest, UnpackOfTooManyResultsFailsWhereRedisDoes) {
  EXPECT_EQ(Eval(R"(pc(struct.unpack, string.rep("b", 9000), string.rep("\001", 9000)))"),
            "ERR:stack overflow (too many results)");
  EXPECT_EQ(
      Eval(
          R"((function() local ok, e = pcall(struct.unpack, string.rep('b', 7997), string.rep('\001', 7997)) return tostring(ok) .. ' ' .. tostring(e) end)())"),
      "true 1");
  EXPECT_EQ(
      Eval(
          R"((function() local ok, e = pcall(struct.unpack, string.rep('b', 7998), string.rep('\001', 7998)) return tostring(ok) .. ' ' .. tostring(e) end)())"),
      "false stack overflow (too many results)");
}

TEST_F(LuaStructTest, SizeAddsAlignedItemSizes) {
  const std::pair<std::string, std::string> cases[] = {
      {R"("b")", "1"},
      {R"("h")", "2"},
      {R"("l")", "8"},
      {R"("T")", "8"},
      {R"("i")", "4"},
      {R"("I7")", "7"},
      {R"("f")", "4"},
      {R"("d")", "8"},
      {R"("x")", "1"},
      {R"("c")", "1"},
      {R"("c10")", "10"},
      {R"("")", "0"},
      {R"("!bd")", "16"},
      {R"("!4bd")", "12"},
      {R"("!2bd")", "10"},
      {R"("!bi3")", "6"},
      {R"("!8bi5")", "10"},
      {R"("!16bi16")", "32"},
      {R"("!bi16")", "24"},
      {R"("!bxxi")", "8"},
      {R"("<>! b")", "1"},
      {R"("!bc3i")", "8"},
      {R"("!1bi")", "5"},
      {R"("b\0s")", "1"},
      {R"("i0")", "0"},
      {R"("!4i0b")", "1"},
      // Letters and digits that are no option count as nothing rather than as errors.
      {R"("z")", "0"},
      {R"("bz")", "1"}};
  for (const auto& [args, expected] : cases) {
    EXPECT_EQ(Eval("struct.size(" + args + ")"), expected) << args;
  }
}

TEST_F(LuaStructTest, SizeErrorsUseRedisTexts) {
  ExpectCalls("pc", "size",
              {{R"("s")", "ERR:bad argument #1 to '?' (option 's' has no fixed size)"},
               {R"("c0")", "ERR:bad argument #1 to '?' (option 'c0' has no fixed size)"},
               {R"("?")", "ERR:bad argument #1 to '?' (invalid format option '?')"},
               {R"("i40")", "ERR:integral size 40 is larger than limit of 32"},
               {R"("!3")", "ERR:alignment 3 is not a power of 2"}});
  EXPECT_EQ(Eval("pc(struct.size)"), "ERR:bad argument #1 to '?' (string expected, got no value)");
}

}  // namespace
}  // namespace ember::server::scripting
