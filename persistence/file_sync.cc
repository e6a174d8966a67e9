#include "persistence/file_sync.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ember::persistence {
namespace {

std::string Describe(std::string_view step, const std::string& path) {
  return fmt::format("{} '{}': {}", step, path, std::strerror(errno));
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

bool ReplaceFileAtomically(const std::string& path, std::string_view contents, std::string* error) {
  const std::string temp = fmt::format("{}.tmp-{}", path, ::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = Describe("cannot create", temp);
    return false;
  }
  if (!WriteAll(fd, contents) || ::fsync(fd) != 0) {
    *error = Describe("cannot write", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return false;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    *error = Describe("cannot rename over", path);
    ::unlink(temp.c_str());
    return false;
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return true;
}

std::string TempPathFor(const std::string& target, std::string_view prefix, long pid,
                        std::string_view suffix) {
  std::filesystem::path dir = std::filesystem::path(target).parent_path();
  std::string name = fmt::format("{}{}{}", prefix, pid, suffix);
  return dir.empty() ? name : (dir / name).string();
}

Status CommitFile(const std::string& temp, const std::string& target) {
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    Status s = Status::Error(Describe("cannot rename over", target));
    ::unlink(temp.c_str());
    return s;
  }
  std::string dir = std::filesystem::path(target).parent_path().string();
  if (dir.empty()) dir = ".";
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return Status::Error(Describe("cannot open directory", dir));
  const bool synced = ::fsync(dir_fd) == 0;
  Status s = synced ? Status::Ok() : Status::Error(Describe("cannot fsync directory", dir));
  ::close(dir_fd);
  return s;
}

}  // namespace ember::persistence
