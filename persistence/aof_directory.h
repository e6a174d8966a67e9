// AofDirectory: the files of a multi-part append-only file on disk — `<dirname>/` holding a
// manifest, one base file and the incremental files after it (docs/aof_format.md) — and
// every change to that set. The manifest is the commit point: it is replaced atomically
// (temp file, fsync, rename, fsync the directory), and a file leaves the set only after a
// manifest without it is durable, so a crash at any step leaves a loadable set.
//
// Threading: engine thread only. Paths are relative to the working directory (`dir`).
#pragma once

#include <cstdint>
#include <string>

#include "persistence/aof_manifest.h"
#include "persistence/status.h"

namespace ember::persistence {

class AofDirectory {
 public:
  AofDirectory(std::string dirname, std::string appendfilename);

  const std::string& dirname() const { return dirname_; }
  const std::string& appendfilename() const { return appendfilename_; }
  const AofManifest& manifest() const { return manifest_; }
  std::string PathOf(const std::string& file_name) const { return dirname_ + "/" + file_name; }
  std::string ManifestPath() const { return PathOf(AofManifestFileName(appendfilename_)); }

  // Reads the manifest. *found is false (and the in-memory set empty) when there is none.
  Status Load(bool* found);

  // Starts an empty set in memory (no manifest written): enabling the AOF at runtime,
  // or starting without one. Creates the directory when missing.
  Status Reset();

  // Adds incremental file seq+1 to the set and creates it empty; *fd is open for appending.
  // With `persist`, the manifest is rewritten at once, so the new file belongs to the set
  // before anything is written to it.
  Status OpenNewIncr(bool persist, int* fd, std::string* path);
  // Opens the last incremental file for appending (continuing after a restart), or a new
  // one when the set has none.
  Status OpenLastIncr(int* fd, std::string* path);

  // Ends a rewrite: `temp_base` (complete and fsynced, in the working directory) becomes the
  // base with the next base seq; the old base and every incremental file with a seq below
  // `first_kept_incr_seq` become history; the manifest is persisted, then history files are
  // deleted. On failure before the manifest switch, the set on disk is unchanged.
  Status InstallBase(const std::string& temp_base, bool rdb, int64_t first_kept_incr_seq);

  // Upgrades a legacy single-file AOF: moves `legacy_path` into the directory as the base
  // (keeping its name, as Redis does) and persists a manifest listing only it.
  Status AdoptLegacyFile(const std::string& legacy_path);

  // Removes the manifest (the files stay): a set that no longer matches the dataset must
  // not be loaded at the next start.
  Status DropManifest();

  // Sizes on disk: the base, and the base plus every incremental file.
  uint64_t BaseSize() const;
  uint64_t TotalSize() const;

 private:
  Status Persist();
  void DeleteHistory();

  std::string dirname_;
  std::string appendfilename_;
  AofManifest manifest_;
};

}  // namespace ember::persistence
