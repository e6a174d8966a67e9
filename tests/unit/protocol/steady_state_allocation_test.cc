// Checks the hot-path promise that parsing requests and rendering replies allocate nothing
// once the parser's vectors and the output buffer have grown, and that a declared count
// does not make the parser reserve memory it has not been sent.
//
// Replaces the global allocation functions of the protocol_tests binary with counting ones.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>

#include "protocol/reply_writer.h"
#include "protocol/resp_parser.h"

namespace {

size_t g_allocations = 0;
size_t g_largest_allocation = 0;

}  // namespace

// These replacements pair malloc with free by design; at -O1 (the sanitizer build) GCC inlines
// them into their callers and then reports free() of "new"'s pointer as a mismatch.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t size) {
  ++g_allocations;
  if (size > g_largest_allocation) g_largest_allocation = size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace ember::protocol {
namespace {

// Counts allocations made during its lifetime.
class AllocationCounter {
 public:
  AllocationCounter() : start_(g_allocations) { g_largest_allocation = 0; }
  size_t count() const { return g_allocations - start_; }
  size_t largest() const { return g_largest_allocation; }

 private:
  size_t start_;
};

std::string Pipeline() {
  std::string input;
  for (int i = 0; i < 50; ++i) {
    input += "*3\r\n$3\r\nSET\r\n$5\r\nkey:" + std::to_string(i % 10) + "\r\n$5\r\nvalue\r\n";
    input += "*2\r\n$3\r\nGET\r\n$5\r\nkey:" + std::to_string(i % 10) + "\r\n";
  }
  return input;
}

// Parses every command in `input`, touching each argument; returns how many were parsed.
int ParseAll(RespParser* parser, std::string_view input) {
  int commands = 0;
  while (!input.empty()) {
    const ParseResult result = parser->Parse(input);
    if (result.status != ParseStatus::kComplete) break;
    commands += parser->Args().empty() ? 0 : 1;
    input.remove_prefix(result.consumed);
  }
  return commands;
}

TEST(SteadyStateAllocationTest, ParsingAPipelineAgainAllocatesNothing) {
  RespParser parser;
  const std::string input = Pipeline();
  ASSERT_EQ(ParseAll(&parser, input), 100);
  AllocationCounter counter;
  EXPECT_EQ(ParseAll(&parser, input), 100);
  EXPECT_EQ(counter.count(), 0u);
}

TEST(SteadyStateAllocationTest, ResumingAPartialCommandAllocatesNothing) {
  RespParser parser;
  const std::string input = Pipeline();
  ASSERT_EQ(ParseAll(&parser, input), 100);
  const std::string command = "*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$5\r\nvalue\r\n";
  AllocationCounter counter;
  for (size_t end = 1; end < command.size(); ++end) {
    EXPECT_EQ(parser.Parse(std::string_view(command).substr(0, end)).status,
              ParseStatus::kNeedMore);
  }
  EXPECT_EQ(parser.Parse(command).status, ParseStatus::kComplete);
  EXPECT_EQ(counter.count(), 0u);
}

TEST(SteadyStateAllocationTest, HugeDeclaredCountReservesOnlyASmallArgumentArray) {
  RespParser parser;
  AllocationCounter counter;
  EXPECT_EQ(parser.Parse("*2000000000\r\n$1\r\na\r\n").status, ParseStatus::kNeedMore);
  EXPECT_LE(counter.largest(), 64u * 1024u);
}

TEST(SteadyStateAllocationTest, RenderingRepliesIntoAGrownBufferAllocatesNothing) {
  std::string out;
  out.reserve(4096);
  ReplyWriter writer(&out, 3);
  AllocationCounter counter;
  for (int version : {2, 3}) {
    writer.set_protocol_version(version);
    writer.Ok();
    writer.SimpleString("PONG");
    writer.Error("ERR something\r\nbad");
    writer.Integer(-1234567890123);
    writer.Bulk("value");
    writer.Null();
    writer.NullArray();
    writer.ArrayHeader(2);
    writer.MapHeader(2);
    writer.SetHeader(2);
    writer.PushHeader(2);
    writer.Double(3.14159);
    writer.Double(-1.0 / 0.0);
    writer.Boolean(true);
    writer.BigNumber("123456789012345678901234567890");
    writer.Verbatim("txt", "hello");
  }
  EXPECT_EQ(counter.count(), 0u);
  EXPECT_FALSE(out.empty());
}

}  // namespace
}  // namespace ember::protocol
