#include "server/core/data_dir_check.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <string>

#include "server/core/logger.h"

namespace ember::server {

bool CheckDataDirWritable(const ServerConfig& config, std::string* error) {
  const std::string probe = "temp-ember-dir-check-" + std::to_string(::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd >= 0) {
    ::close(fd);
    ::unlink(probe.c_str());
    return true;
  }
  const int saved = errno;
  std::error_code ec;
  const std::string dir = std::filesystem::current_path(ec).string();
  const bool persistence = !config.save_points.empty() || config.appendonly;
  if (!persistence) {
    Log(LogLevel::kWarning,
        "The data directory '{}' is not writable ({}); persistence is off, "
        "so SAVE, BGSAVE and BGREWRITEAOF will fail.",
        dir, std::strerror(saved));
    return true;
  }
  *error = fmt::format(
      "Can't create files in the data directory '{}': {}. Persistence is configured (save "
      "points or appendonly), so nothing acknowledged could be saved. Fix the directory's "
      "permissions, choose another with --dir, or run without persistence "
      "(--save '' --appendonly no).",
      dir, std::strerror(saved));
  return false;
}

void IgnoreFileSizeSignal() { std::signal(SIGXFSZ, SIG_IGN); }

}  // namespace ember::server
