#!/usr/bin/python3
# read_delivered.py — reads a delivered Maildir++ store back with parsers ccmigrate did not
# write, for the importer's tests: Python's email package for the messages and Debian's
# python3-vobject for the vCard address books. Prints one fact per line, sorted, so a test can
# look for exact lines:
#   message <subject>: from <name> <addr>        (also to, cc, bcc; one line per address)
#   vcard <file>: <FN>: kind <individual|group>
#   vcard <file>: <FN>: email <addr> | x-ccmail-address <value> | tel <types> <number> |
#                       adr <components joined by |> | org <units joined by |> | title <t> |
#                       note <text, line breaks as \n> | member <FN of the card> | member <uri>
# A member urn:uuid: is resolved to the FN of the card of the same file with that UID; one that
# names no card prints "member UNRESOLVED <uri>".
# Usage: read_delivered.py MAILDIR_ROOT
import email
import email.policy
import os
import sys

import vobject


def values(card, name):
    return [c.value for c in card.contents.get(name, [])]


def card_facts(prefix, cards):
    by_uid = {}
    for card in cards:
        for uid in values(card, "uid"):
            by_uid[uid] = values(card, "fn")[0]
    facts = []
    for card in cards:
        fn = values(card, "fn")[0]
        head = "%s: %s: " % (prefix, fn)
        kind = (values(card, "kind") or ["individual"])[0].lower()
        facts.append(head + "kind " + kind)
        for e in values(card, "email"):
            facts.append(head + "email " + e)
        for x in values(card, "x-ccmail-address"):
            facts.append(head + "x-ccmail-address " + x)
        for tel in card.contents.get("tel", []):
            types = ",".join(sorted(t.lower() for t in tel.params.get("TYPE", [])))
            facts.append(head + "tel %s %s" % (types, tel.value))
        for adr in values(card, "adr"):
            parts = [adr.box, adr.extended, adr.street, adr.city, adr.region, adr.code,
                     adr.country]
            facts.append(head + "adr " + "|".join(parts))
        for org in values(card, "org"):
            facts.append(head + "org " + "|".join(org))
        for title in values(card, "title"):
            facts.append(head + "title " + title)
        for note in values(card, "note"):
            facts.append(head + "note " + note.replace("\n", "\\n"))
        for member in values(card, "member"):
            if member.startswith("urn:uuid:"):
                facts.append(head + "member " + by_uid.get(member, "UNRESOLVED " + member))
            else:
                facts.append(head + "member " + member)
    return facts


def message_facts(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    subject = str(msg["subject"])
    facts = []
    for field in ("from", "to", "cc", "bcc"):
        header = msg[field]
        if header is None:
            continue
        for address in header.addresses:
            facts.append("message %s: %s %s <%s>" % (subject, field, address.display_name,
                                                     address.addr_spec))
    for part in msg.walk():
        filename = part.get_filename()
        if part.get_content_type() != "text/vcard" or not filename:
            continue
        text = part.get_payload(decode=True).decode("utf-8")
        cards = list(vobject.readComponents(text, validate=True))
        facts.append("vcard %s: %d cards" % (filename, len(cards)))
        facts.extend(card_facts("vcard " + filename, cards))
    return facts


def main():
    facts = []
    for directory, _, files in os.walk(sys.argv[1]):
        if os.path.basename(directory) not in ("cur", "new"):
            continue
        for name in files:
            facts.extend(message_facts(os.path.join(directory, name)))
    for fact in sorted(facts):
        print(fact)


main()
