#include "server/scripting/library_metadata.h"

#include <strings.h>

#include <optional>
#include <vector>

#include "protocol/inline_splitter.h"

namespace ember::server::scripting {

bool ParseLibraryMetadata(std::string_view payload, LibraryMetadata* out, std::string* error) {
  // Redis reads the shebang as a C string: a NUL byte ends it.
  const std::string_view text = payload.substr(0, payload.find('\0'));
  if (!text.starts_with("#!")) {
    *error = "Missing library metadata";
    return false;
  }
  const size_t end = text.find('\n');
  if (end == std::string_view::npos) {
    *error = "Invalid library metadata";
    return false;
  }
  const std::optional<std::vector<std::string>> parts =
      protocol::SplitInlineArgs(text.substr(0, end));
  if (!parts || parts->empty()) {
    *error = "Invalid library metadata";
    return false;
  }
  out->engine = (*parts)[0].size() > 2 ? (*parts)[0].substr(2) : std::string();
  bool named = false;
  for (size_t i = 1; i < parts->size(); ++i) {
    const std::string& part = (*parts)[i];
    if (::strncasecmp(part.c_str(), "name=", 5) != 0) {
      *error = "Invalid metadata value given: " + part;
      return false;
    }
    if (named) {
      *error = "Invalid metadata value, name argument was given multiple times";
      return false;
    }
    out->name = part.substr(5);
    named = true;
  }
  if (!named) {
    *error = "Library name was not given";
    return false;
  }
  out->code = payload.substr(end);
  return true;
}

bool IsValidFunctionName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace ember::server::scripting
