#include "storage/value/hash_value.h"

#include <cassert>
#include <random>

#include "storage/value/hash_field_table.h"

namespace ember::storage {
namespace {

// Whether `pairs` must live in a table under `limits`: too many fields, or an entry (field
// or value) longer than the value limit.
bool ListpackExceeds(const Listpack& pairs, const EncodingLimits& limits) {
  if (static_cast<int64_t>(pairs.size() / 2) > limits.hash_max_listpack_entries) return true;
  for (size_t offset = pairs.First(); offset != PackedList::kNoEntry; offset = pairs.Next(offset)) {
    NumberBuffer scratch;
    if (static_cast<int64_t>(pairs.Get(offset).View(scratch).size()) >
        limits.hash_max_listpack_value) {
      return true;
    }
  }
  return false;
}

}  // namespace

HashValue::HashValue() : Collection(kType, CollectionEncoding::kListpack, sizeof(HashValue)) {}

HashValue HashValue::Borrow(std::string_view packed) {
  HashValue hash;
  hash.pairs_ = PackedList::Borrow(packed);
  return hash;
}

std::unique_ptr<HashValue> HashValue::FromPacked(std::string_view packed) {
  auto hash = std::make_unique<HashValue>();
  hash->AdoptPairs(PackedList::Borrow(packed).Clone());
  return hash;
}

void HashValue::LoadPacked(std::string_view packed) {
  assert(encoding() == CollectionEncoding::kListpack);
  // Room for a new pair of short entries, so the typical HSET appends without a realloc.
  constexpr size_t kEditRoom = 64;
  EditListpack([&] { pairs_.Assign(packed, kEditRoom); });
}

void HashValue::AttachPacked(char* buffer, size_t size, size_t capacity) {
  assert(encoding() == CollectionEncoding::kListpack);
  EditListpack([&] { pairs_.Attach(buffer, size, capacity); });
}

void HashValue::OwnPackedBlock() {
  EditListpack([&] { pairs_.OwnBlock(); });
}

std::optional<std::string_view> HashValue::PackedBytes() const {
  if (encoding() != CollectionEncoding::kListpack) return std::nullopt;
  return pairs_.bytes();
}

HashValue::~HashValue() = default;
HashValue::HashValue(HashValue&& other) noexcept = default;

// Built from an empty hash rather than by Collection's copy, so that every block of the
// copy is accounted as it is made (a table's copy may size its bucket arrays differently).
HashValue::HashValue(const HashValue& other) : HashValue() {
  if (other.encoding() == CollectionEncoding::kListpack) {
    EditListpack([&] { pairs_ = other.pairs_.Clone(); });
    return;
  }
  ConvertToTable();
  other.table_->ForEach(
      [this](const HashFieldNode& node) { table_->Insert(node.field(), node.value()); });
}

std::unique_ptr<HashValue> HashValue::FromListpack(Listpack pairs, const EncodingLimits& limits) {
  auto hash = std::make_unique<HashValue>();
  const bool exceeds = ListpackExceeds(pairs, limits);
  hash->AdoptPairs(PackedList::FromListpack(pairs));
  if (exceeds) hash->ConvertToTable();
  return hash;
}

std::unique_ptr<Collection> HashValue::Clone() const {
  return std::unique_ptr<Collection>(new HashValue(*this));
}

size_t HashValue::Size() const {
  return encoding() == CollectionEncoding::kListpack ? pairs_.size() / 2 : table_->size();
}

template <typename Fn>
void HashValue::EditListpack(Fn&& fn) {
  RemoveHeapBytes(pairs_.HeapBytes());
  fn();
  AddHeapBytes(pairs_.HeapBytes());
}

void HashValue::AdoptPairs(PackedList pairs) {
  EditListpack([&] { pairs_ = std::move(pairs); });
}

size_t HashValue::FindListpackField(std::string_view field) const {
  const size_t first = pairs_.First();
  if (first == PackedList::kNoEntry) return PackedList::kNoEntry;
  return pairs_.Find(field, first, /*skip=*/1);
}

std::optional<std::string_view> HashValue::Get(std::string_view field,
                                               NumberBuffer& scratch) const {
  if (encoding() == CollectionEncoding::kListpack) {
    const size_t offset = FindListpackField(field);
    if (offset == PackedList::kNoEntry) return std::nullopt;
    return pairs_.Get(pairs_.Next(offset)).View(scratch);
  }
  const HashFieldNode* node = table_->Find(field);
  if (node == nullptr) return std::nullopt;
  return node->value();
}

bool HashValue::Contains(std::string_view field) const {
  if (encoding() == CollectionEncoding::kListpack) {
    return FindListpackField(field) != PackedList::kNoEntry;
  }
  return table_->Find(field) != nullptr;
}

size_t HashValue::ValueLength(std::string_view field) const {
  NumberBuffer scratch;
  std::optional<std::string_view> value = Get(field, scratch);
  return value.has_value() ? value->size() : 0;
}

bool HashValue::Set(std::string_view field, std::string_view value, const EncodingLimits& limits) {
  if (encoding() == CollectionEncoding::kListpack) {
    // A long field or value converts first (Redis's hashTypeSet), even when it replaces;
    // so does a pair that would take the block past 1 GiB (Redis's lpSafeToAdd check).
    const auto max_value = limits.hash_max_listpack_value;
    if (static_cast<int64_t>(field.size()) > max_value ||
        static_cast<int64_t>(value.size()) > max_value ||
        !pairs_.SafeToAdd(field.size() + value.size())) {
      ConvertToTable();
    }
  }
  if (encoding() != CollectionEncoding::kListpack) return table_->Set(field, value);

  const size_t offset = FindListpackField(field);
  if (offset != PackedList::kNoEntry) {
    EditListpack([&] { pairs_.Replace(pairs_.Next(offset), value); });
    return false;
  }
  EditListpack([&] {
    pairs_.Append(field);
    pairs_.Append(value);
  });
  if (static_cast<int64_t>(Size()) > limits.hash_max_listpack_entries) ConvertToTable();
  return true;
}

bool HashValue::Delete(std::string_view field) {
  if (encoding() != CollectionEncoding::kListpack) return table_->Delete(field);
  const size_t offset = FindListpackField(field);
  if (offset == PackedList::kNoEntry) return false;
  EditListpack([&] { pairs_.Delete(offset, 2); });
  return true;
}

void HashValue::ForEach(const FieldFn& fn) const {
  if (encoding() != CollectionEncoding::kListpack) {
    table_->ForEach([&fn](const HashFieldNode& node) { fn(node.field(), node.value()); });
    return;
  }
  size_t offset = pairs_.First();
  while (offset != PackedList::kNoEntry) {
    const size_t value_offset = pairs_.Next(offset);
    NumberBuffer field_scratch;
    NumberBuffer value_scratch;
    fn(pairs_.Get(offset).View(field_scratch), pairs_.Get(value_offset).View(value_scratch));
    offset = pairs_.Next(value_offset);
  }
}

uint64_t HashValue::Scan(uint64_t cursor, const FieldFn& fn) const {
  if (encoding() == CollectionEncoding::kListpack) {
    ForEach(fn);
    return 0;
  }
  return table_->Scan(cursor, [&fn](const HashFieldNode& node) { fn(node.field(), node.value()); });
}

std::pair<std::string_view, std::string_view> HashValue::Random(std::mt19937_64& rng,
                                                                NumberBuffer& field_scratch,
                                                                NumberBuffer& value_scratch) const {
  assert(Size() > 0);
  if (encoding() != CollectionEncoding::kListpack) {
    const HashFieldNode& node = table_->RandomNode(rng);
    return {node.field(), node.value()};
  }
  std::uniform_int_distribution<size_t> pick(0, Size() - 1);
  size_t offset = pairs_.First();
  for (size_t skip = 2 * pick(rng); skip > 0; --skip) offset = pairs_.Next(offset);
  return {pairs_.Get(offset).View(field_scratch),
          pairs_.Get(pairs_.Next(offset)).View(value_scratch)};
}

Listpack HashValue::ToListpack() const {
  assert(encoding() == CollectionEncoding::kListpack);
  return pairs_.ToListpack();
}

void HashValue::ConvertToTable() {
  if (encoding() != CollectionEncoding::kListpack) return;
  table_ = std::make_unique<HashFieldTable>(this);
  ForEach([this](std::string_view field, std::string_view value) { table_->Insert(field, value); });
  EditListpack([&] { pairs_ = PackedList(); });
  set_encoding(CollectionEncoding::kHashtable);
}

}  // namespace ember::storage
