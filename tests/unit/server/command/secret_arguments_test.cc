#include "server/command/secret_arguments.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace ember::server {
namespace {

using Args = std::vector<std::string_view>;

Args Shown(const Args& args) {
  EXPECT_TRUE(MayCarrySecrets(args));
  return RedactSecrets(args);
}

TEST(SecretArgumentsTest, AuthHidesPasswordAndUserButNotASyntaxError) {
  EXPECT_EQ(Shown({"AUTH", "pw"}), (Args{"AUTH", "(redacted)"}));
  EXPECT_EQ(Shown({"auth", "user", "pw"}), (Args{"auth", "(redacted)", "(redacted)"}));
  EXPECT_EQ(Shown({"AUTH", "a", "b", "c"}), (Args{"AUTH", "a", "b", "c"}));
}

TEST(SecretArgumentsTest, HelloHidesEachAuthPairOnlyAfterAValidVersion) {
  EXPECT_EQ(Shown({"HELLO", "3", "AUTH", "u", "p"}),
            (Args{"HELLO", "3", "AUTH", "(redacted)", "(redacted)"}));
  EXPECT_EQ(Shown({"HELLO", "2", "SETNAME", "auth", "auth", "u", "p"}),
            (Args{"HELLO", "2", "SETNAME", "auth", "auth", "(redacted)", "(redacted)"}));
  EXPECT_EQ(Shown({"HELLO", "4", "AUTH", "u", "p"}), (Args{"HELLO", "4", "AUTH", "u", "p"}));
  EXPECT_EQ(Shown({"HELLO", "3", "BOGUS", "AUTH", "u", "p"}),
            (Args{"HELLO", "3", "BOGUS", "AUTH", "u", "p"}));
  EXPECT_EQ(Shown({"HELLO", "3", "AUTH", "u"}), (Args{"HELLO", "3", "AUTH", "u"}));
}

TEST(SecretArgumentsTest, ConfigSetHidesSensitiveValuesOnly) {
  EXPECT_EQ(Shown({"CONFIG", "SET", "maxmemory", "1mb", "RequirePass", "pw"}),
            (Args{"CONFIG", "SET", "maxmemory", "1mb", "RequirePass", "(redacted)"}));
  EXPECT_EQ(Shown({"CONFIG", "GET", "requirepass"}), (Args{"CONFIG", "GET", "requirepass"}));
}

TEST(SecretArgumentsTest, OtherCommandsAreNotLookedAt) {
  EXPECT_FALSE(MayCarrySecrets(Args{"SET", "auth", "pw"}));
  EXPECT_FALSE(MayCarrySecrets(Args{}));
}

}  // namespace
}  // namespace ember::server
