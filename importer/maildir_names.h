// maildir_names.h — how export data becomes names inside the mail store: the mailbox directory
// from a mailbox key, and the Maildir++ folder directory from the MAILMESSAGE `Folder` column.
// Nothing from the export becomes a path any other way.
//
// Mailbox directory: the key itself (the entry's ccmMailStore value, chosen by the caller) when
// it is a usable folder name: 1..200 bytes of [A-Za-z0-9._@+-], not starting with `.`. So a
// mail server configured with the ccmMailStore attribute finds the mailbox under the root; the
// planner only ever stores such values. Any other key is escaped: every byte outside
// [A-Za-z0-9_@+-], and every `.`, written as %XX; over 200 bytes, cut and suffixed with "~" and
// 16 hex digits of SHA-256 of the key. Never empty, `.` or `..`, never contains `/`.
// A store may hold a mailbox under the escaped form of a usable key (`j%2Edoe` for `j.doe`):
// MaildirMailbox::Open renames it to the key, so the folder and the directory value agree.
//
// Folder mapping (the Folder column; `\` separates levels; names compare case-insensitively):
//   "" or "Inbox"          -> ""          (INBOX: the mailbox directory itself)
//   "Sent Items"           -> ".Sent"
//   "Deleted Items"        -> ".Trash"
//   "Outbox"               -> ".Outbox"
//   "Inbox\X"              -> ".INBOX.X"  (a child of INBOX, as Dovecot stores it)
//   "Sent Items\X"         -> ".Sent.X"   (special names map at the top level only)
//   "A\B"                  -> ".A.B"
// Each level: leading/trailing spaces trimmed, empty levels dropped, control characters become
// `_`, `.` becomes U+FF0E and `/` U+2215 (look-alikes: `.` is Maildir++'s separator and `/`
// the file system's), then the level is written in IMAP modified UTF-7 (RFC 3501 5.1.3), as
// Dovecot and Courier store folder names; a level longer than 100 bytes is cut and suffixed
// with "~" and 8 hex digits of its hash. A directory name that would exceed 240 bytes keeps its
// first levels and collapses the rest into one hashed level.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "importer/content_source.h"

namespace ccm::importer {

/// True when `key` is used as the mailbox's directory name as it is (see above).
bool IsUsableMailboxDirectoryName(std::string_view key);

/// The directory name of a mailbox under the store root; an empty key is an error.
Result<std::string, MailError> MailboxDirectoryName(std::string_view key);

/// The escaped form of a key: a usable name for any key, and the name MaildirMailbox::Open
/// renames to a usable key (one holding a dot) when it finds it.
Result<std::string, MailError> EscapedMailboxDirectoryName(std::string_view key);

/// The Maildir++ folder directory ("" for INBOX, else ".A.B") for a `Folder` column value.
std::string MaildirFolderDirectory(std::string_view folder_column);

/// IMAP modified UTF-7 of UTF-8 text (invalid UTF-8 sequences become U+FFFD).
std::string ModifiedUtf7(std::string_view utf8);

}  // namespace ccm::importer
