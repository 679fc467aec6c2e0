// message_delivery.h — the one call plan/apply needs per message: compose a MailMessage
// (mime_message.h) straight into a MaildirMailbox (maildir_store.h), streaming, with the flags
// and arrival date taken from the message: S unless Unread, D when Unsent, mtime = received
// (else sent) time.
//
// Thread safety: as MaildirMailbox (externally synchronized).
#pragma once

#include <string_view>

#include "importer/maildir_store.h"
#include "importer/mime_message.h"

namespace ccm::importer {

/// Delivers `message` into `folder` (a `Folder` column value) of `mailbox`, unless an earlier
/// run already did. Queued messages become durable at the mailbox's next batch sync or Flush().
Result<DeliveryOutcome, MailError> DeliverMessage(MaildirMailbox& mailbox, std::string_view folder,
                                                  MailMessage& message,
                                                  const ComposeOptions& options = {});

}  // namespace ccm::importer
