#include "storage/ops/hll_sparse.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace ember::storage::hll {
namespace {

using sparse_internal::DecodeOpcode;
using sparse_internal::Opcode;

constexpr uint32_t kZeroMaxRun = 64;
constexpr uint32_t kValMaxRun = 4;

char ValByte(uint8_t value, uint32_t run) {
  return static_cast<char>(0x80 | ((value - 1) << 2) | (run - 1));
}

// Appends the shortest zero opcode for `run` registers (ZERO up to 64, else XZERO).
void PutZeros(uint32_t run, char*& out) {
  if (run > kZeroMaxRun) {
    *out++ = static_cast<char>(0x40 | ((run - 1) >> 8));
    *out++ = static_cast<char>((run - 1) & 0xff);
  } else {
    *out++ = static_cast<char>(run - 1);
  }
}

// Where register `index` lies: the opcode covering it, the register that opcode starts
// at, and the opcode before it (npos for the first).
struct Located {
  size_t pos = 0;
  size_t prev = std::string::npos;
  uint64_t first = 0;
  Opcode op;
};

bool Locate(std::string_view hll, uint32_t index, Located* at) {
  uint64_t first = 0;
  size_t prev = std::string::npos;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    const Opcode op = DecodeOpcode(hll, pos);
    if (index < first + op.run) {
      *at = {pos, prev, first, op};
      return true;
    }
    prev = pos;
    pos += op.bytes;
    first += op.run;
  }
  return false;
}

// The opcodes replacing the run at `at` once register `index` holds `count`: what the run
// covered before the register, the register as a VAL, what it covered after. At most 5.
size_t SplitRun(const Located& at, uint32_t index, uint8_t count, std::array<char, 5>* seq) {
  char* out = seq->data();
  const uint64_t before = index - at.first;
  const uint64_t after = at.first + at.op.run - 1 - index;
  if (at.op.kind == Opcode::Kind::kVal) {
    if (before > 0) *out++ = ValByte(at.op.value, static_cast<uint32_t>(before));
    *out++ = ValByte(count, 1);
    if (after > 0) *out++ = ValByte(at.op.value, static_cast<uint32_t>(after));
  } else {
    if (before > 0) PutZeros(static_cast<uint32_t>(before), out);
    *out++ = ValByte(count, 1);
    if (after > 0) PutZeros(static_cast<uint32_t>(after), out);
  }
  return static_cast<size_t>(out - seq->data());
}

// Redis's replacement of the opcode at `pos` (`old_bytes` long) by `seq`: the tail moves,
// and the length changes by the difference. An XZERO cut short by the end of the string
// counts two bytes all the same, so the last byte written falls off the end, as in Redis.
void Splice(std::string& hll, size_t pos, size_t old_bytes, std::string_view seq) {
  const size_t new_size = hll.size() + seq.size() - old_bytes;
  const size_t tail = std::min(pos + old_bytes, hll.size());
  hll.replace(pos, tail - pos, seq);
  hll.resize(new_size);
}

// Merges adjacent VALs of equal value (up to 4 registers) among the few opcodes from
// `start`, as Redis does after each edit so that a run split and refilled packs again.
void MergeNeighbours(std::string& hll, size_t start) {
  size_t pos = start;
  for (int budget = 5; pos < hll.size() && budget > 0; --budget) {
    const Opcode op = DecodeOpcode(hll, pos);
    if (op.kind != Opcode::Kind::kVal) {
      pos += op.bytes;
      continue;
    }
    if (pos + 1 < hll.size() && (static_cast<uint8_t>(hll[pos + 1]) & 0x80) != 0) {
      const Opcode next = DecodeOpcode(hll, pos + 1);
      if (next.value == op.value && op.run + next.run <= kValMaxRun) {
        hll[pos + 1] = ValByte(op.value, op.run + next.run);
        hll.erase(pos, 1);
        continue;  // the merged VAL may merge again with the one after it
      }
    }
    ++pos;
  }
}

SetOutcome Promote(std::string& hll, uint32_t index, uint8_t count) {
  std::string dense;
  if (!SparseToDense(hll, &dense)) return SetOutcome::kCorrupt;
  auto* registers = reinterpret_cast<uint8_t*>(dense.data() + kHeaderSize);
  if (count > DenseRegister(registers, index)) SetDenseRegister(registers, index, count);
  MarkStale(dense);
  hll = std::move(dense);
  return SetOutcome::kUpdated;
}

}  // namespace

bool SparseToDense(std::string_view hll, std::string* dense) {
  dense->assign(kDenseSize, '\0');
  std::copy_n(hll.data(), kHeaderSize, dense->data());
  (*dense)[kEncodingOffset] = static_cast<char>(Encoding::kDense);
  auto* registers = reinterpret_cast<uint8_t*>(dense->data() + kHeaderSize);
  return ForEachSparseValue(hll, [registers](uint32_t first, uint32_t run, uint8_t value) {
    for (uint32_t i = first; i < first + run; ++i) SetDenseRegister(registers, i, value);
  });
}

SetOutcome SetSparseRegister(std::string& hll, uint32_t index, uint8_t count, size_t max_bytes) {
  if (count > kSparseMaxValue) return Promote(hll, index, count);
  Located at;
  if (!Locate(hll, index, &at)) return SetOutcome::kCorrupt;
  const bool is_val = at.op.kind == Opcode::Kind::kVal;
  if (is_val && at.op.value >= count) return SetOutcome::kUnchanged;
  if (at.op.run == 1 && at.op.kind != Opcode::Kind::kXZero) {
    // A single register, as a VAL or a ZERO: rewritten in place.
    hll[at.pos] = ValByte(count, 1);
  } else {
    std::array<char, 5> seq{};
    const size_t seq_size = SplitRun(at, index, count, &seq);
    const size_t grown_by = seq_size > at.op.bytes ? seq_size - at.op.bytes : 0;
    if (grown_by > 0 && hll.size() + grown_by > max_bytes) return Promote(hll, index, count);
    Splice(hll, at.pos, at.op.bytes, std::string_view(seq.data(), seq_size));
  }
  MergeNeighbours(hll, at.prev != std::string::npos ? at.prev : kHeaderSize);
  MarkStale(hll);
  return SetOutcome::kUpdated;
}

std::string DescribeSparse(std::string_view hll) {
  std::string text;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    const Opcode op = DecodeOpcode(hll, pos);
    pos += op.bytes;
    if (!text.empty()) text.push_back(' ');
    switch (op.kind) {
      case Opcode::Kind::kZero:
        fmt::format_to(std::back_inserter(text), "z:{}", op.run);
        break;
      case Opcode::Kind::kXZero:
        fmt::format_to(std::back_inserter(text), "Z:{}", op.run);
        break;
      case Opcode::Kind::kVal:
        fmt::format_to(std::back_inserter(text), "v:{},{}", op.value, op.run);
        break;
    }
  }
  return text;
}

}  // namespace ember::storage::hll
