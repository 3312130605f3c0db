#pragma once
// Password and token hashing, and the cache of verified credentials.
//
// Passwords: argon2id via libsodium (crypto_pwhash_str, interactive limits).
// API tokens: 32 random lowercase hex characters; only their SHA-256 (hex) is stored.
// CredentialCache: API v2 clients send username/password with every request;
// verifying argon2id each time would cost ~50 ms of CPU per request, so a
// successful verification is remembered for a while under a keyed BLAKE2b
// digest of (name, password) — the password itself is never kept.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "common/result.h"
#include "store/model.h"

namespace bramka::core {

Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);
std::string NewApiToken();                           // 32 lowercase hex chars
std::string HashApiToken(const std::string& token);  // SHA-256, 64 hex chars

class CredentialCache {
 public:
  explicit CredentialCache(std::chrono::seconds ttl);
  std::optional<store::AccountId> Lookup(const std::string& name, const std::string& password,
                                         SystemTime now);
  void Remember(const std::string& name, const std::string& password, store::AccountId id,
                SystemTime now);
  // Drops every entry of the account (its password changed).
  void Forget(const std::string& name);

 private:
  std::string Key(const std::string& name, const std::string& password) const;
  struct Entry {
    std::string name;
    store::AccountId id;
    SystemTime expires;
  };
  std::chrono::seconds ttl_;
  unsigned char key_[32];
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace bramka::core
