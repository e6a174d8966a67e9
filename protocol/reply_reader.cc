#include "protocol/reply_reader.h"

#include <charconv>
#include <utility>

namespace ember::protocol {
namespace {

// Nesting deeper than this is not something the writer renders for one command.
constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool Read(ReplyValue* out, int depth) {
    if (depth > kMaxDepth || pos_ >= bytes_.size()) return false;
    const char type = bytes_[pos_++];
    out->wire = type;
    std::string_view line;
    if (!Line(&line)) return false;
    switch (type) {
      case '+':
        return Text(ReplyValue::Type::kSimpleString, line, out);
      case '-':
        return Text(ReplyValue::Type::kError, line, out);
      case ',':
        return Text(ReplyValue::Type::kDouble, line, out);
      case '(':
        return Text(ReplyValue::Type::kBigNumber, line, out);
      case '_':
        out->type = ReplyValue::Type::kNull;
        return line.empty();
      case ':':
        out->type = ReplyValue::Type::kInteger;
        return Number(line, &out->integer);
      case '#':
        out->type = ReplyValue::Type::kBoolean;
        out->integer = line == "t" ? 1 : 0;
        return line == "t" || line == "f";
      case '$':
      case '=':
        return Blob(type == '=', line, out);
      case '*':
      case '~':
      case '>':
        return Aggregate(ReplyValue::Type::kArray, 1, line, out, depth);
      case '%':
        return Aggregate(ReplyValue::Type::kMap, 2, line, out, depth);
      case '|':
        return Attributed(line, out, depth);
      default:
        return false;
    }
  }

  size_t position() const { return pos_; }

 private:
  bool Line(std::string_view* line) {
    const size_t end = bytes_.find("\r\n", pos_);
    if (end == std::string_view::npos) return false;
    *line = bytes_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return true;
  }

  static bool Number(std::string_view text, int64_t* out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return ec == std::errc() && ptr == text.data() + text.size();
  }

  static bool Text(ReplyValue::Type type, std::string_view line, ReplyValue* out) {
    out->type = type;
    out->text.assign(line);
    return true;
  }

  bool Blob(bool verbatim, std::string_view line, ReplyValue* out) {
    int64_t length = 0;
    if (!Number(line, &length) || length < -1) return false;
    if (length == -1) {
      out->type = ReplyValue::Type::kNull;
      return !verbatim;
    }
    const auto size = static_cast<size_t>(length);
    if (bytes_.size() - pos_ < size + 2 || bytes_.substr(pos_ + size, 2) != "\r\n") return false;
    std::string_view payload = bytes_.substr(pos_, size);
    pos_ += size + 2;
    if (verbatim) {
      if (payload.size() < 4 || payload[3] != ':') return false;
      payload.remove_prefix(4);
    }
    out->type = ReplyValue::Type::kBulk;
    out->text.assign(payload);
    return true;
  }

  bool Aggregate(ReplyValue::Type type, int64_t per_entry, std::string_view line, ReplyValue* out,
                 int depth) {
    int64_t count = 0;
    if (!Number(line, &count) || count < -1) return false;
    if (count == -1) {
      out->type = ReplyValue::Type::kNull;
      return true;
    }
    // Each element takes at least 3 bytes, which bounds a hostile count before reserving.
    if (count > static_cast<int64_t>(bytes_.size())) return false;
    out->type = type;
    out->elements.resize(static_cast<size_t>(count * per_entry));
    for (ReplyValue& element : out->elements) {
      if (!Read(&element, depth + 1)) return false;
    }
    return true;
  }

  // An attribute map and the value it annotates, read as that value with the map attached.
  bool Attributed(std::string_view line, ReplyValue* out, int depth) {
    ReplyValue map;
    if (!Aggregate(ReplyValue::Type::kMap, 2, line, &map, depth) ||
        map.type != ReplyValue::Type::kMap) {
      return false;
    }
    if (!Read(out, depth + 1)) return false;
    out->attributes = std::move(map.elements);
    return true;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<ReplyReadResult> ReadReply(std::string_view bytes) {
  Reader reader(bytes);
  ReplyReadResult result;
  if (!reader.Read(&result.value, 0)) return std::nullopt;
  result.consumed = reader.position();
  return result;
}

}  // namespace ember::protocol
