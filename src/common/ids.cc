#include "common/ids.h"

#include <fstream>
#include <random>

#include "common/check.h"

namespace bramka {
namespace {

uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr uint32_t kHalfMask = (1u << 20) - 1;
constexpr char kHex[] = "0123456789abcdef";

}  // namespace

MessageIdCodec::MessageIdCodec(uint64_t key) {
  uint64_t state = key;
  for (auto& k : keys_) k = static_cast<uint32_t>(SplitMix(state));
}

uint32_t MessageIdCodec::Round(uint32_t half, int round) const {
  uint64_t x = (static_cast<uint64_t>(half) << 32) ^ keys_[round];
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 29;
  return static_cast<uint32_t>(x) & kHalfMask;
}

std::string MessageIdCodec::Encode(uint64_t sequence) const {
  BRAMKA_CHECK(sequence < kMessageIdSpace);
  uint32_t left = static_cast<uint32_t>(sequence >> 20) & kHalfMask;
  uint32_t right = static_cast<uint32_t>(sequence) & kHalfMask;
  for (int r = 0; r < 4; ++r) {
    uint32_t next = left ^ Round(right, r);
    left = right;
    right = next;
  }
  uint64_t v = (static_cast<uint64_t>(left) << 20) | right;
  std::string out(10, '0');
  for (int i = 9; i >= 0; --i, v >>= 4) out[i] = kHex[v & 0xf];
  return out;
}

uint64_t MessageIdCodec::Decode(std::string_view id) const {
  uint64_t v = 0;
  for (char c : id) v = (v << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  uint32_t left = static_cast<uint32_t>(v >> 20) & kHalfMask;
  uint32_t right = static_cast<uint32_t>(v) & kHalfMask;
  for (int r = 3; r >= 0; --r) {
    uint32_t prev = right ^ Round(left, r);
    right = left;
    left = prev;
  }
  return (static_cast<uint64_t>(left) << 20) | right;
}

bool MessageIdCodec::IsWellFormed(std::string_view id) {
  if (id.size() != 10) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string RandomHex(size_t bytes) {
  std::random_device rd;  // /dev/urandom on Linux
  std::string out;
  out.reserve(bytes * 2);
  for (size_t i = 0; i < bytes; ++i) {
    unsigned b = rd() & 0xff;
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace bramka
