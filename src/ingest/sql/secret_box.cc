#include "ingest/sql/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace bramka::ingest::sql {
namespace {

constexpr std::string_view kPrefix = "sb1:";

Result<void> ReadAll(int fd, unsigned char* out, size_t n, size_t* got) {
  *got = 0;
  while (*got < n) {
    ssize_t r = ::read(fd, out + *got, n - *got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0)
      return Fail(ErrorCode::kUnavailable, std::string("read key: ") + std::strerror(errno));
    if (r == 0) break;
    *got += static_cast<size_t>(r);
  }
  return Ok();
}

}  // namespace

SecretBox SecretBox::FromKey(const std::array<unsigned char, kKeyBytes>& key) {
  return SecretBox(key);
}

Result<SecretBox> SecretBox::OpenOrCreate(const std::string& key_path) {
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  std::array<unsigned char, kKeyBytes> key{};
  int fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    randombytes_buf(key.data(), key.size());
    bool ok =
        ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
      ::unlink(key_path.c_str());
      return Fail(ErrorCode::kUnavailable, "cannot write the secret key " + key_path);
    }
    return SecretBox(key);
  }
  if (errno != EEXIST) {
    return Fail(ErrorCode::kUnavailable,
                "cannot create the secret key " + key_path + ": " + std::strerror(errno));
  }
  fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Fail(ErrorCode::kUnavailable,
                "cannot read the secret key " + key_path + ": " + std::strerror(errno));
  }
  size_t got = 0;
  unsigned char extra = 0;
  size_t extra_got = 0;
  auto r = ReadAll(fd, key.data(), key.size(), &got);
  if (r.ok()) r = ReadAll(fd, &extra, 1, &extra_got);
  ::close(fd);
  if (!r.ok()) return Fail(r.take_error());
  if (got != key.size() || extra_got != 0) {
    // A concurrent creator may still be writing: a short file is reported, not repaired.
    return Fail(ErrorCode::kCorrupt, "secret key " + key_path + " is not 32 bytes");
  }
  return SecretBox(key);
}

std::string SecretBox::Seal(const std::string& plain) const {
  std::vector<unsigned char> buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plain.size());
  randombytes_buf(buf.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(buf.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                        buf.data(), key_.data());
  std::string b64(sodium_base64_ENCODED_LEN(buf.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), buf.data(), buf.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return std::string(kPrefix) + b64;
}

Result<std::string> SecretBox::Open(const std::string& sealed) const {
  if (sealed.rfind(kPrefix, 0) != 0) return Fail(ErrorCode::kCorrupt, "not a sealed secret");
  const std::string b64 = sealed.substr(kPrefix.size());
  std::vector<unsigned char> buf(b64.size());
  size_t len = 0;
  if (sodium_base642bin(buf.data(), buf.size(), b64.data(), b64.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Fail(ErrorCode::kCorrupt, "sealed secret is malformed");
  }
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 buf.data() + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, buf.data(), key_.data()) != 0) {
    return Fail(ErrorCode::kCorrupt, "sealed secret does not open with this key");
  }
  return plain;
}

}  // namespace bramka::ingest::sql
