// plan_command.h — `ccmigrate plan --config FILE PATH.pkl`: the dry run of an import's
// directory half.
//
// Validates the whole set (an invalid set is refused with the check-style problem lines on
// stderr, exit 2), builds the users (every user of 10.5 step 1, including those the in-memory
// Q194218 fix gives an empty MAILMESSAGE section, plus MAILMESSAGE owners), resolves them with
// pipelined searches and prints ONLY LDIF on stdout: the exact changes `import` would apply
// (changetype modify with their assertion controls, or add), each user's decision, reason and
// warnings as '#' comments, and a '#' summary. It never writes to the directory. Logs go to
// stderr. The password file's content is never printed.
//
// Exit codes: 0 clean plan, 1 plan with warnings (skips, conflicts allowed by policy, near
// misses, set warnings other than the Q194218 one the in-memory fix resolves; "info: " notes
// such as the DIRECTORY-record collision do not count), 2 refused (invalid set, or a conflict/skip
// the policy rejects; the LDIF is still printed so the operator sees why), 64 usage, 75 directory
// unreachable, 78 configuration error.
#pragma once

#include "cli/command_line.h"

namespace ccm::cli {

extern const Command kPlanCommand;

}  // namespace ccm::cli
