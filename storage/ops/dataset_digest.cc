#include "storage/ops/dataset_digest.h"

#include <boost/uuid/detail/sha1.hpp>
#include <cstddef>
#include <string_view>

#include "storage/keyspace/database.h"
#include "storage/value/hash_value.h"
#include "storage/value/list_value.h"
#include "storage/value/number_format.h"
#include "storage/value/set_value.h"
#include "storage/value/stream_value.h"
#include "storage/value/zset_value.h"

namespace ember::storage {
namespace {

Digest Sha1(const void* data, size_t size) {
  boost::uuids::detail::sha1 hasher;
  hasher.process_bytes(data, size);
  boost::uuids::detail::sha1::digest_type words;
  hasher.get_digest(words);
  Digest out;
  for (size_t i = 0; i < 5; ++i) {  // big-endian words: the standard byte order
    for (size_t b = 0; b < 4; ++b) out[i * 4 + b] = static_cast<uint8_t>(words[i] >> (24 - 8 * b));
  }
  return out;
}

// Redis's xorDigest: digest ^= SHA1(bytes). Order-free.
void XorIn(Digest& digest, std::string_view bytes) {
  const Digest hash = Sha1(bytes.data(), bytes.size());
  for (size_t i = 0; i < digest.size(); ++i) digest[i] ^= hash[i];
}

// Redis's mixDigest: digest = SHA1(digest ^ SHA1(bytes)). Order-preserving.
void MixIn(Digest& digest, std::string_view bytes) {
  XorIn(digest, bytes);
  digest = Sha1(digest.data(), digest.size());
}

std::string_view AsBytes(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// A 32-bit number in network byte order, as Redis hashes type codes and database indexes.
void MixInNumber(Digest& digest, uint32_t value) {
  const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                         static_cast<char>(value >> 8), static_cast<char>(value)};
  MixIn(digest, std::string_view(bytes, 4));
}

// Redis's object type codes (OBJ_STRING ... OBJ_STREAM; 5 is its modules').
uint32_t RedisTypeCode(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return 0;
    case ValueType::kList:
      return 1;
    case ValueType::kSet:
      return 2;
    case ValueType::kZSet:
      return 3;
    case ValueType::kHash:
      return 4;
    case ValueType::kStream:
      return 6;
  }
  return 0;
}

// Two byte strings digested as one element of an unordered collection.
Digest PairDigest(std::string_view first, std::string_view second) {
  Digest element{};
  MixIn(element, first);
  MixIn(element, second);
  return element;
}

void MixInValue(Digest& digest, const Entry& entry) {
  MixInNumber(digest, RedisTypeCode(entry.type()));
  const ValueRef value = entry.value();
  NumberBuffer scratch;
  switch (entry.type()) {
    case ValueType::kString:
      MixIn(digest, value.View(scratch));
      break;
    case ValueType::kList: {
      CollectionView<ListValue> list = value.Read<ListValue>();
      list->Visit(0, list->Size(), false, [&](const ListValue::Element& element) {
        MixIn(digest, element.View(scratch));
        return true;
      });
      break;
    }
    case ValueType::kSet:
      value.Read<SetValue>()->ForEach([&](std::string_view member) { XorIn(digest, member); });
      break;
    case ValueType::kZSet: {
      CollectionView<SortedSetValue> zset = value.Read<SortedSetValue>();
      if (zset->Size() == 0) break;
      zset->Visit(0, zset->Size() - 1, ZOrder::kAscending,
                  [&](std::string_view member, double score) {
                    XorIn(digest, AsBytes(PairDigest(member, FormatDoubleExact(score))));
                    return true;
                  });
      break;
    }
    case ValueType::kHash:
      value.Read<HashValue>()->ForEach([&](std::string_view field, std::string_view data) {
        XorIn(digest, AsBytes(PairDigest(field, data)));
      });
      break;
    case ValueType::kStream:
      // Every live entry in order: "<ms>.<seq>", then each field and value (Redis's
      // xorObjectDigest; consumer groups are not digested).
      value.Read<StreamValue>()->Range(
          StreamId::Min(), StreamId::Max(), false, 0,
          [&](const StreamValue::EntryView& stream_entry) {
            MixIn(digest,
                  std::to_string(stream_entry.id.ms) + "." + std::to_string(stream_entry.id.seq));
            for (const StreamValue::Field& field : stream_entry.fields) {
              MixIn(digest, field.name);
              MixIn(digest, field.value);
            }
            return true;
          });
      break;
  }
  if (entry.has_expire()) XorIn(digest, "!!expire!!");
}

}  // namespace

Digest ValueDigest(const Entry& entry) {
  Digest digest{};
  MixInValue(digest, entry);
  return digest;
}

Digest DatasetDigest(const Keyspace& keyspace) {
  Digest total{};
  for (int index = 0; index < keyspace.database_count(); ++index) {
    const Database& db = keyspace.db(index);
    if (db.size() == 0) continue;
    MixInNumber(total, static_cast<uint32_t>(index));
    db.ForEach([&total](const Entry& entry) {
      Digest digest{};
      MixIn(digest, entry.key());
      MixInValue(digest, entry);
      XorIn(total, AsBytes(digest));
    });
  }
  return total;
}

std::string DigestHex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(40);
  for (uint8_t byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

}  // namespace ember::storage
