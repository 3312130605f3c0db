#pragma once
// A self-signed TLS certificate for a fresh install (`bramka init`) and for tests:
// EC P-256, 10 years, CN=localhost, SAN DNS:localhost + IP:127.0.0.1.

#include <string>

#include "common/result.h"

namespace bramka {

// Writes PEM files; the key file gets mode 0600.
Result<void> WriteSelfSignedCertificate(const std::string& cert_path, const std::string& key_path);

}  // namespace bramka
