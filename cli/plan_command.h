// plan_command.h — `ccmigrate plan --config FILE PATH.pkl`: the dry run of an import's
// directory half.
//
// Runs the import's own first steps (importer::PrepareImport: validate, users and the in-memory
// Q194218 fix, resolve, plan) with the import's options, so the plan printed is the plan
// `import` applies. The set's problems go to stderr (an invalid set is refused, exit 2); stdout
// gets ONLY LDIF: the exact changes (changetype modify with their assertion controls, or add),
// each user's decision, reason, warnings and notes as '#' comments, and a '#' summary. It never
// writes to the directory. Logs go to stderr. The password file's content is never printed.
//
// Exit codes (exit_codes.h, from the prepared report): 0 clean plan, 1 plan with warnings
// (skips, conflicts allowed by policy, near misses, set warnings; the missing MAILMESSAGE
// sections the in-memory fix supplies and notes do not count), 2 refused (invalid set, or a
// conflict/skip the policy rejects; the LDIF is still printed so the operator sees why), 64
// usage, 75 directory unreachable, 78 configuration error.
#pragma once

#include "cli/command_line.h"

namespace ccm::cli {

extern const Command kPlanCommand;

}  // namespace ccm::cli
