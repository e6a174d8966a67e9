// The server's side of function libraries in files: the codes the RDB writer and the AOF
// rewrite save (persistence/ takes them as opaque strings through RdbWriteOptions), and the
// creation of the libraries an RDB file or an AOF's RDB base held (RdbReader::functions).
//
// Engine thread only.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "server/scripting/function_engine.h"

namespace ember::server::scripting {

// Every library's code, in FUNCTION LIST order.
std::vector<std::string> FunctionLibraryCodes(const FunctionEngine& engine);

// Creates the libraries of `codes` in the current set, in order and without a time limit,
// as Redis's rdbFunctionLoad does. A library that fails (or exists already, unless
// `replace`: Redis's RDBFLAGS_ALLOW_DUP) stops the load: false with "Failed loading
// library, <reason>" in `error`; those created before stay.
bool LoadFunctionLibraries(FunctionEngine& engine, std::span<const std::string> codes,
                           std::string* error, bool replace = false);

}  // namespace ember::server::scripting
