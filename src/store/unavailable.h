#pragma once
// Why a store could not take a write now (issue 12, docs/reliability.md "disk full",
// "database locked"): the one place that reads a store's kUnavailable error and names the
// trouble in words an API client or an operator can act on. Every store reports these as
// ErrorCode::kUnavailable with its database's own message (SQLite: "database or disk is
// full", "database is locked"; PostgreSQL: "could not extend file ... No space left on
// device", SQLSTATE 53100, 55P03); adapters append StorageTroubleText() to the error they
// answer (HTTP 1009's message, SMPP's log line, FTP/SQL source status).
//
// Pure and thread-safe.

#include <string>
#include <string_view>

#include "common/result.h"

namespace bramka::store {

enum class StorageTrouble {
  kNone,      // not a kUnavailable error
  kFull,      // the disk (or the database's quota) is full
  kBusy,      // the database is locked by another writer / lock wait timed out
  kReadOnly,  // the file or folder cannot be written (permissions, read-only mount)
  kClosed,    // the store is shutting down
  kOther,     // I/O error, connection lost, anything else temporary
};

StorageTrouble StorageTroubleOf(const Error& error);

// A short phrase for the trouble: "storage full", "database busy, locked by another
// writer", "storage read-only", "storage closed, shutting down", "storage unavailable";
// "" for kNone.
std::string_view StorageTroubleText(StorageTrouble trouble);
inline std::string_view StorageTroubleText(const Error& error) {
  return StorageTroubleText(StorageTroubleOf(error));
}

}  // namespace bramka::store
