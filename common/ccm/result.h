// result.h — Result<T, E>: a value or an error, the way every library boundary in ccmigrate
// reports failure. Errors are values: no exception crosses a layer (parser/, ldap/, importer/).
//
// It is the small subset of C++23's std::expected that the project needs; GCC 12 offers
// std::expected only under -std=c++23, and the project is C++20. An error is built with
// ccm::Fail(error) so that a Result<T, E> where T and E could convert into each other stays
// unambiguous.
//
// Thread safety: a plain value type; externally synchronized like any other.
#pragma once

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace ccm {

/// The error half of a Result, tagged so that construction is never ambiguous.
template <class E>
struct Failure {
  E error;
};

/// Wraps an error for returning from a function that returns Result<T, E>.
template <class E>
Failure<std::decay_t<E>> Fail(E&& error) {
  return Failure<std::decay_t<E>>{std::forward<E>(error)};
}

/// A T, or an E that says why there is no T.
template <class T, class E>
class [[nodiscard]] Result {
 public:
  /// A successful result holding `value`.
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  /// A failed result holding `failure.error`.
  template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
  Result(Failure<F> failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}

  /// True when the result holds a value.
  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; only valid when ok().
  T& value() & { return Get<0>(); }
  const T& value() const& { return Get<0>(); }
  T&& value() && { return std::move(Get<0>()); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; only valid when !ok().
  E& error() & { return Get<1>(); }
  const E& error() const& { return Get<1>(); }
  E&& error() && { return std::move(Get<1>()); }

 private:
  template <std::size_t I>
  auto& Get() {
    assert(state_.index() == I);
    return *std::get_if<I>(&state_);
  }
  template <std::size_t I>
  const auto& Get() const {
    assert(state_.index() == I);
    return *std::get_if<I>(&state_);
  }

  std::variant<T, E> state_;
};

/// Success with nothing to return, or an E.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  /// A successful result.
  Result() = default;
  /// A failed result holding `failure.error`.
  template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
  Result(Failure<F> failure) : error_(std::move(failure.error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }

  /// The error; only valid when !ok().
  E& error() & { return *error_; }
  const E& error() const& { return *error_; }
  E&& error() && { return std::move(*error_); }

 private:
  std::optional<E> error_;
};

}  // namespace ccm
