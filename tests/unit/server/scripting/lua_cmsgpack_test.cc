#include "server/scripting/lua_libs/lua_cmsgpack.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "tests/unit/server/scripting/lua_library_fixture.h"

namespace ember::server::scripting {
namespace {

class LuaCmsgpackTest : public LuaLibraryTest {
 protected:
  LuaCmsgpackTest() : LuaLibraryTest("cmsgpack", OpenCmsgpack) {}
};

TEST_F(LuaCmsgpackTest, OpenPushesTheTableWithRedisMetadataAndSetsNoGlobal) {
  lua_State* L = luaL_newstate();
  lua_pushcfunction(L, OpenCmsgpack);
  lua_pushstring(L, "cmsgpack");
  lua_call(L, 1, 1);
  ASSERT_TRUE(lua_istable(L, -1));
  lua_getglobal(L, "cmsgpack");
  EXPECT_TRUE(lua_isnil(L, -1));
  lua_close(L);

  EXPECT_EQ(Eval("cmsgpack._VERSION .. '|' .. cmsgpack._NAME .. '|' .. cmsgpack._COPYRIGHT .. "
                 "'|' .. cmsgpack._DESCRIPTION"),
            "lua-cmsgpack 0.4.0|cmsgpack|Copyright (C) 2012, Salvatore Sanfilippo|MessagePack C "
            "implementation for Lua");
  EXPECT_EQ(Eval("type(cmsgpack.pack) .. type(cmsgpack.unpack) .. type(cmsgpack.unpack_one) .. "
                 "type(cmsgpack.unpack_limit)"),
            "functionfunctionfunctionfunction");
}

TEST_F(LuaCmsgpackTest, PacksScalarsAndIntegersInTheSmallestForm) {
  EXPECT_EQ(Eval("hex(cmsgpack.pack(nil, true, false, 0, 1, 127, 128, 255, 256, 65535, 65536, "
                 "4294967295, 4294967296, -1, -32, -33, -128, -129, -32768, -32769, "
                 "-2147483648, -2147483649))"),
            "c0c3c200017fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000ffe0d0dfd080"
            "d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffff");
}

TEST_F(LuaCmsgpackTest, PacksOtherNumbersAsFloatWhenExactElseDouble) {
  EXPECT_EQ(
      Eval("hex(cmsgpack.pack(2^53, -2^53, 2^63, -2^63, 2^64, 1.5, 0.1, -0.0, 1/0, -1/0, "
           "0/0, 3.4028234663852886e38, 1e300))"),
      "cf0020000000000000d3ffe0000000000000ca5f000000d38000000000000000ca5f800000ca3fc00000"
      "cb3fb999999999999a00caff800000ca7f800000cbfff8000000000000ca7f7fffffcb7e37e43c8800759c");
  EXPECT_EQ(Eval("hex(cmsgpack.pack(1e10, -2^64, 2^63-1024, -2^63+1024, 1e-300, -1.5, 2^24+1, "
                 "16777216.5))"),
            "cf00000002540be400cadf800000cf7ffffffffffffc00d38000000000000400cb01a56e1fc2f8f359cabf"
            "c00000ce01000001cb4170000008000000");
}

TEST_F(LuaCmsgpackTest, PacksStringsOfEachLengthClass) {
  EXPECT_EQ(Eval("hex(cmsgpack.pack('', 'a', string.rep('x', 31)))"),
            "a0a161bf78787878787878787878787878787878787878787878787878787878787878");
  EXPECT_EQ(Eval("hex(string.sub(cmsgpack.pack(string.rep('x', 32)), 1, 4)) .. ' ' .. "
                 "hex(string.sub(cmsgpack.pack(string.rep('x', 255)), 1, 4)) .. ' ' .. "
                 "hex(string.sub(cmsgpack.pack(string.rep('x', 256)), 1, 4)) .. ' ' .. "
                 "hex(string.sub(cmsgpack.pack(string.rep('x', 65535)), 1, 4)) .. ' ' .. "
                 "hex(string.sub(cmsgpack.pack(string.rep('x', 65536)), 1, 6)) .. ' ' .. "
                 "#cmsgpack.pack(string.rep('x', 65536))"),
            "d9207878 d9ff7878 da010078 daffff78 db0001000078 65541");
}

TEST_F(LuaCmsgpackTest, PacksTablesAsArraysOnlyWhenKeysAreExactlyOneToN) {
  EXPECT_EQ(Eval("hex(cmsgpack.pack({}, {1,2,3}, {a=1}, {[1]=1,[3]=3}, {[0]=1}, {[1.5]=1}, "
                 "{[-1]=1}, {1,2,x=3}, {[2]=2,[1]=1}, {1,nil,3}, {{{}}}))"),
            "909301020381a16101820101030381000181ca3fc000000181ff018301010202a178039201028201010"
            "303919190");
  EXPECT_EQ(Eval("hex(cmsgpack.pack({[2^31]=1}, {[2^31-1]=1}, {[1]=1,[2]=2,[4]=4}, "
                 "{a=1,b=2,c=3}))"),
            "81ce800000000181ce7fffffff018301010202040483a16101a16303a16202");
  EXPECT_EQ(Eval("hex(cmsgpack.pack({x={y={1,2}}, [true]=false}))"), "82c3c2a17881a179920102");
  EXPECT_EQ(Eval("hex(cmsgpack.pack({k1=1,k2=2,k3=3,k4=4,k5=5,k6=6,k7=7,k8=8}))"),
            "88a26b3505a26b3404a26b3606a26b3808a26b3101a26b3707a26b3303a26b3202");
}

TEST_F(LuaCmsgpackTest, PacksSixteenAndThirtyTwoBitArrayAndMapHeaders) {
  EXPECT_EQ(Eval("hex(string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}), 1, 3)) "
                 ".. ' ' .. hex(string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,"
                 "16}), 1, 3))"),
            "9f0102 dc0010");
  EXPECT_EQ(Eval("(function() local t = {} for i=1,65535 do t[i]=i%2==0 end local u = {} for "
                 "i=1,65536 do u[i]=true end return hex(string.sub(cmsgpack.pack(t),1,4)) .. ' ' "
                 ".. #cmsgpack.pack(t) .. ' ' .. hex(string.sub(cmsgpack.pack(u),1,6)) .. ' ' .. "
                 "#cmsgpack.pack(u) end)()"),
            "dcffffc2 65538 dd00010000c3 65541");
  EXPECT_EQ(Eval("(function() local t = {} for i=1,16 do t['k'..i]=true end local u = {} for "
                 "i=1,65536 do u[-i]=true end return hex(string.sub(cmsgpack.pack(t),1,3)) .. ' ' "
                 ".. #cmsgpack.pack(t) .. ' ' .. hex(string.sub(cmsgpack.pack(u),1,5)) .. ' ' .. "
                 "#cmsgpack.pack(u) .. ' ' .. hex(string.sub(cmsgpack.pack({[-1]=1,[-2]=2,[-3]=3,"
                 "[-4]=4,[-5]=5,[-6]=6,[-7]=7,[-8]=8,[-9]=9,[-10]=10,[-11]=11,[-12]=12,[-13]=13,"
                 "[-14]=14,[-15]=15}),1,1)) end)()"),
            "de0010 74 df00010000 327525 8f");
}

TEST_F(LuaCmsgpackTest, PacksTablesNestedBeyondSixteenLevelsAsNil) {
  EXPECT_EQ(Eval("(function() local t = {} local cur = t for i=1,20 do cur[1] = {} cur = cur[1] "
                 "end return hex(cmsgpack.pack(t)) end)()"),
            "91919191919191919191919191919191c0");
  EXPECT_EQ(Eval("(function() local t = {} t[1] = t return hex(cmsgpack.pack(t)) .. ' ' .. "
                 "hex(cmsgpack.pack(function() end, t)) end)()"),
            "91919191919191919191919191919191c0 c091919191919191919191919191919191c0");
  EXPECT_EQ(Eval("(function() local t = {} local cur = t for i=1,20 do local n = {} cur[{}]=n "
                 "cur = n end return hex(cmsgpack.pack(t)) end)()"),
            "81908190819081908190819081908190819081908190819081908190819081c0c0");
}

TEST_F(LuaCmsgpackTest, PackArgumentErrorsUseRedisTexts) {
  EXPECT_EQ(Eval("pc(cmsgpack.pack)"),
            "ERR:bad argument #0 to '?' (MessagePack pack needs input.)");
  EXPECT_EQ(Eval("pc(function() return cmsgpack.pack() end)"),
            "ERR:user_script:5: bad argument #0 to 'pack' (MessagePack pack needs input.)");
  EXPECT_EQ(Eval("pc(function() local p = cmsgpack.pack; return p() end)"),
            "ERR:user_script:5: bad argument #0 to 'p' (MessagePack pack needs input.)");
  EXPECT_EQ(Eval("pc(function() local t = {} for i=1,4000 do t[i]=i end return "
                 "cmsgpack.pack(unpack(t)) end)"),
            "ok");
  EXPECT_EQ(Eval("pc(function() local t = {} for i=1,4010 do t[i]=i end return "
                 "cmsgpack.pack(unpack(t)) end)"),
            "ERR:user_script:5: bad argument #0 to 'pack' (Too many arguments for MessagePack "
            "pack.)");
}

// Redis keeps each argument's encoding on the Lua stack until the end, so with thousands of
// arguments a nested table runs into the C stack limit at the same depth here.
TEST_F(LuaCmsgpackTest, PackNearTheStackLimitFailsWhereRedisDoes) {
  for (const char* last : {"{}", "{1}", "{a=1}"}) {
    EXPECT_EQ(Eval(std::string("pc(function() local t = {} for i=1,3999 do t[i]=i end t[4000] = ") +
                   last + " return cmsgpack.pack(unpack(t)) end)"),
              "ERR:user_script:5: stack overflow (in function table_is_an_array)")
        << last;
  }
  EXPECT_EQ(Eval("pc(function() local t = {} for i=1,3994 do t[i]=i end t[3995] = "
                 "{{{{{{{{{{{{{{{{{{{{}}}}}}}}}}}}}}}}}}}} return cmsgpack.pack(unpack(t)) end)"),
            "ERR:user_script:5: stack overflow (in function table_is_an_array)");
  EXPECT_EQ(Eval("pc(function() local t = {} for i=1,3994 do t[i]=i end t[3995] = "
                 "{a={a={a={a={a={a={a={a={a={a={a={a={}}}}}}}}}}}}} return "
                 "cmsgpack.pack(unpack(t)) end)"),
            "ERR:user_script:5: stack overflow (in function mp_encode_lua_table_as_map)");
  EXPECT_EQ(Eval("pc(function() local t = {} for i=1,3994 do t[i]=i end t[3995] = "
                 "{a={a={a={a={}}}}} return cmsgpack.pack(unpack(t)) end)"),
            "ok");
  EXPECT_EQ(Eval("pc(function() local t = {} for i=1,3990 do t[i]=i end t[3991] = "
                 "{{{{{{{{{{{{{{{{{{{{}}}}}}}}}}}}}}}}}}}} return cmsgpack.pack(unpack(t)) end)"),
            "ok");
}

TEST_F(LuaCmsgpackTest, UnpacksEveryDecodableType) {
  EXPECT_EQ(
      Eval(
          R"(all(cmsgpack.unpack("\192\195\194\000\127\204\255\205\255\255\206\255\255\255\255\207\255\255\255\255\255\255\255\255\207\127\255\255\255\255\255\255\255\224\255\208\128\209\128\000\210\128\000\000\000\211\128\000\000\000\000\000\000\000\211\255\255\255\255\255\255\255\254")))"),
      "17 -> nil:0 boolean:1 boolean:0 number:0 number:127 number:255 number:65535 "
      "number:4294967295 number:-1 number:9.2233720368547758e+18 number:-32 number:-1 "
      "number:-128 number:-32768 number:-2147483648 number:-9.2233720368547758e+18 "
      "number:-2");
  EXPECT_EQ(
      Eval(
          R"(all(cmsgpack.unpack("\202\063\192\000\000\203\063\185\153\153\153\153\153\154\160\161\097\217\002hi\218\000\003abc\219\000\000\000\001z\220\000\002\001\002\221\000\000\000\001\003\222\000\001\001\002\223\000\000\000\001\161k\161v\146\001\002\130\001\002\003\004")))"),
      "13 -> number:1.5 number:0.10000000000000001 \"\" \"a\" \"hi\" \"abc\" \"z\" "
      "{[number:1]=number:1,[number:2]=number:2} {[number:1]=number:3} "
      "{[number:1]=number:2} {[\"k\"]=\"v\"} {[number:1]=number:1,[number:2]=number:2} "
      "{[number:1]=number:2,[number:3]=number:4}");
  EXPECT_EQ(
      Eval(
          R"(all(cmsgpack.unpack("\202\127\192\000\000\202\255\128\000\000\203\000\000\000\000\000\000\000\001")))"),
      "3 -> number:nan number:-inf number:4.9406564584124654e-324");
  EXPECT_EQ(Eval("all(cmsgpack.unpack(''))"), "0 -> ");
  EXPECT_EQ(Eval("all(cmsgpack.unpack(12))"), "2 -> number:49 number:50");
}

TEST_F(LuaCmsgpackTest, UnpackInvertsPack) {
  EXPECT_EQ(Eval("all(cmsgpack.unpack(cmsgpack.pack({1,{2,{3}},{a={b='c'}}}, 'x', -7, 0.25)))"),
            "4 -> {[number:1]=number:1,[number:2]={[number:1]=number:2,[number:2]={[number:1]="
            "number:3}},[number:3]={[\"a\"]={[\"b\"]=\"c\"}}} \"x\" number:-7 number:0.25");
  EXPECT_EQ(Eval("(function() local t = {} for i=1,20 do t[i] = i*i end local out = {} for _, v "
                 "in ipairs({cmsgpack.unpack(cmsgpack.pack(unpack(t)))}) do out[#out+1] = v end "
                 "return table.concat(out, ',') end)()"),
            "1,4,9,16,25,36,49,64,81,100,121,144,169,196,225,256,289,324,361,400");
}

TEST_F(LuaCmsgpackTest, UnpackOfTruncatedInputIsMissingBytes) {
  for (const char* input : {R"("\204")",
                            R"("\205\001")",
                            R"("\206\001\002\003")",
                            R"("\207\001")",
                            R"("\208")",
                            R"("\209\001")",
                            R"("\210\001")",
                            R"("\211\001")",
                            R"("\202\001")",
                            R"("\203\001")",
                            R"("\217")",
                            R"("\217\003ab")",
                            R"("\218\000")",
                            R"("\218\000\003ab")",
                            R"("\219\000\000\000")",
                            R"("\219\000\000\000\003ab")",
                            R"("\220\000")",
                            R"("\220\000\002\001")",
                            R"("\221\000\000\000\002\001")",
                            R"("\222\000\001\001")",
                            R"("\223\000\000\000\001\001")",
                            R"("\145")",
                            R"("\129\001")",
                            R"("\163ab")"}) {
    EXPECT_EQ(Eval(std::string("pc(cmsgpack.unpack, ") + input + ")"),
              "ERR:Missing bytes in input.")
        << input;
  }
}

TEST_F(LuaCmsgpackTest, UnpackOfUndecodableTypesIsBadDataFormat) {
  for (int tag : {193, 196, 197, 198, 199, 200, 201, 212, 213, 214, 215, 216}) {
    EXPECT_EQ(
        Eval("pc(cmsgpack.unpack, string.char(" + std::to_string(tag) + ", 0, 0, 0, 0, 0, 0))"),
        "ERR:Bad data format in input.")
        << tag;
  }
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, "\001\193"))"), "ERR:Bad data format in input.");
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, "\146\193\001"))"), "ERR:Bad data format in input.");
}

TEST_F(LuaCmsgpackTest, UnpackOfNilOrNaNMapKeyRaisesLuasTableIndexError) {
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, "\129\192\001"))"), "ERR:table index is nil");
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, "\129\203\255\248\000\000\000\000\000\000\001"))"),
            "ERR:table index is NaN");
}

TEST_F(LuaCmsgpackTest, UnpackArgumentErrorsUseRedisTexts) {
  EXPECT_EQ(Eval("pc(cmsgpack.unpack)"),
            "ERR:bad argument #1 to '?' (string expected, got no value)");
  EXPECT_EQ(Eval("pc(function() return cmsgpack.unpack({}) end)"),
            "ERR:user_script:5: bad argument #1 to 'unpack' (string expected, got table)");
}

TEST_F(LuaCmsgpackTest, UnpackNearTheStackLimitFailsWhereRedisDoes) {
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, string.rep("\001", 9000)))"),
            "ERR:stack overflow (too many return values at once; use unpack_one or unpack_limit "
            "instead.)");
  EXPECT_EQ(
      Eval(R"(pc(function() return select("#", cmsgpack.unpack(string.rep("\001", 7990))) end))"),
      "ok");
  EXPECT_EQ(
      Eval(
          R"((function() local ok, e = pcall(cmsgpack.unpack, string.rep('\001', 7999)) return tostring(ok) .. ' ' .. tostring(e) end)())"),
      "true 1");
  EXPECT_EQ(
      Eval(
          R"((function() local ok, e = pcall(cmsgpack.unpack, string.rep('\001', 8000)) return tostring(ok) .. ' ' .. tostring(e) end)())"),
      "false stack overflow (too many return values at once; use unpack_one or "
      "unpack_limit instead.)");
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, string.rep("\145", 5000) .. "\001"))"),
            "ERR:stack overflow (in function mp_decode_to_lua_array)");
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, string.rep("\145", 3990) .. "\001"))"), "ok");
  EXPECT_EQ(Eval(R"(pc(cmsgpack.unpack, string.rep("\129", 9000) .. "\001"))"),
            "ERR:stack overflow (too many return values at once; use unpack_one or unpack_limit "
            "instead.)");
}

TEST_F(LuaCmsgpackTest, UnpackOneAndUnpackLimitReturnTheNextOffsetFirst) {
  const std::string s = R"("\001\002\003")";
  const std::pair<std::string, std::string> cases[] = {
      {"cmsgpack.unpack_one(" + s + ")", "2 -> number:1 number:1"},
      {"cmsgpack.unpack_one(" + s + ", 1)", "2 -> number:2 number:2"},
      {"cmsgpack.unpack_one(" + s + ", 2)", "2 -> number:-1 number:3"},
      {"cmsgpack.unpack_one(" + s + ", 3)", "1 -> number:-1"},
      {"cmsgpack.unpack_one(" + s + ", '1')", "2 -> number:2 number:2"},
      {"cmsgpack.unpack_one(" + s + ", 1.7)", "2 -> number:2 number:2"},
      {"cmsgpack.unpack_limit(" + s + ", 2)", "3 -> number:2 number:1 number:2"},
      {"cmsgpack.unpack_limit(" + s + ", 0)", "3 -> number:1 number:2 number:3"},
      {"cmsgpack.unpack_limit(" + s + ", 0, 1)", "1 -> number:1"},
      {"cmsgpack.unpack_limit(" + s + ", 5)", "4 -> number:-1 number:1 number:2 number:3"},
      {"cmsgpack.unpack_limit(" + s + ", 1, 2)", "2 -> number:-1 number:3"},
      {"cmsgpack.unpack_limit(" + s + ", 2, 3)", "1 -> number:-1"},
      {"cmsgpack.unpack_limit(" + s + ", '2')", "3 -> number:2 number:1 number:2"},
      {"cmsgpack.unpack_one('')", "1 -> number:-1"},
      {"cmsgpack.unpack_limit('', 0)", "0 -> "},
      {"cmsgpack.unpack(" + s + ", 1)", "3 -> number:1 number:2 number:3"},
  };
  for (const auto& [call, expected] : cases) EXPECT_EQ(Eval("all(" + call + ")"), expected) << call;
}

TEST_F(LuaCmsgpackTest, UnpackOneAndUnpackLimitErrorsUseRedisTexts) {
  const std::string s = R"("\001\002\003")";
  const std::pair<std::string, std::string> cases[] = {
      {"cmsgpack.unpack_one, " + s + ", 4", "ERR:Start offset 4 greater than input length 3."},
      {"cmsgpack.unpack_one, " + s + ", 2^40", "ERR:Start offset 0 greater than input length 3."},
      {"cmsgpack.unpack_limit, " + s + ", 1, 9", "ERR:Start offset 9 greater than input length 3."},
      // Redis prints the input length where its message says "limit".
      {"cmsgpack.unpack_one, " + s + ", -1",
       "ERR:Invalid request to unpack with offset of -1 and limit of 3."},
      {"cmsgpack.unpack_limit, " + s + ", -1",
       "ERR:Invalid request to unpack with offset of 0 and limit of 3."},
      {"cmsgpack.unpack_limit, " + s + ", 1, -2",
       "ERR:Invalid request to unpack with offset of -2 and limit of 3."},
      {"cmsgpack.unpack_limit, " + s + ", -3, -5",
       "ERR:Invalid request to unpack with offset of -5 and limit of 3."},
      {"cmsgpack.unpack_limit, " + s, "ERR:bad argument #2 to '?' (number expected, got no value)"},
      {"cmsgpack.unpack_limit, " + s + ", 'x'",
       "ERR:bad argument #2 to '?' (number expected, got string)"},
      {"cmsgpack.unpack_one, " + s + ", 'x'",
       "ERR:bad argument #2 to '?' (number expected, got string)"},
      {"cmsgpack.unpack_one", "ERR:bad argument #1 to '?' (string expected, got no value)"},
      {"cmsgpack.unpack_limit", "ERR:bad argument #2 to '?' (number expected, got no value)"},
      {"cmsgpack.unpack_one, '\\204', 0", "ERR:Missing bytes in input."},
      {"cmsgpack.unpack_one, '\\193'", "ERR:Bad data format in input."},
  };
  for (const auto& [args, expected] : cases) EXPECT_EQ(Eval("pc(" + args + ")"), expected) << args;
}

}  // namespace
}  // namespace ember::server::scripting
