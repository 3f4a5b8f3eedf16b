#!/usr/bin/env python3
"""Export writers against independent readers: random-ish booking fields
(commas, quotes, line breaks, backslashes, semicolons, non-ASCII, long lines,
formula characters) written by bookingd's CSV and iCalendar writers
(export_writer) come back as the same values through Python's csv module and
the icalendar package. Usage: test_export_roundtrip.py EXPORT_WRITER [SEED]"""
import csv
import datetime as dt
import io
import json
import random
import subprocess
import sys

import icalendar

FORMULA = "=+-@\t\r"
# Fields only the CSV carries get backslashes too; the iCalendar fields do not,
# because python3-icalendar 4.0 misreads escaped backslashes: libical writes
# the text x\;y correctly as x\\\;y, and icalendar reads that back as x;y.
ICS_ALPHABET = (list("abcxyzABC019 ,;:\"'=+-@./()&|") + ["\t", "\n", "\r\n", "\r", "é", "ß",
                "日本", "😀", "—", "\u00a0"])
CSV_ALPHABET = ICS_ALPHABET + ["\\"]
# libical writes no time after 3000-12-31 (DTSTART:00000000T000000); the
# daemon's horizon keeps bookings far from it.
LATEST = 32535215999


def text(rng, longest, alphabet=ICS_ALPHABET):
    n = rng.choice([0, 1, 2, 5, 20, longest])
    return "".join(rng.choice(alphabet) for _ in range(n))


def booking(rng, i):
    start = rng.randrange(0, LATEST - 86400)
    b = {
        "id": i, "status": rng.choice(["confirmed", "cancelled"]), "start": start,
        "end": start + rng.randrange(0, 86400), "created_at": rng.randrange(0, LATEST),
        "duration_minutes": rng.randrange(0, 1440), "sequence": rng.randrange(0, 100),
        "service": text(rng, 30), "resource": text(rng, 30, CSV_ALPHABET),
        "customer_name": text(rng, 80, CSV_ALPHABET), "customer_email": text(rng, 40, CSV_ALPHABET), "notes": text(rng, 300),
        "service_name": text(rng, 120), "resource_name": text(rng, 120),
    }
    if rng.random() < 0.5:
        b["cancelled_at"] = rng.randrange(0, LATEST)
    return b


def run(writer, fmt, payload):
    done = subprocess.run([writer, fmt], input=json.dumps(payload).encode(), capture_output=True)
    if done.returncode != 0:
        sys.exit(f"export_writer {fmt} failed ({done.returncode}): {done.stderr.decode()}")
    return done.stdout.decode("utf-8")


def utc(seconds):
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ical_text(value):
    """What the iCalendar writer promises for TEXT: CR LF, CR and LF each end
    a line (written as LF); other control characters except TAB are left out."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if c in "\t\n" or not (ord(c) < 32 or ord(c) == 127))


def same_csv(written, read):
    # A field a spreadsheet would run as a formula may come back with a leading '.
    return read == written or (written[:1] in FORMULA and written != "" and read == "'" + written)


def main():
    writer = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    rng = random.Random(seed)
    bookings = [booking(rng, i) for i in range(1, 301)]
    context = {"uid_host": "bookings.example", "business_name": "Cut, \"Dry\"; & Co",
               "time_zone": "Europe/London"}
    payload = {"context": context, "bookings": bookings}
    failures = []

    rows = list(csv.reader(io.StringIO(run(writer, "csv", payload), newline="")))
    if len(rows) != len(bookings) + 1:
        sys.exit(f"CSV: {len(rows)} records for {len(bookings)} bookings and a header")
    header = rows[0]
    for b, row in zip(bookings, rows[1:]):
        got = dict(zip(header, row))
        for field in ("status", "service", "resource", "customer_name", "customer_email", "notes"):
            if not same_csv(b[field], got[field]):
                failures.append(f"CSV booking {b['id']} {field}: wrote {b[field]!r}, read {got[field]!r}")
        for field in ("id", "duration_minutes"):
            if got[field] != str(b[field]):
                failures.append(f"CSV booking {b['id']} {field}: {got[field]!r}")
        for field in ("start", "end", "created_at"):
            if got[field] != utc(b[field]):
                failures.append(f"CSV booking {b['id']} {field}: {got[field]!r} is not {utc(b[field])}")
        want = utc(b["cancelled_at"]) if "cancelled_at" in b else ""
        if got["cancelled_at"] != want:
            failures.append(f"CSV booking {b['id']} cancelled_at: {got['cancelled_at']!r}")

    calendar = icalendar.Calendar.from_ical(run(writer, "ics", payload))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    if len(events) != len(bookings):
        sys.exit(f"iCalendar: {len(events)} events for {len(bookings)} bookings")
    for b in bookings:
        uid = f"booking-{b['id']}@{context['uid_host']}"
        e = events.get(uid)
        if e is None:
            failures.append(f"iCalendar: no event {uid}")
            continue
        service = b["service_name"] or b["service"]
        summary = ical_text(service + " \u2014 " + context["business_name"])
        if str(e["SUMMARY"]) != summary:
            failures.append(f"iCalendar {uid} SUMMARY: {str(e['SUMMARY'])!r} is not {summary!r}")
        if b["resource_name"]:
            location = str(e.get("LOCATION", ""))
            if location != ical_text(b["resource_name"]):
                failures.append(f"iCalendar {uid} LOCATION: {location!r} is not {ical_text(b['resource_name'])!r}")
        description = str(e["DESCRIPTION"])
        if b["notes"] and not description.endswith("\nNotes: " + ical_text(b["notes"])):
            failures.append(f"iCalendar {uid} DESCRIPTION {description!r} lacks the notes {ical_text(b['notes'])!r}")
        for prop, field in (("DTSTART", "start"), ("DTEND", "end")):
            when = e[prop].dt if e.get(prop) is not None else None
            if when is None:
                failures.append(f"iCalendar {uid} {prop}: unreadable ({e.errors})")
                continue
            if int(when.timestamp()) != b[field]:
                failures.append(f"iCalendar {uid} {prop}: {when} is not {utc(b[field])}")
        want_status = "CANCELLED" if b["status"] == "cancelled" else "CONFIRMED"
        if str(e["STATUS"]) != want_status or int(e["SEQUENCE"]) != b["sequence"]:
            failures.append(f"iCalendar {uid} STATUS/SEQUENCE: {e['STATUS']} {e['SEQUENCE']}")

    for f in failures[:20]:
        print(f)
    if failures:
        sys.exit(f"{len(failures)} fields did not read back the same (seed {seed})")
    print(f"{len(bookings)} bookings: every CSV and iCalendar field read back the same (seed {seed})")


if __name__ == "__main__":
    main()
