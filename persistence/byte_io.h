// ByteSink / ByteSource: where persistence formats write and read bytes. Real files live
// behind FileSink / FileSource (buffered, with their own offset bookkeeping); tests use
// MemorySink / MemorySource. Format code (RdbWriter, RdbReader) sees only the interfaces.
//
// Threading: an instance is used by one thread. A FileSink/FileSource owns its descriptor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/status.h"

namespace ember::persistence {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Appends all of `data` or fails.
  virtual Status Write(std::string_view data) = 0;
  // Pushes buffered bytes to their destination (not necessarily to stable storage).
  virtual Status Flush() { return Status::Ok(); }
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads exactly `n` bytes into `out`. Fails (with the offset) when fewer remain.
  virtual Status Read(size_t n, char* out) = 0;
  // Bytes consumed so far: the offset of the next byte.
  virtual uint64_t offset() const = 0;
};

class MemorySink : public ByteSink {
 public:
  Status Write(std::string_view data) override {
    data_.append(data);
    return Status::Ok();
  }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

// Reads from a caller-owned buffer, which must outlive the source.
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  Status Read(size_t n, char* out) override;
  uint64_t offset() const override { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// Appends to a file through a 64 KiB buffer.
class FileSink : public ByteSink {
 public:
  FileSink() = default;
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // Creates (truncating) `path` with mode 0644.
  Status Open(const std::string& path);
  Status Write(std::string_view data) override;
  Status Flush() override;
  // Flush, then fsync: the bytes are on stable storage when this returns ok.
  Status Sync();
  Status Close();

 private:
  int fd_ = -1;
  std::string path_;
  std::string buffer_;
  uint64_t written_ = 0;
};

// Reads a file through a 64 KiB buffer.
class FileSource : public ByteSource {
 public:
  FileSource() = default;
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  // Fails with errno's text (ENOENT included: callers decide what a missing file means).
  Status Open(const std::string& path);
  Status Read(size_t n, char* out) override;
  uint64_t offset() const override { return offset_; }
  // The file's size in bytes, as of Open.
  uint64_t size() const { return size_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  size_t buffer_pos_ = 0;
  uint64_t offset_ = 0;
  uint64_t size_ = 0;
};

}  // namespace ember::persistence
