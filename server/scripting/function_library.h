// Function libraries as Redis 7.0 keeps them (functions.c): a library is its name, its code
// (the FUNCTION LOAD payload, shebang included: what DUMP, the RDB and the AOF carry) and
// the functions its code registered. A LibrarySet is Redis's functionsLibCtx: libraries by
// name (case-sensitive) and an index of every function by name (case-insensitive, so FCALL
// finds `f1` as `F1` and two libraries cannot both have it).
//
// A function is a callback in the functions' Lua interpreter, held by a registry
// reference; destroying its library releases the reference.
//
// Threading: engine thread only (the references belong to the engine's lua_State).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct lua_State;

namespace ember::server::scripting {

class FunctionLibrary;

struct FunctionInfo {
  std::string name;  // as registered
  std::optional<std::string> description;
  uint32_t flags = 0;    // ScriptFlag bits (script_flags.h), never kScriptEvalCompatMode
  int function_ref = 0;  // the callback, in the interpreter's registry
  const FunctionLibrary* library = nullptr;
};

class FunctionLibrary {
 public:
  // `lua`: the interpreter whose registry holds the callbacks (released on destruction).
  FunctionLibrary(lua_State* lua, std::string name, std::string code)
      : lua_(lua), name_(std::move(name)), code_(std::move(code)) {}
  ~FunctionLibrary();
  FunctionLibrary(const FunctionLibrary&) = delete;
  FunctionLibrary& operator=(const FunctionLibrary&) = delete;

  const std::string& name() const { return name_; }
  const std::string& code() const { return code_; }
  // In registration order.
  const std::vector<std::unique_ptr<FunctionInfo>>& functions() const { return functions_; }

  // Adds a function (taking over `function_ref`). Returns false with Redis's error when the
  // name breaks the naming rule or the library already has it (case-sensitive, as Redis);
  // the reference is then released.
  bool AddFunction(std::string name, std::optional<std::string> description, uint32_t flags,
                   int function_ref, std::string* error);

 private:
  lua_State* lua_;
  std::string name_;
  std::string code_;
  std::vector<std::unique_ptr<FunctionInfo>> functions_;
};

class LibrarySet {
 public:
  LibrarySet() = default;
  LibrarySet(LibrarySet&&) = default;
  LibrarySet& operator=(LibrarySet&&) = default;

  const FunctionLibrary* FindLibrary(std::string_view name) const;
  // By name, any case.
  const FunctionInfo* FindFunction(std::string_view name) const;

  // Links a newly created library (Redis's functionsCreateWithLibraryCtx, after the code
  // ran): replaces the library of the same name when `replace`, else refuses it ("Library
  // '<name>' already exists"); refuses a function another library has ("Function <name>
  // already exists"). On refusal nothing changes.
  bool Add(std::unique_ptr<FunctionLibrary> library, bool replace, std::string* error);
  // Unlinks and destroys a library. False when there is none of that name.
  bool Remove(std::string_view name);
  // Moves every library of `source` in (FUNCTION RESTORE APPEND / REPLACE, Redis's
  // libraryJoin): a name clash is refused ("Library <name> already exists") unless
  // `replace`, which replaces the old library; a function clash with a library that stays
  // is refused ("Function <name> already exists"). On refusal nothing changes here and
  // `source` keeps its libraries.
  bool Join(LibrarySet& source, bool replace, std::string* error);
  void Clear();

  // By name (sorted: LIST, DUMP and the RDB list libraries in this order).
  const std::map<std::string, std::unique_ptr<FunctionLibrary>, std::less<>>& libraries() const {
    return libraries_;
  }
  size_t library_count() const { return libraries_.size(); }
  // Functions of all libraries (FUNCTION STATS functions_count).
  size_t function_count() const { return function_count_; }
  // What the libraries' code and names occupy, for INFO memory.
  size_t memory_bytes() const { return memory_bytes_; }

 private:
  void Link(std::unique_ptr<FunctionLibrary> library);
  std::unique_ptr<FunctionLibrary> Unlink(std::string_view name);
  // The first function of `library` another linked library already has, or null.
  const FunctionInfo* Clash(const FunctionLibrary& library) const;

  std::map<std::string, std::unique_ptr<FunctionLibrary>, std::less<>> libraries_;
  std::unordered_map<std::string, const FunctionInfo*> functions_;  // lowercase name
  size_t function_count_ = 0;
  size_t memory_bytes_ = 0;
};

}  // namespace ember::server::scripting
