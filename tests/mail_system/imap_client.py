#!/usr/bin/env python3
"""imap_client.py — what a mail client sees of a mailbox, over IMAP (python3's imaplib).

The mail-system test and scripts/demo use it against the throwaway Dovecot on 127.0.0.1.

  imap_client.py PORT USER PASSWORD dump
      logs in, prints one JSON object: {"folders": [...], "messages": [{"folder", "subject",
      "date", "internaldate" (seconds since the epoch), "flags", "attachments" (file names of
      the MIME parts)}...]}, every message of every folder once.
  imap_client.py PORT USER PASSWORD show
      the same, as a short human-readable listing (folders and subjects).
  imap_client.py PORT USER PASSWORD flag FOLDER SUBJECT FLAG
      adds FLAG (e.g. \\Flagged) to the message(s) with that subject in FOLDER.
  imap_client.py PORT USER PASSWORD login [SOURCE]
      exit 0 when the login succeeds, 3 when the server refuses it. SOURCE (e.g. 127.0.0.3) is
      the loopback address to connect from: Dovecot delays further logins from an address
      that failed one, so tests of refusals use an address each.
Other failures exit 1 with a message; nothing here decides whether a result is right.
"""
import email
import email.policy
import imaplib
import json
import socket
import sys
import time


class LoopbackImap(imaplib.IMAP4):
    """imaplib.IMAP4 connecting from a chosen loopback source address."""

    def __init__(self, port, source):
        self._source = source
        super().__init__('127.0.0.1', port)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout,
                                        source_address=(self._source, 0))


def folder_names(imap):
    typ, data = imap.list('""', '*')
    if typ != 'OK':
        raise SystemExit(f'LIST failed: {data}')
    names = []
    for line in data:
        if not line:
            continue
        text = line.decode() if isinstance(line, bytes) else line
        # (flags) "sep" name — the name is last, maybe quoted.
        name = text.rsplit(' ', 1)[1] if not text.endswith('"') else text[text.rindex(' "') + 2:-1]
        names.append(name)
    return sorted(names)


def attachments(message):
    names = []
    for part in message.walk():
        filename = part.get_filename()
        if filename:
            names.append(filename)
    return names


def dump(imap):
    folders = folder_names(imap)
    messages = []
    for folder in folders:
        typ, _ = imap.select('"' + folder + '"', readonly=True)
        if typ != 'OK':
            raise SystemExit(f'SELECT {folder} failed')
        typ, data = imap.uid('SEARCH', None, 'ALL')
        uids = data[0].split() if data and data[0] else []
        for uid in uids:
            typ, parts = imap.uid('FETCH', uid, '(FLAGS INTERNALDATE BODY.PEEK[])')
            if typ != 'OK':
                raise SystemExit(f'FETCH {folder} {uid} failed')
            meta, raw = parts[0][0], parts[0][1]
            # \Recent belongs to the session, not to the message.
            flags = sorted(f.decode() for f in imaplib.ParseFlags(meta) if f != b'\\Recent')
            internal = imaplib.Internaldate2tuple(meta)
            message = email.message_from_bytes(raw, policy=email.policy.default)
            messages.append({
                'folder': folder,
                'subject': str(message['Subject']),
                'date': str(message['Date']),
                'internaldate': int(time.mktime(internal)) if internal else None,
                'flags': flags,
                'attachments': attachments(message),
            })
    return {'folders': folders, 'messages': messages}


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 64
    port, user, password, command = int(argv[1]), argv[2], argv[3], argv[4]
    source = argv[5] if command == 'login' and len(argv) > 5 else '127.0.0.1'
    imap = LoopbackImap(port, source)
    try:
        imap.login(user, password)
    except imaplib.IMAP4.error as e:
        if command == 'login':
            print(f'login refused: {e}')
            return 3
        raise SystemExit(f'login as {user} failed: {e}')
    try:
        if command == 'login':
            print('login accepted')
        elif command == 'dump':
            print(json.dumps(dump(imap), indent=1, sort_keys=True))
        elif command == 'show':
            view = dump(imap)
            for folder in view['folders']:
                print(folder)
                for m in view['messages']:
                    if m['folder'] == folder:
                        seen = 'read  ' if '\\Seen' in m['flags'] else 'unread'
                        extra = f"  [{', '.join(m['attachments'])}]" if m['attachments'] else ''
                        print(f"    {seen}  {m['date']}  {m['subject']}{extra}")
        elif command == 'flag' and len(argv) == 8:
            folder, subject, flag = argv[5], argv[6], argv[7]
            imap.select('"' + folder + '"')
            typ, data = imap.uid('SEARCH', None, 'HEADER', 'Subject', '"' + subject + '"')
            uids = data[0].split() if data and data[0] else []
            if not uids:
                raise SystemExit(f'no message "{subject}" in {folder}')
            for uid in uids:
                typ, _ = imap.uid('STORE', uid, '+FLAGS', '(' + flag + ')')
                if typ != 'OK':
                    raise SystemExit(f'STORE failed for {uid}')
            imap.close()
        else:
            print(__doc__, file=sys.stderr)
            return 64
    finally:
        imap.logout()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
