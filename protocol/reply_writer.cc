#include "protocol/reply_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>

namespace ember::protocol {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// Longest "%.17g" text: sign, 17 digits, point, "e-308".
constexpr size_t kDoubleChars = 32;

}  // namespace

void ReplyWriter::Header(char type, int64_t count) {
  char buf[24];  // type, up to 20 characters of int64_t, CRLF
  buf[0] = type;
  char* end = std::to_chars(buf + 1, buf + sizeof(buf), count).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out_->append(buf, static_cast<size_t>(end - buf));
}

void ReplyWriter::SimpleString(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append(kCrlf);
}

void ReplyWriter::Error(std::string_view message) {
  if (!message.empty() && message.front() == '-') message.remove_prefix(1);
  out_->push_back('-');
  const size_t start = out_->size();
  out_->append(message);
  for (size_t i = start; i < out_->size(); ++i) {
    char& c = (*out_)[i];
    if (c == '\r' || c == '\n') c = ' ';
  }
  out_->append(kCrlf);
}

void ReplyWriter::Integer(int64_t value) { Header(':', value); }

void ReplyWriter::Bulk(std::string_view s) {
  Header('$', static_cast<int64_t>(s.size()));
  out_->append(s);
  out_->append(kCrlf);
}

void ReplyWriter::Null() { out_->append(resp3() ? "_\r\n" : "$-1\r\n"); }

void ReplyWriter::NullArray() { out_->append(resp3() ? "_\r\n" : "*-1\r\n"); }

void ReplyWriter::ArrayHeader(int64_t count) { Header('*', count); }

void ReplyWriter::MapHeader(int64_t pairs) {
  if (resp3()) {
    Header('%', pairs);
  } else {
    Header('*', pairs * 2);
  }
}

void ReplyWriter::SetHeader(int64_t count) { Header(resp3() ? '~' : '*', count); }

void ReplyWriter::PushHeader(int64_t count) { Header(resp3() ? '>' : '*', count); }

void ReplyWriter::AttributeHeader(int64_t pairs) {
  if (resp3()) Header('|', pairs);
}

// std::to_chars with general format and precision 17 is specified as printf's "%.17g",
// without printf's dependence on the C locale's decimal point.
void ReplyWriter::Double(double value) {
  char buf[kDoubleChars];
  std::string_view text;
  if (std::isinf(value)) {
    text = value > 0 ? "inf" : "-inf";
  } else {
    char* end = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::general, 17).ptr;
    text = std::string_view(buf, static_cast<size_t>(end - buf));
  }
  if (!resp3()) {
    Bulk(text);
    return;
  }
  out_->push_back(',');
  out_->append(text);
  out_->append(kCrlf);
}

void ReplyWriter::Boolean(bool value) {
  if (resp3()) {
    out_->append(value ? "#t\r\n" : "#f\r\n");
  } else {
    out_->append(value ? ":1\r\n" : ":0\r\n");
  }
}

void ReplyWriter::BigNumber(std::string_view digits) {
  if (!resp3()) {
    Bulk(digits);
    return;
  }
  out_->push_back('(');
  out_->append(digits);
  out_->append(kCrlf);
}

void ReplyWriter::Verbatim(std::string_view format, std::string_view text) {
  assert(format.size() == 3);
  if (!resp3()) {
    Bulk(text);
    return;
  }
  Header('=', static_cast<int64_t>(text.size() + format.size() + 1));
  out_->append(format);
  out_->push_back(':');
  out_->append(text);
  out_->append(kCrlf);
}

}  // namespace ember::protocol
