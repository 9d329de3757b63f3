#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# smtp-sink.py ADDR PORT OUT: an SMTP server (the stdlib's smtpd, for the
# tests) appending each message to OUT as "MAIL FROM/RCPT TO" lines, its
# From, To and Subject header lines and a blank line.
import asyncore
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import smtpd  # noqa: E402


class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        if isinstance(data, bytes):
            data = data.decode("utf-8", "replace")
        out = ["MAIL FROM:<%s>" % mailfrom]
        out += ["RCPT TO:<%s>" % r for r in rcpttos]
        for line in data.splitlines():
            if line == "":
                break
            if line.split(":")[0] in ("From", "To", "Subject"):
                out.append(line)
        with open(sys.argv[3], "a") as f:
            f.write("\n".join(out) + "\n\n")


Sink((sys.argv[1], int(sys.argv[2])), None)
asyncore.loop()
