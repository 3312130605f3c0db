#pragma once
// The SQL sources' passwords are sealed with the one SecretBox of common/.
#include "common/secret_box.h"

namespace bramka::ingest::sql {
using ::bramka::SecretBox;
using ::bramka::SecretKeyPath;
}  // namespace bramka::ingest::sql
