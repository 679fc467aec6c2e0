// check_command.h — `ccmigrate check PATH.pkl [--json] [--lenient]`: validates a whole file set
// and reports it.
//
// Output: each problem as "FILE:LINE: severity: message" (secondary files: the byte offset in
// place of the line), then a summary (users, users missing a MAILMESSAGE section, sections by
// kind, messages, attachments, documents, bytes). With --json: one JSON object with the keys
// valid, users, users_missing_mailmessage, sections, messages, attachments, documents, bytes,
// problems (objects with file, line or offset, severity, message), plus file, code_page,
// errors, warnings and problems_not_shown. Exit: 0 valid, 1 valid with warnings, 2 invalid,
// 64 usage error. It only reads: files are opened read-only without following links.
#pragma once

#include "cli/command_line.h"

namespace ccm::cli {

extern const Command kCheckCommand;

}  // namespace ccm::cli
