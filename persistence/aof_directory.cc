#include "persistence/aof_directory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "persistence/file_sync.h"

namespace ember::persistence {
namespace {

Status ErrnoError(std::string_view step, const std::string& path) {
  return Status::Error(fmt::format("{} '{}': {}", step, path, std::strerror(errno)));
}

uint64_t FileSize(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

Status EnsureDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return Status::Ok();
  return ErrnoError("cannot create directory", path);
}

Status OpenForAppend(const std::string& path, bool truncate, int* fd) {
  const int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  *fd = ::open(path.c_str(), flags, 0644);
  return *fd < 0 ? ErrnoError("cannot open", path) : Status::Ok();
}

}  // namespace

AofDirectory::AofDirectory(std::string dirname, std::string appendfilename)
    : dirname_(std::move(dirname)), appendfilename_(std::move(appendfilename)) {}

Status AofDirectory::Load(bool* found) {
  manifest_ = AofManifest{};
  *found = false;
  const std::string path = ManifestPath();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::Ok();
    return ErrnoError("cannot open", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  Status s = ParseAofManifest(text.str(), &manifest_);
  if (!s.ok()) return s.WithFile(path);
  *found = true;
  return Status::Ok();
}

Status AofDirectory::Reset() {
  manifest_ = AofManifest{};
  return EnsureDirectory(dirname_);
}

Status AofDirectory::OpenNewIncr(bool persist, int* fd, std::string* path) {
  if (Status s = EnsureDirectory(dirname_); !s.ok()) return s;
  const int64_t seq = manifest_.incr_seq + 1;
  AofFileInfo info{
      .name = AofIncrFileName(appendfilename_, seq), .seq = seq, .type = AofFileType::kIncr};
  *path = PathOf(info.name);
  if (Status s = OpenForAppend(*path, /*truncate=*/true, fd); !s.ok()) return s;
  manifest_.incrs.push_back(info);
  manifest_.incr_seq = seq;
  if (!persist) return Status::Ok();
  if (Status s = Persist(); !s.ok()) {
    ::close(*fd);
    *fd = -1;
    manifest_.incrs.pop_back();
    manifest_.incr_seq = seq - 1;
    return s;
  }
  return Status::Ok();
}

Status AofDirectory::OpenLastIncr(int* fd, std::string* path) {
  if (manifest_.incrs.empty()) return OpenNewIncr(/*persist=*/true, fd, path);
  *path = PathOf(manifest_.incrs.back().name);
  return OpenForAppend(*path, /*truncate=*/false, fd);
}

Status AofDirectory::InstallBase(const std::string& temp_base, bool rdb,
                                 int64_t first_kept_incr_seq) {
  if (Status s = EnsureDirectory(dirname_); !s.ok()) return s;
  AofManifest next = manifest_;
  const int64_t seq = next.base_seq + 1;
  AofFileInfo base{
      .name = AofBaseFileName(appendfilename_, seq, rdb), .seq = seq, .type = AofFileType::kBase};
  if (Status s = CommitFile(temp_base, PathOf(base.name)); !s.ok()) return s;
  if (next.base) {
    next.base->type = AofFileType::kHistory;
    next.history.push_back(*next.base);
  }
  next.base = base;
  next.base_seq = seq;
  std::vector<AofFileInfo> kept;
  for (AofFileInfo& incr : next.incrs) {
    if (incr.seq < first_kept_incr_seq) {
      incr.type = AofFileType::kHistory;
      next.history.push_back(incr);
    } else {
      kept.push_back(incr);
    }
  }
  next.incrs = std::move(kept);
  AofManifest previous = std::move(manifest_);
  manifest_ = std::move(next);
  if (Status s = Persist(); !s.ok()) {
    ::unlink(PathOf(base.name).c_str());
    manifest_ = std::move(previous);
    return s;
  }
  DeleteHistory();
  return Status::Ok();
}

Status AofDirectory::AdoptLegacyFile(const std::string& legacy_path) {
  if (Status s = EnsureDirectory(dirname_); !s.ok()) return s;
  manifest_ = AofManifest{};
  AofFileInfo base{.name = appendfilename_, .seq = 1, .type = AofFileType::kBase};
  if (::rename(legacy_path.c_str(), PathOf(base.name).c_str()) != 0) {
    return ErrnoError("cannot move the legacy AOF into", dirname_);
  }
  manifest_.base = base;
  manifest_.base_seq = 1;
  return Persist();
}

Status AofDirectory::DropManifest() {
  const std::string path = ManifestPath();
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoError("cannot remove", path);
  return Status::Ok();
}

uint64_t AofDirectory::BaseSize() const {
  return manifest_.base ? FileSize(PathOf(manifest_.base->name)) : 0;
}

uint64_t AofDirectory::TotalSize() const {
  uint64_t total = BaseSize();
  for (const AofFileInfo& incr : manifest_.incrs) total += FileSize(PathOf(incr.name));
  return total;
}

Status AofDirectory::Persist() {
  std::string error;
  if (!ReplaceFileAtomically(ManifestPath(), manifest_.Serialize(), &error)) {
    return Status::Error(error);
  }
  return Status::Ok();
}

// Best effort: a history file left behind (the unlink failed) is harmless, as the manifest
// no longer lists it; it is retried after the next rewrite.
void AofDirectory::DeleteHistory() {
  std::vector<AofFileInfo> remaining;
  for (const AofFileInfo& file : manifest_.history) {
    if (::unlink(PathOf(file.name).c_str()) != 0 && errno != ENOENT) remaining.push_back(file);
  }
  if (remaining.size() == manifest_.history.size()) return;
  manifest_.history = std::move(remaining);
  Persist();
}

}  // namespace ember::persistence
