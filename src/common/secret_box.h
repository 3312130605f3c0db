#pragma once
// Secrets encrypted at rest (the passwords of customers' FTP and SQL servers;
// ADR 0012, 0013): libsodium's crypto_secretbox (XSalsa20-Poly1305) under one
// 32-byte key kept as hex in <data_dir>/secret.key (mode 0600, created by
// `bramka init`, or on first use by an older installation; O_EXCL, so two
// processes creating it at once agree on one key). Sealed text is
// "v1:" + hex(nonce || ciphertext). Thread-safe; nothing here logs.

#include <array>
#include <cstddef>
#include <string>

#include "common/result.h"

namespace bramka {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;

  // Reads the key file; with `create`, writes a new random key when it does not
  // exist. kNotFound (no key file, !create), kCorrupt (not 64 hex characters),
  // kUnavailable (I/O).
  static Result<SecretBox> FromKeyFile(const std::string& path, bool create);
  static Result<SecretBox> OpenOrCreate(const std::string& path) { return FromKeyFile(path, true); }
  // For tests.
  static SecretBox FromKey(const std::array<unsigned char, kKeyBytes>& key);

  std::string Seal(const std::string& plain) const;
  // kCorrupt when the text was not sealed with this key.
  Result<std::string> Open(const std::string& sealed) const;

 private:
  std::string key_;  // 32 bytes
};

// <data_dir>/secret.key
std::string SecretKeyPath(const std::string& data_dir);

}  // namespace bramka
