// ldif_reader.h — reads LDIF (RFC 2849) content and change records back, record by record:
// the importer's rollback reads its journal with it.
//
// Accepted: an optional "version: 1" line; comments ("#" lines, with their continuations);
// folded lines (a line starting with one space continues the previous one); CR LF or LF line
// ends; "name: value", "name:: base64" and "name:" (empty); content records; change records
// with changetype add, delete, modify (add:/delete:/replace: blocks closed by "-"; the last
// "-" of a record may be missing) and modrdn/moddn (newrdn, deleteoldrdn, newsuperior).
// Refused, with the line number: "name:< URL" values (the reader never opens files a journal
// names), "control:" lines, unknown changetypes, bad base64, attribute lines inside a modify
// block that name another attribute, records without "dn", and logical lines over 16 MiB.
//
// Streams: it holds one record at a time, so a large journal reads in constant memory.
//
// Thread safety: an LdifReader is externally synchronized; the free function is pure.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"
#include "ldap/entry.h"

namespace ccm::ldap {

/// One LDIF record.
struct LdifRecord {
  enum class Kind { kContent, kAdd, kModify, kDelete, kModRdn };
  Kind kind = Kind::kContent;
  /// dn always; attributes for kContent and kAdd.
  Entry entry;
  /// kModify only.
  std::vector<Modification> modifications;
  /// kModRdn only.
  std::string new_rdn;
  bool delete_old_rdn = false;
  std::optional<std::string> new_superior;
  /// Line number (1-based) where the record starts.
  std::size_t line = 0;
};

/// Why LDIF could not be read.
struct LdifError {
  std::size_t line = 0;  ///< 1-based line number of the offending (logical) line
  std::string message;
  /// "line 12: <message>"
  std::string what() const { return "line " + std::to_string(line) + ": " + message; }
};

/// Reads records one at a time from a stream.
class LdifReader {
 public:
  /// `source` must outlive the reader.
  explicit LdifReader(std::istream& source) : source_(source) {}
  /// The next record, std::nullopt at the end, or why the input is not valid LDIF.
  Result<std::optional<LdifRecord>, LdifError> Next();

 private:
  struct Line {
    std::string text;
    std::size_t number = 0;
  };
  /// The next logical line (unfolded, comments skipped); "" for a record separator;
  /// std::nullopt at end of input.
  Result<std::optional<Line>, LdifError> NextLogicalLine();
  bool ReadPhysical(std::string& line);

  std::istream& source_;
  std::optional<std::string> lookahead_;
  std::size_t physical_line_ = 0;
  bool first_record_ = true;
};

/// Reads every record of `text`.
Result<std::vector<LdifRecord>, LdifError> ReadLdif(std::string_view text);

}  // namespace ccm::ldap
