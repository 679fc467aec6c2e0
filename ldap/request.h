// request.h — what a caller asks of ccm::ldap::Client beyond plain entries: search requests
// and results, and request controls (the RFC 4528 assertion control the importer's convert
// uses so that a concurrent change makes the modify fail instead of double-applying).
//
// Thread safety: plain value types.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "ldap/entry.h"
#include "ldap/error.h"
#include "ldap/filter.h"

namespace ccm::ldap {

/// Search scope (RFC 4511 4.5.1.2).
enum class Scope { kBase, kOneLevel, kSubtree };

/// A search. Results come back whole (every page collected, unless one_page) in a SearchResult.
struct SearchRequest {
  std::string base;
  Scope scope = Scope::kSubtree;
  Filter filter = Filter::Present("objectClass");
  /// Attributes to return; empty means all user attributes. "1.1" means none.
  std::vector<std::string> attributes;
  /// Client-requested size limit (0 = none). Exceeding it is not an error: see
  /// SearchResult::size_limit_exceeded.
  int size_limit = 0;
  /// Server-side time limit (0 = none); the client's operation timeout still applies.
  std::chrono::seconds time_limit{0};
  /// RFC 2696 page size (0 = no paging). With paging, the client fetches page after page on
  /// its own until the server's cookie is empty; server size limits then apply per page.
  int page_size = 0;
  /// With page_size > 0: fetch one page only, the one `page_cookie` names ("" = the first), so
  /// that a caller can look at each page before asking for the next (or stop asking). The
  /// result's next_page_cookie names the page after it. The server keeps a paged search's state
  /// per connection: the next page must be asked for on the same Client.
  bool one_page = false;
  std::string page_cookie;
};

/// The entries a search returned.
struct SearchResult {
  std::vector<Entry> entries;
  /// The server stopped at a size limit (result code 4): `entries` is incomplete.
  bool size_limit_exceeded = false;
  /// For a one_page search: the cookie of the next page, "" when this page was the last.
  std::string next_page_cookie;
};

/// A request control (RFC 4511 4.1.11).
struct Control {
  std::string oid;
  std::string value;  ///< BER-encoded control value; may be empty
  bool critical = true;
};

/// The RFC 4528 assertion control: the operation fails with assertionFailed (122), changing
/// nothing, unless the target entry matches `assertion`. Fails only for an invalid filter.
Result<Control, Error> AssertionControl(const Filter& assertion);

}  // namespace ccm::ldap
