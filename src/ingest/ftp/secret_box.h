#pragma once
// Passwords of customers' servers, encrypted at rest (ADR 0012): libsodium's
// crypto_secretbox (XSalsa20-Poly1305) under a 32-byte key kept in
// <data_dir>/secret.key (mode 0600, created by `bramka init`, or by the first
// `bramka admin ftp add` of an older installation). Sealed text is
// "v1:" + hex(nonce || ciphertext). Thread-safe; nothing here logs.

#include <string>

#include "common/result.h"

namespace bramka::ingest::ftp {

class SecretBox {
 public:
  // Reads the key file; with `create`, writes a new random key when it does not
  // exist. kNotFound (no key file, !create), kCorrupt (not 64 hex characters),
  // kUnavailable (I/O).
  static Result<SecretBox> FromKeyFile(const std::string& path, bool create);

  std::string Seal(const std::string& plain) const;
  // kCorrupt when the text was not sealed with this key.
  Result<std::string> Open(const std::string& sealed) const;

 private:
  std::string key_;  // 32 bytes
};

// <data_dir>/secret.key
std::string SecretKeyPath(const std::string& data_dir);

}  // namespace bramka::ingest::ftp
