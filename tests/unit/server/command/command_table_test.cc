// The command table as the families declare it: every family's rows join once, the derived
// ACL categories follow Redis's rules, and each row is well formed.
#include "server/command/command_table.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {
namespace {

std::string CategoryNames(uint32_t categories) {
  std::string out;
  ForEachAclCategory(categories, [&](std::string_view name) {
    out += (out.empty() ? "@" : " @") + std::string(name);
  });
  return out;
}

TEST(CommandTableTest, EveryFamilyRowJoinsTheTableOnce) {
  const CommandTable& table = CommandTable::Default();
  size_t declared = 0;
  std::set<std::string_view> names;
  for (const CommandFamily* family : AllFamilies()) {
    for (CommandRowsSource file : family->files) {
      for (const CommandSpec& row : file()) {
        ++declared;
        EXPECT_TRUE(names.insert(row.name).second) << "declared twice: " << row.name;
        EXPECT_EQ(table.Find(row.name), &row) << row.name;
        EXPECT_EQ(table.GroupOf(row), family->group) << row.name;
      }
    }
  }
  EXPECT_EQ(table.rows().size(), declared);
  EXPECT_GT(declared, 70u);
}

TEST(CommandTableTest, RowsAreWellFormed) {
  for (const CommandSpec* row : CommandTable::Default().rows()) {
    EXPECT_NE(row->arity, 0) << row->name;
    EXPECT_FALSE(row->since.empty()) << row->name;
    EXPECT_FALSE(row->summary.empty()) << row->name;
    EXPECT_TRUE(row->handler != nullptr || !row->subcommands.empty())
        << row->name << " has neither a handler nor subcommands";
    for (const CommandSpec& sub : row->subcommands) {
      EXPECT_EQ(sub.name.substr(0, sub.name.find('|')), row->name) << sub.name;
      EXPECT_NE(sub.handler, nullptr) << sub.name;
      EXPECT_TRUE(sub.subcommands.empty()) << sub.name;
    }
  }
}

TEST(CommandTableTest, CategoriesAreDerivedFromFlagsAndFamily) {
  const CommandTable& table = CommandTable::Default();
  // One row per derivation rule; COMMAND INFO of every row is also compared with
  // redis-server 7.0 by tests/compat/command_table_test.cc.
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*table.Find("set"))), "@write @string @slow");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*table.Find("get"))), "@read @string @fast");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*table.Find("keys"))),
            "@keyspace @read @slow @dangerous");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*table.Find("flushall"))),
            "@keyspace @write @slow @dangerous");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*table.Find("ping"))), "@fast @connection");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*table.Find("time"))), "@fast");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*table.Find("exec"))), "@slow @transaction");
  // A pure container takes no family category; its subcommands do.
  const CommandSpec* client = table.Find("client");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*client)), "@slow");
  EXPECT_EQ(CategoryNames(table.AclCategoriesOf(*CommandTable::FindSubcommand(*client, "kill"))),
            "@admin @slow @dangerous @connection");
}

TEST(AclCategoriesTest, DerivationFollowsRedisImplicitRules) {
  CommandSpec spec{.name = "x", .arity = 1, .flags = kReadOnly | kFast, .handler = nullptr};
  EXPECT_EQ(DeriveAclCategories(spec, kAclHash), kAclHash | kAclRead | kAclFast);
  spec.flags = kWrite | kBlocking;
  EXPECT_EQ(DeriveAclCategories(spec, kAclList), kAclList | kAclWrite | kAclBlocking | kAclSlow);
  spec.flags = kAdmin | kPubSub;
  EXPECT_EQ(DeriveAclCategories(spec, 0), kAclAdmin | kAclDangerous | kAclPubSub | kAclSlow);
  // Scripting commands stay out of @read even when read-only (EVAL_RO).
  spec.flags = kReadOnly;
  EXPECT_EQ(DeriveAclCategories(spec, kAclScripting), kAclScripting | kAclSlow);
  // Explicit extras add to the derived ones.
  spec.flags = kWrite | kFast;
  spec.acl = kAclDangerous;
  EXPECT_EQ(DeriveAclCategories(spec, 0), kAclWrite | kAclFast | kAclDangerous);
}

TEST(AclCategoriesTest, NamesAreFoundInAnyLetterCase) {
  EXPECT_EQ(FindAclCategory("String"), kAclString);
  EXPECT_EQ(FindAclCategory("sortedset"), kAclSortedSet);
  EXPECT_FALSE(FindAclCategory("@string").has_value());
  EXPECT_FALSE(FindAclCategory("nosuch").has_value());
}

}  // namespace
}  // namespace ember::server
