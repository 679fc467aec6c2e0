// fix_command.h — `ccmigrate fix PATH.pkl --out DIR [--accounts FILE] [--lenient]`: writes a
// corrected copy of a valid set in which every user has a MAILMESSAGE section (KB Q194218;
// docs/file-format.md#users-and-the-missing-mailmessage-sections).
//
// Refuses (exit 2, nothing written) an invalid input set, an --out that exists and is not an
// empty directory, and an --out that is the input directory. DIR is created when missing (its
// parent must exist). Listed files are copied byte-identically (copies, never hard links);
// primaries that hold a user's PAB section get the new section appended to their copy;
// otherwise new sections go into one new primary file (CCMFIX01.PRI); the packing list is
// rewritten with the new file listed last. Exactly one .pkl is written. Prints, per user, where
// the section went and why; then re-checks the written set. Exit: 0 written and valid, 1
// written with warnings, 2 refused or invalid, 64 usage, 75 a write failed.
#pragma once

#include "cli/command_line.h"

namespace ccm::cli {

extern const Command kFixCommand;

}  // namespace ccm::cli
