// TempDir: a fresh directory under the system's temp path, removed with its contents on
// destruction, for tests that write files (dumps, AOF sets, config files, server working
// directories); TempFile: one file with given contents in its own TempDir. Header-only, so
// every test layer can use them without linking the support library.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace ember::test {

class TempDir {
 public:
  // Named "<prefix>-XXXXXX". path() is empty when the directory could not be created, so
  // a test that uses it fails on its first file operation rather than writing elsewhere.
  explicit TempDir(std::string_view prefix = "ember-test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // The path of `name` inside the directory.
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

class TempFile {
 public:
  // Writes `contents` to "file" in a fresh "<prefix>-XXXXXX" directory.
  explicit TempFile(std::string_view contents, std::string_view prefix = "ember-test")
      : dir_(prefix), path_(dir_.file("file")) {
    std::ofstream(path_, std::ios::binary) << contents;
  }

  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_;
};

}  // namespace ember::test
