// mime_message.h — the importer's model of one cc:Mail message (adapted from the parser's
// MAILMESSAGE record and its secondary-file chain) and its composition into an RFC 5322 + MIME
// message, streamed into a MessageSink in constant memory.
//
// Composition (details and rationale in docs/mail-delivery.md):
// - From, To, Cc, Bcc (Bcc is kept: the mailbox owner's own copy shows whom they blind-copied).
//   An SMTP address becomes `Phrase <addr>`. Any other address (CCMAIL, unknown types, a bare
//   display name, an SMTP address that is not a valid addr-spec) cannot go in angle brackets, so
//   the phrase carries the original losslessly, `"Quinn, Avery at HQPO [CCMAIL:Quinn, Avery at
//   HQPO]"`, followed by a placeholder address in the reserved .invalid TLD derived from it:
//   `<Quinn.Avery.at.HQPO@ccmail.invalid>`. That is valid in every address header (From allows
//   no group syntax) and replies bounce locally instead of reaching a stranger.
// - Subject literal when plain printable ASCII, RFC 2047 encoded-words otherwise; a free
//   document's message takes the document's name as Subject (a free document's record's subject
//   is ignored). Date from sent, else received, else ComposeOptions::date_if_unknown; always
//   rendered in UTC (+0000). Message-ID from the identity (message_identity.h);
//   X-CCM-Identity carries the identity itself; X-Priority/Importance only for high or low.
// - Body parts are concatenated in order into one text/plain; charset=UTF-8
//   quoted-printable part. Attachments, free documents and schedule data become base64
//   attachments (Content-Disposition: attachment; filename via RFC 2231 when not plain ASCII);
//   MacBinary attachments are sent as application/x-macbinary, untouched (the Mac file's data and
//   resource forks are not unpacked); schedule data goes as application/octet-stream,
//   uninterpreted. The position of an attachment in the body (`Position`) is not rendered:
//   attachments follow the text in chain order.
// - With any non-body part the message is multipart/mixed; the text part is omitted when all
//   bodies are empty (a free document is an attachment of an otherwise empty message).
// - Line ends: LF throughout by default (the Maildir convention; Dovecot and Courier expect it),
//   CR LF when ComposeOptions::crlf is set. Input text line ends (CR LF, CR, LF) are normalised.
//
// Security: all export text reaching a header passes mime_encoding's control-character
// neutralisation: CR/LF in a subject or name can never start a new header. The multipart
// boundary begins with "=_", which neither quoted-printable nor base64 output can contain.
//
// Thread safety: ComposeMessage reads the message's sources (mutating them); one message is
// composed by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "importer/content_source.h"

namespace ccm::importer {

/// A sender or recipient item: `Display Name` or `Display Name [TYPE:address]`.
struct MailAddress {
  std::string display_name;  ///< UTF-8
  std::string type;          ///< e.g. "SMTP", "CCMAIL"; empty when the item had no address
  std::string address;       ///< e.g. "mellis@example.org", "Quinn, Avery at HQPO"
};

/// What a part of a message is (a secondary section's type).
enum class PartKind { kBody, kAttachment, kDocument, kSchedule };

/// One part of a message, in chain order; its bytes are pulled from `content`.
struct MessagePart {
  PartKind kind = PartKind::kBody;
  std::string name;        ///< file name (UTF-8) of an attachment, document or schedule
  std::uint64_t size = 0;  ///< declared length (informational)
  bool macbinary = false;  ///< attachment Format = Macbinary
  std::unique_ptr<ContentSource> content;  ///< body text must be UTF-8
};

/// One message of a MAILMESSAGE section.
struct MailMessage {
  std::string identity;  ///< stable across runs; e.g. "<set>/<primary file>:<record line>"
  MailAddress sender;
  std::vector<MailAddress> to, cc, bcc;
  std::string subject;                               ///< UTF-8
  std::optional<std::chrono::sys_seconds> sent;      ///< UTC
  std::optional<std::chrono::sys_seconds> received;  ///< UTC
  int priority = 0;                                  ///< -1 low, 0 normal, 1 high
  bool unread = false;                               ///< Maildir flag, not a header
  bool unsent = false;                               ///< Maildir flag D (draft), not a header
  std::vector<MessagePart> parts;
};

/// How to compose.
struct ComposeOptions {
  bool crlf = false;  ///< CR LF line ends instead of LF
  /// Date header when the message has neither sent nor received time; unset = now.
  std::optional<std::chrono::sys_seconds> date_if_unknown;
};

/// The header form of one address item (without the header name), as described above.
std::string FormatAddress(const MailAddress& address);

/// Composes `message` into `sink`. Reads every part's source to its end.
Result<void, MailError> ComposeMessage(MailMessage& message, MessageSink& sink,
                                       const ComposeOptions& options = {});

}  // namespace ccm::importer
