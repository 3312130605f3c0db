#pragma once
// SecretBox: encrypts stored credentials (SQL source passwords) with libsodium's
// crypto_secretbox (XSalsa20-Poly1305) under one 32-byte key kept in a file of
// the data directory (docs/adr/0013). The key file is created on first use,
// mode 0600, with O_EXCL so two processes starting together agree on one key.
//
// Sealed text: "sb1:" + base64(nonce || ciphertext). Self-contained on purpose:
// the FTP sources have the same need and the two will be unified later.
//
// Thread-safety: const methods may be called concurrently.

#include <array>
#include <string>

#include "common/result.h"

namespace bramka::ingest::sql {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;
  // Reads the key at `key_path`, creating it (and nothing else) when missing.
  // kInternal when libsodium cannot start; kCorrupt for a key file of the wrong
  // size; kUnavailable when the file cannot be read or written.
  static Result<SecretBox> OpenOrCreate(const std::string& key_path);
  // For tests.
  static SecretBox FromKey(const std::array<unsigned char, kKeyBytes>& key);

  std::string Seal(const std::string& plain) const;
  // kCorrupt when `sealed` is not ours or was made with another key.
  Result<std::string> Open(const std::string& sealed) const;

 private:
  explicit SecretBox(const std::array<unsigned char, kKeyBytes>& key) : key_(key) {}
  std::array<unsigned char, kKeyBytes> key_;
};

}  // namespace bramka::ingest::sql
