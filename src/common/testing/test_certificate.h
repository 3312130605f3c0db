#pragma once
// TestCertificate: a fresh self-signed certificate (common/tls_cert.h) as PEM
// files in a temporary folder, removed with the object. For TLS tests.

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/tls_cert.h"

namespace bramka::testing {

struct TestCertificate {
  TestCertificate() {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          ("bramka_cert_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    cert = (dir / "cert.pem").string();
    key = (dir / "key.pem").string();
    if (!WriteSelfSignedCertificate(cert, key).ok()) std::abort();
  }
  ~TestCertificate() { std::filesystem::remove_all(dir); }
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  std::filesystem::path dir;
  std::string cert, key;
};

}  // namespace bramka::testing
