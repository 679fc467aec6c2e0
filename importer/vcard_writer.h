// vcard_writer.h — writes vCard 4.0 text (RFC 6350): content lines with escaped values and
// parameters, folded at 75 octets, CR LF line ends. Knows nothing of cc:Mail.
//
// Values: Text() and Structured() escape `\`, `,`, `;` and line breaks (CR LF, CR and LF all
// become `\n`) as RFC 6350 section 3.4 says; other control characters become spaces. Uri()
// writes a URI value as given (the caller builds a valid one, e.g. with MailtoUri()).
// Parameter values holding `:` or `;` are quoted (a `,` separates a parameter's values, as in
// TYPE=work,voice); a DQUOTE or a control character in one
// becomes a space (a parameter value cannot hold them, RFC 6350 section 3.3).
// Folding: a line longer than 75 octets continues on the next line after CR LF and one space,
// never inside a UTF-8 sequence.
// Input must be UTF-8 (the importer converts every set text first).
//
// Thread safety: a VCardWriter is a single-owner object.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccm::importer {

/// A property parameter: name and value(s), e.g. {"TYPE", "work,voice"}.
using VCardParameter = std::pair<std::string, std::string>;

/// Accumulates cards.
class VCardWriter {
 public:
  /// BEGIN:VCARD and VERSION:4.0.
  void Begin();
  /// END:VCARD.
  void End();
  /// A text property (FN, NOTE, TITLE...), value escaped.
  void Text(std::string_view name, std::string_view value,
            const std::vector<VCardParameter>& parameters = {});
  /// A structured property (N, ADR, ORG): components escaped each, joined by ';'.
  void Structured(std::string_view name, const std::vector<std::string>& components,
                  const std::vector<VCardParameter>& parameters = {});
  /// A property whose value is a URI or a token (UID, MEMBER, KIND), written as given.
  void Uri(std::string_view name, std::string_view value,
           const std::vector<VCardParameter>& parameters = {});

  /// The text written so far.
  const std::string& text() const { return text_; }

 private:
  void Line(std::string_view name, const std::vector<VCardParameter>& parameters,
            std::string_view value);
  std::string text_;
};

/// A value escaped as RFC 6350 TEXT (see the file comment).
std::string EscapeVCardText(std::string_view value);

/// Folds one unfolded content line (without its line end) at 75 octets; returns it with CR LF.
std::string FoldVCardLine(std::string_view line);

/// "mailto:" + `address`, percent-encoding every byte outside the characters an addr-spec
/// may carry unencoded in a mailto URI (RFC 6068).
std::string MailtoUri(std::string_view address);

/// "urn:uuid:" + a UUID made from SHA-256 of `seed` (version 8, RFC 9562): stable for a seed.
std::string UuidUrnFor(std::string_view seed);

}  // namespace ccm::importer
