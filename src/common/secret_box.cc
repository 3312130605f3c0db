#include "common/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace bramka {
namespace {

std::string ToHex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.resize(n * 2);
  return out;
}

bool FromHex(const std::string& hex, std::string& out) {
  out.assign(hex.size() / 2, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len * 2 != hex.size()) {
    return false;
  }
  out.resize(len);
  return true;
}

}  // namespace

std::string SecretKeyPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "secret.key").string();
}

Result<SecretBox> SecretBox::FromKeyFile(const std::string& path, bool create) {
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  if (create && !std::filesystem::exists(path)) {
    unsigned char key[crypto_secretbox_KEYBYTES];
    randombytes_buf(key, sizeof key);
    const std::string hex = ToHex(key, sizeof key) + "\n";
    sodium_memzero(key, sizeof key);
    // O_EXCL: two commands creating it at once keep one key.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
      const bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) &&
                      ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
    } else if (errno != EEXIST) {
      return Fail(ErrorCode::kUnavailable, "cannot create " + path);
    }
  }
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, "no key file " + path + " (run bramka init)");
  std::string hex;
  in >> hex;
  SecretBox box;
  if (hex.size() != crypto_secretbox_KEYBYTES * 2 || !FromHex(hex, box.key_)) {
    return Fail(ErrorCode::kCorrupt, path + " is not a 32-byte hex key");
  }
  return box;
}

SecretBox SecretBox::FromKey(const std::array<unsigned char, kKeyBytes>& key) {
  [[maybe_unused]] const int ready = sodium_init();  // tests only; randombytes needs it
  SecretBox box;
  box.key_.assign(reinterpret_cast<const char*>(key.data()), key.size());
  return box;
}

std::string SecretBox::Seal(const std::string& plain) const {
  std::string buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(buf.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                        reinterpret_cast<const unsigned char*>(key_.data()));
  return "v1:" + ToHex(nonce, buf.size());
}

Result<std::string> SecretBox::Open(const std::string& sealed) const {
  std::string raw;
  if (sealed.rfind("v1:", 0) != 0 || !FromHex(sealed.substr(3), raw) ||
      raw.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Fail(ErrorCode::kCorrupt, "sealed password is malformed");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw.data());
  const size_t clen = raw.size() - crypto_secretbox_NONCEBYTES;
  std::string plain(clen - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, clen, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return Fail(ErrorCode::kCorrupt, "sealed password does not open with this key");
  }
  return plain;
}

}  // namespace bramka
