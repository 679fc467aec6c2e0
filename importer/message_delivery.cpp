// message_delivery.cpp — compose-and-deliver glue; see message_delivery.h.
#include "importer/message_delivery.h"

namespace ccm::importer {

Result<DeliveryOutcome, MailError> DeliverMessage(MaildirMailbox& mailbox, std::string_view folder,
                                                  MailMessage& message,
                                                  const ComposeOptions& options) {
  MaildirFlags flags{.seen = !message.unread, .draft = message.unsent};
  auto arrival = message.received ? message.received : message.sent;
  return mailbox.Deliver(folder, message.identity, flags, arrival,
                         [&](MessageSink& sink) { return ComposeMessage(message, sink, options); });
}

}  // namespace ccm::importer
