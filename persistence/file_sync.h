// Durable file replacement, the primitive every on-disk format here relies on: write a
// temporary file, fsync it, rename it over the target, fsync the directory. A crash at any
// point leaves either the old file or the new one in place, never a torn mix.
#pragma once

#include <string>
#include <string_view>

namespace ember::persistence {

// Writes `contents` to `path` atomically. On failure returns false and sets `error` to a
// message naming the failing step and errno's text; the previous file is untouched.
bool ReplaceFileAtomically(const std::string& path, std::string_view contents,
                           std::string* error);

}  // namespace ember::persistence
