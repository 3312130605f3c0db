#pragma once
// Message ids: 10 lowercase hex characters (spec §3), e.g. "aca3944055".
//
// Ids are unique by construction, not by luck: a 40-bit sequence number
// (reserved in blocks from the Store) goes through a keyed 4-round Feistel
// permutation of 40 bits, so consecutive messages get unrelated-looking ids
// and no two sequence numbers ever share one.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace bramka {

inline constexpr uint64_t kMessageIdSpace = uint64_t{1} << 40;

class MessageIdCodec {
 public:
  // `key` personalises the permutation per installation (from the config).
  explicit MessageIdCodec(uint64_t key = 0x6272616d6b61ULL);
  std::string Encode(uint64_t sequence) const;    // sequence < 2^40
  uint64_t Decode(std::string_view id) const;     // inverse of Encode
  static bool IsWellFormed(std::string_view id);  // 10 lowercase hex chars

 private:
  uint32_t Round(uint32_t half, int round) const;
  std::array<uint32_t, 4> keys_;
};

// 32 random bytes from the OS as 64 lowercase hex chars; n bytes -> 2n chars.
std::string RandomHex(size_t bytes);

}  // namespace bramka
