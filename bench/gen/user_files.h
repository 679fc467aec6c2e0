// user_files.h — writes one user's primary file (PAB and MAILMESSAGE sections) and secondary
// file (bodies, attachments, free documents, Other sections), the way the cc:Mail extractor lays
// them out: NNNNNNNN.PRI / NNNNNNNN.SEC per user.
//
// Every pointer is the offset at which the section header was actually written.
// Users chosen by --no-mail-every get no MAILMESSAGE section (the KB Q194218 case): a primary
// file with only their PAB section, or no file at all.
// Thread safety: pure apart from the files it creates.
#pragma once

#include <cstdint>
#include <string>

#include "bench/gen/output_file.h"
#include "bench/gen/people.h"
#include "bench/gen/set_options.h"
#include "ccm/result.h"

namespace ccm::bench {

/// Which sections a user gets, decided from the options and the user index alone.
struct UserShape {
  bool has_mail = true;
  bool has_pab = false;
};
UserShape ShapeOfUser(const SetOptions& options, std::uint64_t index);

/// Writes user `index`'s files into options.out, lists them in `packing_list` and counts them
/// in `summary`.
Result<void, std::string> WriteUserFiles(const SetOptions& options, std::uint64_t index,
                                         const Person& person, OutputFile& packing_list,
                                         SetSummary& summary);

}  // namespace ccm::bench
