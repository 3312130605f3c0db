#pragma once
// The FTP sources' passwords are sealed with the one SecretBox of common/.
#include "common/secret_box.h"

namespace bramka::ingest::ftp {
using ::bramka::SecretBox;
using ::bramka::SecretKeyPath;
}  // namespace bramka::ingest::ftp
