#!/usr/bin/env python3
"""Check an exported iCalendar file with an independent parser (PyPI `icalendar`).

    pip install icalendar
    python3 scripts/check_ics.py plan.ics [--expect-events N]

Checks that the file parses, that lines end in CRLF and are folded at 75 octets, that every
VEVENT has UID, DTSTART, DTEND and SUMMARY with a unique UID and DTEND after DTSTART, and
that every VALARM has ACTION and TRIGGER (and DESCRIPTION when it displays). Prints one line
and exits 1 on any problem, 2 when the file or the parser is missing.
"""

import argparse
import sys

try:
    import icalendar
except ImportError:
    print("check_ics: the `icalendar` package is missing: pip install icalendar", file=sys.stderr)
    sys.exit(2)

MAX_OCTETS = 75
REQUIRED = ("UID", "DTSTART", "DTEND", "SUMMARY")


def line_problems(raw: bytes) -> list[str]:
    problems = []
    if raw and not raw.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    for number, line in enumerate(raw.split(b"\r\n"), start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: a bare LF or CR")
        if len(line) > MAX_OCTETS:
            problems.append(f"line {number}: {len(line)} octets, over {MAX_OCTETS}")
    return problems


def event_problems(event, seen_uids: set) -> list[str]:
    uid = str(event.get("UID", ""))
    name = uid or str(event.get("SUMMARY", "an event without UID"))
    problems = [f"{name}: no {key}" for key in REQUIRED if key not in event]
    if uid and uid in seen_uids:
        problems.append(f"{uid}: UID used twice")
    if uid:
        seen_uids.add(uid)
    if "DTSTART" in event and "DTEND" in event:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        if type(start) is not type(end):
            problems.append(f"{name}: DTSTART and DTEND are of different types")
        elif end <= start:
            problems.append(f"{name}: DTEND {end} is not after DTSTART {start}")
    for alarm in event.walk("VALARM"):
        for key in ("ACTION", "TRIGGER"):
            if key not in alarm:
                problems.append(f"{name}: an alarm without {key}")
        if str(alarm.get("ACTION", "")).upper() == "DISPLAY" and "DESCRIPTION" not in alarm:
            problems.append(f"{name}: a DISPLAY alarm without DESCRIPTION")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="the .ics file to check")
    parser.add_argument("--expect-events", type=int, metavar="N", help="fail unless there are N VEVENTs")
    args = parser.parse_args()

    try:
        with open(args.file, "rb") as f:
            raw = f.read()
    except OSError as e:
        print(f"check_ics: cannot read {args.file}: {e.strerror}", file=sys.stderr)
        return 2

    problems = line_problems(raw)
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as e:
        print(f"FAIL {args.file}: does not parse: {e}")
        return 1
    # The parser is lenient: properties it could not read are recorded rather than raised.
    for component in calendar.walk():
        for prop, error in getattr(component, "errors", []):
            problems.append(f"{component.name} {prop}: {error}")

    events = calendar.walk("VEVENT")
    seen_uids: set = set()
    for event in events:
        problems.extend(event_problems(event, seen_uids))
    alarms = sum(len(event.walk("VALARM")) for event in events)
    if args.expect_events is not None and len(events) != args.expect_events:
        problems.append(f"{len(events)} events, expected {args.expect_events}")

    summary = f"{len(events)} events, {alarms} alarms, {len(seen_uids)} UIDs"
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        print(f"FAIL {args.file}: {summary}: {shown}")
        return 1
    print(f"ok {args.file}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
