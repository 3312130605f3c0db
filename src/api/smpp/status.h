#pragma once
// The one table from core's errors (ErrorCode + core::Failure) to SMPP command_status,
// as api/http/errors.cc is for API v2 codes. Pure.

#include <cstdint>

#include "common/result.h"
#include "core/failure.h"

namespace bramka::api::smpp {

// The command_status answering a request that core refused with `error`.
uint32_t CommandStatusFor(const Error& error);
// For a per-recipient failure (an unsent item of a submit).
uint32_t CommandStatusFor(core::Failure failure);

}  // namespace bramka::api::smpp
