// LibrarySet, Redis's functionsLibCtx: libraries by exact name, functions by any case, and
// the all-or-nothing rules of linking one library (FUNCTION LOAD) or joining a set
// (FUNCTION RESTORE APPEND / REPLACE).
#include "server/scripting/function_library.h"

#include <gtest/gtest.h>

#include <string>

#include "server/scripting/function_engine.h"

namespace ember::server::scripting {
namespace {

std::string Library(const std::string& name, const std::string& function) {
  return "#!lua name=" + name + "\nredis.register_function('" + function +
         "', function() return 1 end)";
}

class LibrarySetTest : public ::testing::Test {
 protected:
  void Create(LibrarySet& set, const std::string& code, bool replace = false) {
    std::string error;
    ASSERT_TRUE(engine_.Create(code, replace, 0, set, &error)) << error;
  }
  std::string CreateError(LibrarySet& set, const std::string& code, bool replace = false) {
    std::string error;
    return engine_.Create(code, replace, 0, set, &error) ? "" : error;
  }

  ScriptRuntime runtime_;
  FunctionEngine engine_{runtime_};
};

TEST_F(LibrarySetTest, FunctionsAreFoundInAnyCaseLibrariesOnlyExactly) {
  LibrarySet set;
  Create(set, Library("Lib", "MyFunc"));
  ASSERT_NE(set.FindFunction("myfunc"), nullptr);
  EXPECT_EQ(set.FindFunction("MYFUNC")->name, "MyFunc");
  EXPECT_EQ(set.FindFunction("MYFUNC")->library->name(), "Lib");
  EXPECT_NE(set.FindLibrary("Lib"), nullptr);
  EXPECT_EQ(set.FindLibrary("lib"), nullptr);
  EXPECT_FALSE(set.Remove("lib"));
  EXPECT_TRUE(set.Remove("Lib"));
  EXPECT_EQ(set.FindFunction("myfunc"), nullptr);
  EXPECT_EQ(set.function_count(), 0u);
}

TEST_F(LibrarySetTest, LinkRefusesNameAndFunctionClashes) {
  LibrarySet set;
  Create(set, Library("a", "f"));
  EXPECT_EQ(CreateError(set, Library("a", "g")), "Library 'a' already exists");
  EXPECT_EQ(CreateError(set, Library("b", "F")), "Function F already exists");
  Create(set, Library("a", "g"), /*replace=*/true);
  EXPECT_EQ(set.FindFunction("f"), nullptr);
  EXPECT_NE(set.FindFunction("g"), nullptr);
  EXPECT_EQ(set.library_count(), 1u);
  EXPECT_EQ(set.function_count(), 1u);
}

TEST_F(LibrarySetTest, JoinAppendsOrReplacesAllOrNothing) {
  LibrarySet current;
  Create(current, Library("a", "fa"));
  Create(current, Library("b", "fb"));
  LibrarySet incoming;
  Create(incoming, Library("a", "fa2"));
  Create(incoming, Library("c", "fc"));
  std::string error;
  EXPECT_FALSE(current.Join(incoming, /*replace=*/false, &error));
  EXPECT_EQ(error, "Library a already exists");
  EXPECT_EQ(incoming.library_count(), 2u);
  error.clear();
  ASSERT_TRUE(current.Join(incoming, /*replace=*/true, &error)) << error;
  EXPECT_EQ(incoming.library_count(), 0u);
  EXPECT_EQ(current.library_count(), 3u);
  EXPECT_EQ(current.FindFunction("fa"), nullptr);
  EXPECT_NE(current.FindFunction("fa2"), nullptr);
  EXPECT_NE(current.FindFunction("fc"), nullptr);
}

TEST_F(LibrarySetTest, JoinRefusesAFunctionOfALibraryThatStays) {
  LibrarySet current;
  Create(current, Library("a", "shared"));
  LibrarySet incoming;
  Create(incoming, Library("b", "SHARED"));
  std::string error;
  EXPECT_FALSE(current.Join(incoming, /*replace=*/true, &error));
  EXPECT_EQ(error, "Function SHARED already exists");
  EXPECT_EQ(current.FindFunction("shared")->library->name(), "a");
  EXPECT_EQ(incoming.library_count(), 1u);
}

}  // namespace
}  // namespace ember::server::scripting
