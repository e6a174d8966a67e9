#include "tests/compat/case_file.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ember::test {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads a double-quoted word starting after the opening quote; `pos` ends after the
// closing quote.
bool ReadDoubleQuoted(std::string_view line, size_t* pos, std::string* word, std::string* error) {
  size_t i = *pos;
  while (i < line.size()) {
    char c = line[i];
    if (c == '"') {
      *pos = i + 1;
      return true;
    }
    if (c != '\\') {
      word->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= line.size()) break;
    char e = line[i + 1];
    i += 2;
    switch (e) {
      case 'n':
        word->push_back('\n');
        break;
      case 'r':
        word->push_back('\r');
        break;
      case 't':
        word->push_back('\t');
        break;
      case 'a':
        word->push_back('\a');
        break;
      case 'b':
        word->push_back('\b');
        break;
      case '\\':
        word->push_back('\\');
        break;
      case '"':
        word->push_back('"');
        break;
      case 'x': {
        int hi = i < line.size() ? HexValue(line[i]) : -1;
        int lo = i + 1 < line.size() ? HexValue(line[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
          *error = "bad \\x escape (needs two hex digits)";
          return false;
        }
        word->push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default:
        *error = std::string("unknown escape \\") + e;
        return false;
    }
  }
  *error = "unterminated double quote";
  return false;
}

bool ReadSingleQuoted(std::string_view line, size_t* pos, std::string* word, std::string* error) {
  size_t i = *pos;
  while (i < line.size()) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '\'') {
      word->push_back('\'');
      i += 2;
    } else if (line[i] == '\'') {
      *pos = i + 1;
      return true;
    } else {
      word->push_back(line[i++]);
    }
  }
  *error = "unterminated single quote";
  return false;
}

bool ParseNumber(std::string_view text, long long* value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool SplitWords(std::string_view line, std::vector<std::string>* words, std::string* error) {
  words->clear();
  size_t i = 0;
  while (true) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i >= line.size()) return true;
    std::string word;
    char open = line[i];
    if (open == '"' || open == '\'') {
      ++i;
      bool ok = open == '"' ? ReadDoubleQuoted(line, &i, &word, error)
                            : ReadSingleQuoted(line, &i, &word, error);
      if (!ok) return false;
      if (i < line.size() && !IsBlank(line[i])) {
        *error = "closing quote must be followed by a blank";
        return false;
      }
    } else {
      while (i < line.size() && !IsBlank(line[i])) word.push_back(line[i++]);
    }
    words->push_back(std::move(word));
  }
}

bool ParseCaseLine(std::string_view text, int line_number, CaseLine* out, std::string* error) {
  *out = CaseLine{};
  out->line = line_number;
  out->text = std::string(text);
  std::vector<std::string> words;
  if (!SplitWords(text, &words, error)) return false;
  if (!words.empty() && words[0] == "~resp2") {
    out->resp2_only = true;
    words.erase(words.begin());
    if (words.empty()) {
      *error = "marker without a command";
      return false;
    }
  }
  if (words.empty()) {
    *error = "empty command";
    return false;
  }
  size_t first = 0;
  const std::string& marker = words[0];
  if (!marker.empty() && marker[0] == '~') {
    first = 1;
    auto need_number = [&](long long* value) {
      if (words.size() < 2 || !ParseNumber(words[1], value) || *value < 0) {
        *error = marker + " needs a non-negative number";
        return false;
      }
      first = 2;
      return true;
    };
    if (marker == "~sleep") {
      long long ms = 0;
      if (!need_number(&ms)) return false;
      if (words.size() != 2 || ms == 0) {
        *error = "~sleep takes exactly one positive number of milliseconds";
        return false;
      }
      out->sleep_ms = static_cast<int>(ms);
      return true;
    } else if (marker == "~type") {
      out->mode = CompareMode::kType;
    } else if (marker == "~sorted") {
      out->mode = CompareMode::kSorted;
    } else if (marker == "~near") {
      out->mode = CompareMode::kNear;
      if (!need_number(&out->tolerance)) return false;
    } else if (marker == "~ttl") {
      out->mode = CompareMode::kSign;
    } else if (marker == "~ignore") {
      out->mode = CompareMode::kIgnore;
    } else {
      *error = "unknown marker " + marker;
      return false;
    }
  }
  if (first >= words.size()) {
    *error = "marker without a command";
    return false;
  }
  out->args.assign(words.begin() + static_cast<std::ptrdiff_t>(first), words.end());
  return true;
}

CaseFile LoadCaseFile(const std::string& path) {
  CaseFile file;
  file.path = path;
  file.name = CaseNameFromPath(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    file.error = "cannot open " + path;
    return file;
  }
  std::string text;
  int line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    size_t start = 0;
    while (start < text.size() && IsBlank(text[start])) ++start;
    if (start == text.size() || text[start] == '#') continue;
    std::string_view body(text);
    body.remove_prefix(start);
    while (!body.empty() && IsBlank(body.back())) body.remove_suffix(1);
    CaseLine line;
    std::string error;
    if (!ParseCaseLine(body, line_number, &line, &error)) {
      std::ostringstream message;
      message << path << ":" << line_number << ": " << error;
      file.error = message.str();
      return file;
    }
    file.lines.push_back(std::move(line));
  }
  return file;
}

std::vector<std::string> ListCaseFiles(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string CaseNameFromPath(const std::string& path) {
  std::string name = std::filesystem::path(path).stem().string();
  for (char& c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) c = '_';
  }
  return name;
}

}  // namespace ember::test
