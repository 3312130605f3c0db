#include "store/unavailable.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace bramka::store {
namespace {

bool Contains(const std::string& lower, std::string_view needle) {
  return lower.find(needle) != std::string::npos;
}

}  // namespace

StorageTrouble StorageTroubleOf(const Error& error) {
  if (error.code != ErrorCode::kUnavailable) return StorageTrouble::kNone;
  std::string m = error.message;
  std::transform(m.begin(), m.end(), m.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // SQLite: SQLITE_FULL "database or disk is full"; errno ENOSPC "no space left on
  // device"; PostgreSQL: 53100 disk_full, "could not extend file"; quota: EDQUOT.
  constexpr std::array kFull = {std::string_view("disk is full"),
                                std::string_view("no space left"),
                                std::string_view("could not extend file"),
                                std::string_view("53100"),
                                std::string_view("disk full"),
                                std::string_view("quota exceeded")};
  // SQLite: SQLITE_BUSY "database is locked", SQLITE_LOCKED "database table is locked";
  // PostgreSQL: 55P03 lock_not_available, 40P01 deadlock; MariaDB: "lock wait timeout".
  constexpr std::array kBusy = {
      std::string_view("is locked"),    std::string_view("database is busy"),
      std::string_view("55p03"),        std::string_view("lock wait timeout"),
      std::string_view("lock timeout"), std::string_view("40p01")};
  constexpr std::array kReadOnly = {std::string_view("readonly"), std::string_view("read-only"),
                                    std::string_view("permission denied"),
                                    std::string_view("unable to open database file")};
  for (auto n : kFull) {
    if (Contains(m, n)) return StorageTrouble::kFull;
  }
  for (auto n : kBusy) {
    if (Contains(m, n)) return StorageTrouble::kBusy;
  }
  for (auto n : kReadOnly) {
    if (Contains(m, n)) return StorageTrouble::kReadOnly;
  }
  if (Contains(m, "store is closed")) return StorageTrouble::kClosed;
  return StorageTrouble::kOther;
}

std::string_view StorageTroubleText(StorageTrouble trouble) {
  switch (trouble) {
    case StorageTrouble::kNone:
      return "";
    case StorageTrouble::kFull:
      return "storage full";
    case StorageTrouble::kBusy:
      return "database busy, locked by another writer";
    case StorageTrouble::kReadOnly:
      return "storage read-only";
    case StorageTrouble::kClosed:
      return "storage closed, shutting down";
    case StorageTrouble::kOther:
      return "storage unavailable";
  }
  return "storage unavailable";
}

}  // namespace bramka::store
