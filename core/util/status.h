// Status and Result<T>: how errors cross module boundaries in dqaudit (modelled on absl::Status).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace dqa {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad user input: rule file, command line, configuration
  kNotFound,         // a file, table, column or source that should exist does not
  kIoError,          // the operating system or a database refused an operation
  kInternal,         // a bug in dqaudit
  kUnavailable,      // a shortcut cannot be trusted now (the caller falls back to the long way)
};

// The result of an operation that returns no value. A default-constructed Status is OK.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>". OK stays OK.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }

// Either a value of type T or a non-OK Status. Accessing value() of an error is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok() && "Result constructed from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  T& value() & { assert(ok()); return std::get<T>(data_); }
  const T& value() const& { assert(ok()); return std::get<T>(data_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace dqa

#define DQA_STATUS_CONCAT_INNER_(a, b) a##b
#define DQA_STATUS_CONCAT_(a, b) DQA_STATUS_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` (a Status) is not OK.
#define DQA_RETURN_IF_ERROR(expr)                   \
  do {                                              \
    ::dqa::Status dqa_status_ = (expr);             \
    if (!dqa_status_.ok()) return dqa_status_;      \
  } while (false)

// `lhs` = value of `rexpr` (a Result<T>), or returns its Status from the enclosing function.
#define DQA_ASSIGN_OR_RETURN(lhs, rexpr) \
  DQA_ASSIGN_OR_RETURN_IMPL_(DQA_STATUS_CONCAT_(dqa_result_, __LINE__), lhs, rexpr)
#define DQA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                               \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
