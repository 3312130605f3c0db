#pragma once
// Result<T>: the value of an operation that can fail in an expected way.
//
// A small [[nodiscard]] subset of std::expected (g++ 12 in C++20 mode has no
// <expected>). Expected failures (bad input, missing rows, a peer that went away)
// travel as Error; bugs are BRAMKA_CHECK assertions; exceptions never cross an
// event-loop callback. Model: LevelDB's Status.
//
// Each adapter maps Error to its wire once, in one table: API v2 error code,
// SOAP fault, SMPP command_status.

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace bramka {

enum class ErrorCode {
  kInvalidArgument,   // the caller sent something malformed or out of range
  kNotFound,          // the thing asked for does not exist (for this tenant)
  kAlreadyExists,     // a unique name or id is taken
  kUnauthenticated,   // credentials missing or wrong
  kPermissionDenied,  // authenticated, but not allowed to do this
  kThrottled,         // too fast; try later
  kUnavailable,       // a dependency (disk, database, peer) cannot serve now
  kRejected,          // valid request refused by a business rule (balance, sender...)
  kCorrupt,           // stored or received data fails an integrity check
  kInternal,          // a bug or an unexpected library failure
};

std::string_view ErrorCodeName(ErrorCode code);

// Error carries a code callers branch on, a human message, and an optional
// domain detail (for example a core::Failure value) that adapters may map more
// finely than the code alone (API v2 3002 "FULL limit exhausted" and so on).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  int detail = 0;

  std::string ToString() const;
};

inline Error MakeError(ErrorCode code, std::string message, int detail = 0) {
  return Error{code, std::move(message), detail};
}

// Wraps an Error so that `return Fail(...)` converts to any Result<T>.
struct Unexpected {
  Error error;
};
inline Unexpected Fail(ErrorCode code, std::string message, int detail = 0) {
  return Unexpected{Error{code, std::move(message), detail}};
}
inline Unexpected Fail(Error error) { return Unexpected{std::move(error)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}         // NOLINT
  Result(Unexpected u) : data_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT
  Result(Error e) : data_(std::in_place_index<1>, std::move(e)) {}             // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    Check();
    return std::get<0>(data_);
  }
  const T& value() const& {
    Check();
    return std::get<0>(data_);
  }
  T&& value() && {
    Check();
    return std::get<0>(std::move(data_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(data_); }
  Error&& take_error() { return std::get<1>(std::move(data_)); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void Check() const {
    if (!ok()) std::abort();  // reading the value of a failed Result is a bug
  }
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT
  Result(Error e) : error_(std::move(e)), ok_(false) {}             // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  Error&& take_error() { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace bramka

// Propagates a failed Result out of the current function.
#define BRAMKA_RETURN_IF_ERROR(expr)                                              \
  do {                                                                            \
    auto&& bramka_result_ = (expr);                                               \
    if (!bramka_result_.ok()) return ::bramka::Fail(bramka_result_.take_error()); \
  } while (0)

#define BRAMKA_CONCAT_INNER_(a, b) a##b
#define BRAMKA_CONCAT_(a, b) BRAMKA_CONCAT_INNER_(a, b)
// BRAMKA_ASSIGN_OR_RETURN(auto x, Compute());
#define BRAMKA_ASSIGN_OR_RETURN(lhs, expr) \
  BRAMKA_ASSIGN_OR_RETURN_IMPL_(BRAMKA_CONCAT_(bramka_r_, __LINE__), lhs, expr)
#define BRAMKA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)     \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return ::bramka::Fail(tmp.take_error()); \
  lhs = std::move(tmp).value()
