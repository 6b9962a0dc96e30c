#!/usr/bin/env bash
# Starts a local SMTP sink for the tests of emailed password links, or reuses a running one,
# and prints the lines to export: AUTODIDACT_TEST_SMTP (host:port) and AUTODIDACT_TEST_MAILDIR
# (where each message lands, one file per message under new/). Nothing is ever sent anywhere:
# aiosmtpd's Mailbox handler writes every message it receives to the Maildir.
#
#   eval "$(bash scripts/start-smtp-sink.sh)"
set -euo pipefail
port=${AUTODIDACT_TEST_SMTP_PORT:-2525}
root=/tmp/autodidact-smtp-sink
maildir=$root/maildir

if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd >&2
fi
mkdir -p "$root"
if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "start-smtp-sink: starting on 127.0.0.1:$port, writing to $maildir" >&2
  # -n: stay the current user (as root it would switch to nobody and lose the Maildir).
  nohup python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$maildir" \
    >"$root/aiosmtpd.log" 2>&1 &
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { cat "$root/aiosmtpd.log" >&2; exit 1; }
fi
echo "export AUTODIDACT_TEST_SMTP=127.0.0.1:$port"
echo "export AUTODIDACT_TEST_MAILDIR=$maildir"
