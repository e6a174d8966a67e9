#include "persistence/byte_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ember::persistence {
namespace {

constexpr size_t kBufferSize = 64 * 1024;

Status Errno(std::string_view what, uint64_t offset) {
  return Status::Error(fmt::format("{}: {}", what, std::strerror(errno)),
                       static_cast<int64_t>(offset));
}

}  // namespace

Status MemorySource::Read(size_t n, char* out) {
  if (data_.size() - pos_ < n) {
    return Status::Error("unexpected end of file", static_cast<int64_t>(data_.size()));
  }
  std::memcpy(out, data_.data() + pos_, n);
  pos_ += n;
  return Status::Ok();
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileSink::Open(const std::string& path) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return Errno("cannot create file", 0).WithFile(path);
  buffer_.reserve(kBufferSize);
  return Status::Ok();
}

Status FileSink::Write(std::string_view data) {
  if (buffer_.size() + data.size() > kBufferSize) {
    Status s = Flush();
    if (!s.ok()) return s;
    if (data.size() >= kBufferSize) {
      buffer_.assign(data);
      return Flush();
    }
  }
  buffer_.append(data);
  return Status::Ok();
}

Status FileSink::Flush() {
  std::string_view rest = buffer_;
  while (!rest.empty()) {
    ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write failed", written_).WithFile(path_);
    }
    rest.remove_prefix(static_cast<size_t>(n));
    written_ += static_cast<uint64_t>(n);
  }
  buffer_.clear();
  return Status::Ok();
}

Status FileSink::Sync() {
  Status s = Flush();
  if (!s.ok()) return s;
  if (::fsync(fd_) != 0) return Errno("fsync failed", written_).WithFile(path_);
  return Status::Ok();
}

Status FileSink::Close() {
  Status s = Flush();
  if (fd_ >= 0 && ::close(fd_) != 0 && s.ok()) s = Errno("close failed", written_).WithFile(path_);
  fd_ = -1;
  return s;
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileSource::Open(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return Errno("cannot open file", 0).WithFile(path);
  struct stat st {};
  if (::fstat(fd_, &st) == 0) size_ = static_cast<uint64_t>(st.st_size);
  return Status::Ok();
}

Status FileSource::Read(size_t n, char* out) {
  while (n > 0) {
    if (buffer_pos_ == buffer_.size()) {
      buffer_.resize(kBufferSize);
      ssize_t got = ::read(fd_, buffer_.data(), kBufferSize);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return Errno("read failed", offset_);
      buffer_.resize(static_cast<size_t>(got));
      buffer_pos_ = 0;
      if (got == 0) return Status::Error("unexpected end of file", static_cast<int64_t>(offset_));
    }
    size_t take = std::min(n, buffer_.size() - buffer_pos_);
    std::memcpy(out, buffer_.data() + buffer_pos_, take);
    buffer_pos_ += take;
    offset_ += take;
    out += take;
    n -= take;
  }
  return Status::Ok();
}

}  // namespace ember::persistence
