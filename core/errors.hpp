#pragma once
// The typed errors core throws. The daemon maps them to HTTP statuses and the
// CLI to exit codes, each in one table (daemon/http/problem.cpp, cli/exit_codes.cpp).
#include <stdexcept>
#include <string>

namespace booking {

enum class ErrorKind { Invalid, NotFound, Conflict, Forbidden, Unavailable, Config };

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

  private:
    ErrorKind kind_;
};

// A value that is well-formed but not acceptable; field names what was wrong.
class Invalid : public Error {
  public:
    Invalid(std::string field, const std::string& message)
        : Error(ErrorKind::Invalid, field.empty() ? message : field + ": " + message),
          field_(std::move(field)),
          message_(message) {}
    const std::string& field() const noexcept { return field_; }
    const std::string& message() const noexcept { return message_; }

  private:
    std::string field_;
    std::string message_;
};

class NotFound : public Error {
  public:
    // subject names what was not found ("service", "resource", "booking", ...),
    // so that a front door can tell a missing URL from a bad value in a body.
    explicit NotFound(const std::string& message, std::string subject = {})
        : Error(ErrorKind::NotFound, message), subject_(std::move(subject)) {}
    const std::string& subject() const noexcept { return subject_; }

  private:
    std::string subject_;
};

class Conflict : public Error {
  public:
    explicit Conflict(const std::string& message) : Error(ErrorKind::Conflict, message) {}
};

class Forbidden : public Error {
  public:
    explicit Forbidden(const std::string& message) : Error(ErrorKind::Forbidden, message) {}
};

// The database (or another service) cannot be reached right now.
class Unavailable : public Error {
  public:
    explicit Unavailable(const std::string& message) : Error(ErrorKind::Unavailable, message) {}
};

// A database statement ran past database.statement_timeout and PostgreSQL
// cancelled it (SQLSTATE 57014): the request may well succeed a moment later.
class StatementTimeout : public Unavailable {
  public:
    explicit StatementTimeout(const std::string& message) : Unavailable(message) {}
};

class ConfigError : public Error {
  public:
    explicit ConfigError(const std::string& message) : Error(ErrorKind::Config, message) {}
};

}  // namespace booking
