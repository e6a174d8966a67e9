#include "storage/ops/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace ember::storage {
namespace {

TEST(GlobMatchTest, LiteralsAndWildcards) {
  EXPECT_TRUE(GlobMatch("hello", "hello"));
  EXPECT_FALSE(GlobMatch("hello", "hellO"));
  EXPECT_FALSE(GlobMatch("hello", "hello!"));
  EXPECT_TRUE(GlobMatch("h?llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h?llo", "hllo"));
  EXPECT_TRUE(GlobMatch("h*llo", "hllo"));
  EXPECT_TRUE(GlobMatch("h*llo", "heeeello"));
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("**", "x"));
  EXPECT_TRUE(GlobMatch("a*", "a"));
  EXPECT_TRUE(GlobMatch("a**", "a"));
  EXPECT_TRUE(GlobMatch("*a*b*", "xxaxxbxx"));
  EXPECT_FALSE(GlobMatch("*a*b*", "xxbxxaxx"));
  EXPECT_TRUE(GlobMatch("user:*:name", "user:1000:name"));
  EXPECT_FALSE(GlobMatch("user:*:name", "user:1000:mail"));
}

TEST(GlobMatchTest, EmptyTextMatchesOnlyTheEmptyPattern) {
  // Redis's matcher never runs on an empty string; KEYS and SCAN skip matching for "*".
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("?", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
}

TEST(GlobMatchTest, BracketClasses) {
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[ae]llo", "hillo"));
  EXPECT_TRUE(GlobMatch("h[^e]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-b]llo", "hbllo"));
  EXPECT_FALSE(GlobMatch("h[a-b]llo", "hcllo"));
  EXPECT_TRUE(GlobMatch("[z-a]", "m"));  // reversed ranges are swapped
  EXPECT_TRUE(GlobMatch("[!a]", "!"));   // '!' is not a negation
  EXPECT_FALSE(GlobMatch("[!a]", "b"));
  EXPECT_TRUE(GlobMatch("[\\]]", "]"));
  EXPECT_TRUE(GlobMatch("[a\\-z]", "-"));
  EXPECT_FALSE(GlobMatch("[a\\-z]", "m"));
}

TEST(GlobMatchTest, UnterminatedClassRunsToTheEnd) {
  EXPECT_TRUE(GlobMatch("a[bc", "ab"));
  EXPECT_TRUE(GlobMatch("a[bc", "ac"));
  EXPECT_FALSE(GlobMatch("a[bc", "abc"));
  EXPECT_FALSE(GlobMatch("a[", "ab"));
  EXPECT_TRUE(GlobMatch("a[^", "ab"));
}

TEST(GlobMatchTest, Escapes) {
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b"));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb"));
  EXPECT_TRUE(GlobMatch("\\?", "?"));
  EXPECT_FALSE(GlobMatch("\\?", "x"));
  EXPECT_TRUE(GlobMatch("a\\", "a\\"));  // a trailing backslash is literal
}

TEST(GlobMatchTest, NoCase) {
  EXPECT_TRUE(GlobMatch("HeLLo", "hello", true));
  EXPECT_TRUE(GlobMatch("h[A-C]*", "Hbz", true));
  EXPECT_FALSE(GlobMatch("h[A-C]*", "hbz", false));
  EXPECT_TRUE(GlobMatch("[^X]", "y", true));
  EXPECT_FALSE(GlobMatch("[^X]", "x", true));
}

TEST(GlobMatchTest, IsBinarySafe) {
  std::string text("a\0b", 3);
  EXPECT_TRUE(GlobMatch(std::string("a\0b", 3), text));
  EXPECT_TRUE(GlobMatch("a?b", text));
  EXPECT_FALSE(GlobMatch("a", text));
}

TEST(GlobMatchTest, HostilePatternsFinishQuickly) {
  auto start = std::chrono::steady_clock::now();
  std::string text(20000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "*a";
  pattern += "*b";
  EXPECT_FALSE(GlobMatch(pattern, text));
  EXPECT_FALSE(GlobMatch("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
  EXPECT_TRUE(GlobMatch(pattern, text + "b"));
  std::string classes;
  for (int i = 0; i < 100; ++i) classes += "*[a-z]";
  EXPECT_FALSE(GlobMatch(classes + "1", std::string(5000, 'q')));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace ember::storage
