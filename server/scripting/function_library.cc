#include "server/scripting/function_library.h"

#include <fmt/format.h>

#include <cctype>
#include <lua.hpp>

#include "server/scripting/library_metadata.h"

namespace ember::server::scripting {
namespace {

// What a library or function costs besides its strings: the objects and their index slots.
constexpr size_t kLibraryOverheadBytes = sizeof(FunctionLibrary) + 64;
constexpr size_t kFunctionOverheadBytes = sizeof(FunctionInfo) + 64;

std::string Lowercase(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

size_t MemoryOf(const FunctionLibrary& library) {
  size_t bytes = kLibraryOverheadBytes + library.name().size() + library.code().size();
  for (const auto& function : library.functions()) {
    bytes += kFunctionOverheadBytes + function->name.size() +
             (function->description ? function->description->size() : 0);
  }
  return bytes;
}

}  // namespace

FunctionLibrary::~FunctionLibrary() {
  for (const auto& function : functions_)
    luaL_unref(lua_, LUA_REGISTRYINDEX, function->function_ref);
}

bool FunctionLibrary::AddFunction(std::string name, std::optional<std::string> description,
                                  uint32_t flags, int function_ref, std::string* error) {
  std::string problem;
  if (!IsValidFunctionName(name)) {
    problem = kErrBadLibraryName;
  } else {
    for (const auto& function : functions_) {
      if (function->name == name) problem = "Function already exists in the library";
    }
  }
  if (!problem.empty()) {
    luaL_unref(lua_, LUA_REGISTRYINDEX, function_ref);
    *error = std::move(problem);
    return false;
  }
  auto function = std::make_unique<FunctionInfo>();
  function->name = std::move(name);
  function->description = std::move(description);
  function->flags = flags;
  function->function_ref = function_ref;
  function->library = this;
  functions_.push_back(std::move(function));
  return true;
}

const FunctionLibrary* LibrarySet::FindLibrary(std::string_view name) const {
  auto it = libraries_.find(name);
  return it == libraries_.end() ? nullptr : it->second.get();
}

const FunctionInfo* LibrarySet::FindFunction(std::string_view name) const {
  auto it = functions_.find(Lowercase(name));
  return it == functions_.end() ? nullptr : it->second;
}

bool LibrarySet::Add(std::unique_ptr<FunctionLibrary> library, bool replace, std::string* error) {
  std::unique_ptr<FunctionLibrary> old;
  if (FindLibrary(library->name()) != nullptr) {
    if (!replace) {
      *error = fmt::format("Library '{}' already exists", library->name());
      return false;
    }
    old = Unlink(library->name());
  }
  if (const FunctionInfo* clash = Clash(*library); clash != nullptr) {
    *error = fmt::format("Function {} already exists", clash->name);
    if (old) Link(std::move(old));
    return false;
  }
  Link(std::move(library));
  return true;
}

bool LibrarySet::Remove(std::string_view name) { return Unlink(name) != nullptr; }

bool LibrarySet::Join(LibrarySet& source, bool replace, std::string* error) {
  std::vector<std::unique_ptr<FunctionLibrary>> replaced;
  for (const auto& [name, library] : source.libraries_) {
    if (FindLibrary(name) == nullptr) continue;
    if (!replace) {
      *error = fmt::format("Library {} already exists", name);
      break;
    }
    replaced.push_back(Unlink(name));
  }
  if (error->empty()) {
    for (const auto& [name, library] : source.libraries_) {
      if (const FunctionInfo* clash = Clash(*library); clash != nullptr) {
        *error = fmt::format("Function {} already exists", clash->name);
        break;
      }
    }
  }
  if (!error->empty()) {
    for (auto& library : replaced) Link(std::move(library));
    return false;
  }
  auto moved = std::move(source.libraries_);
  source.Clear();
  for (auto& [name, library] : moved) Link(std::move(library));
  return true;
}

void LibrarySet::Clear() {
  functions_.clear();
  libraries_.clear();
  function_count_ = 0;
  memory_bytes_ = 0;
}

void LibrarySet::Link(std::unique_ptr<FunctionLibrary> library) {
  for (const auto& function : library->functions()) {
    // Two names of one library that differ only in case: the index keeps the first, as
    // Redis's dictAdd does.
    functions_.emplace(Lowercase(function->name), function.get());
  }
  function_count_ += library->functions().size();
  memory_bytes_ += MemoryOf(*library);
  std::string name = library->name();
  libraries_.emplace(std::move(name), std::move(library));
}

std::unique_ptr<FunctionLibrary> LibrarySet::Unlink(std::string_view name) {
  auto it = libraries_.find(name);
  if (it == libraries_.end()) return nullptr;
  std::unique_ptr<FunctionLibrary> library = std::move(it->second);
  libraries_.erase(it);
  for (const auto& function : library->functions()) {
    auto indexed = functions_.find(Lowercase(function->name));
    if (indexed != functions_.end() && indexed->second == function.get()) {
      functions_.erase(indexed);
    }
  }
  function_count_ -= library->functions().size();
  memory_bytes_ -= MemoryOf(*library);
  return library;
}

const FunctionInfo* LibrarySet::Clash(const FunctionLibrary& library) const {
  for (const auto& function : library.functions()) {
    if (const FunctionInfo* existing = FindFunction(function->name); existing != nullptr) {
      return function.get();
    }
  }
  return nullptr;
}

}  // namespace ember::server::scripting
