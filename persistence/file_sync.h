// Durable file replacement, the primitive every on-disk format here relies on: write a
// temporary file, fsync it, rename it over the target, fsync the directory. A crash at any
// point leaves either the old file or the new one in place, never a torn mix.
#pragma once

#include <string>
#include <string_view>

#include "persistence/status.h"

namespace ember::persistence {

// Writes `contents` to `path` atomically. On failure returns false and sets `error` to a
// message naming the failing step and errno's text; the previous file is untouched.
bool ReplaceFileAtomically(const std::string& path, std::string_view contents, std::string* error);

// The temporary file a save writes before committing: "temp-<pid>.rdb" style names, in
// the directory of `target` so the final rename never crosses file systems.
std::string TempPathFor(const std::string& target, std::string_view prefix, long pid,
                        std::string_view suffix);

// Renames the fully written and fsynced `temp` over `target`, then fsyncs the directory so
// the rename itself is durable. On failure `temp` is removed and `target` is untouched.
Status CommitFile(const std::string& temp, const std::string& target);

}  // namespace ember::persistence
