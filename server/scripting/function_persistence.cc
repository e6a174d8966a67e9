#include "server/scripting/function_persistence.h"

namespace ember::server::scripting {

std::vector<std::string> FunctionLibraryCodes(const FunctionEngine& engine) {
  std::vector<std::string> codes;
  codes.reserve(engine.libraries().library_count());
  for (const auto& [name, library] : engine.libraries().libraries())
    codes.push_back(library->code());
  return codes;
}

bool LoadFunctionLibraries(FunctionEngine& engine, std::span<const std::string> codes,
                           std::string* error, bool replace) {
  for (const std::string& code : codes) {
    std::string reason;
    if (!engine.Create(code, replace, /*timeout_ms=*/0, engine.libraries(), &reason)) {
      *error = "Failed loading library, " + reason;
      return false;
    }
  }
  return true;
}

}  // namespace ember::server::scripting
