// The FUNCTION LOAD shebang: Redis 7.0's errors, quoting, the name option in any case, and
// the code keeping its first newline so line numbers stay the user's.
#include "server/scripting/library_metadata.h"

#include <gtest/gtest.h>

#include <string>

namespace ember::server::scripting {
namespace {

std::string ErrorOf(std::string_view payload) {
  LibraryMetadata metadata;
  std::string error;
  return ParseLibraryMetadata(payload, &metadata, &error) ? "" : error;
}

TEST(LibraryMetadataTest, ReadsEngineNameAndCode) {
  LibraryMetadata metadata;
  std::string error;
  ASSERT_TRUE(ParseLibraryMetadata("#!lua name=mylib\nreturn 1", &metadata, &error));
  EXPECT_EQ(metadata.engine, "lua");
  EXPECT_EQ(metadata.name, "mylib");
  EXPECT_EQ(metadata.code, "\nreturn 1");
}

TEST(LibraryMetadataTest, QuotesAndCaseFollowRedisArgumentRules) {
  LibraryMetadata metadata;
  std::string error;
  ASSERT_TRUE(ParseLibraryMetadata("#!LUA   NAME=\"my lib\"  \n", &metadata, &error));
  EXPECT_EQ(metadata.engine, "LUA");
  EXPECT_EQ(metadata.name, "my lib");
  ASSERT_TRUE(ParseLibraryMetadata("#! name=x\n", &metadata, &error));
  EXPECT_EQ(metadata.engine, "");
}

TEST(LibraryMetadataTest, ErrorsAreRedisTexts) {
  EXPECT_EQ(ErrorOf("return 1"), "Missing library metadata");
  EXPECT_EQ(ErrorOf(""), "Missing library metadata");
  EXPECT_EQ(ErrorOf("#!lua name=x"), "Invalid library metadata");
  EXPECT_EQ(ErrorOf(std::string("#!lua name=x\0\n", 15)), "Invalid library metadata");
  EXPECT_EQ(ErrorOf("#!lua name=\"x\n"), "Invalid library metadata");
  EXPECT_EQ(ErrorOf("#!lua\n"), "Library name was not given");
  EXPECT_EQ(ErrorOf("#!lua name=a name=b\n"),
            "Invalid metadata value, name argument was given multiple times");
  EXPECT_EQ(ErrorOf("#!lua name=a foo=bar\n"), "Invalid metadata value given: foo=bar");
}

TEST(LibraryMetadataTest, NamesAreLettersDigitsAndUnderscores) {
  EXPECT_TRUE(IsValidFunctionName("a_B_9"));
  EXPECT_FALSE(IsValidFunctionName(""));
  EXPECT_FALSE(IsValidFunctionName("a-b"));
  EXPECT_FALSE(IsValidFunctionName(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace ember::server::scripting
