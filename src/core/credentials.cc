#include "core/credentials.h"

#include <sodium.h>

#include "common/ids.h"

namespace bramka::core {
namespace {

std::string ToHex(const unsigned char* data, size_t n) {
  std::string out(n * 2, '\0');
  sodium_bin2hex(out.data(), out.size() + 1, data, n);
  return out;
}

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Result<std::string> HashPassword(const std::string& password) {
  if (!SodiumReady()) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Fail(ErrorCode::kUnavailable, "out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  if (!SodiumReady() || hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewApiToken() { return RandomHex(16); }

std::string HashApiToken(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return ToHex(digest, sizeof digest);
}

CredentialCache::CredentialCache(std::chrono::seconds ttl) : ttl_(ttl) {
  SodiumReady();
  randombytes_buf(key_, sizeof key_);
}

std::string CredentialCache::Key(const std::string& name, const std::string& password) const {
  crypto_generichash_state state;
  crypto_generichash_init(&state, key_, sizeof key_, 32);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(name.data()),
                            name.size());
  const unsigned char sep = 0;
  crypto_generichash_update(&state, &sep, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(password.data()),
                            password.size());
  unsigned char out[32];
  crypto_generichash_final(&state, out, sizeof out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::optional<store::AccountId> CredentialCache::Lookup(const std::string& name,
                                                        const std::string& password,
                                                        SystemTime now) {
  std::string key = Key(name, password);
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.id;
}

void CredentialCache::Remember(const std::string& name, const std::string& password,
                               store::AccountId id, SystemTime now) {
  if (ttl_.count() <= 0) return;
  std::string key = Key(name, password);
  std::lock_guard lock(mu_);
  if (entries_.size() > 100'000) entries_.clear();  // bounded; rebuilt on demand
  entries_[key] = Entry{name, id, now + ttl_};
}

void CredentialCache::Forget(const std::string& name) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) { return kv.second.name == name; });
}

}  // namespace bramka::core
