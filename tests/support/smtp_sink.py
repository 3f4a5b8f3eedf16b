#!/usr/bin/python3
"""A real SMTP server for the tests (Debian's python3-aiosmtpd) that stores
every message it accepts as a file.

    smtp_sink.py serve --dir DIR [--port N] [--port-file FILE] [options]
        run in the foreground until SIGTERM/SIGINT
    smtp_sink.py start STATE_DIR [options]     the CTest fixture `smtp`: start
        a sink in the background, wait until it listens, write STATE_DIR/env
        (SMTP_PORT, SMTP_DIR, SMTP_PID) and exit
    smtp_sink.py stop STATE_DIR                stop it (keeps the messages)
    smtp_sink.py inspect FILE.eml              print a JSON summary of a stored
        message: headers (raw and decoded), MIME structure, the text, and the
        calendar as parsed by python3-icalendar

Messages go to DIR/<recipient domain>/<n>.eml (n counts up from 1 per
domain), the envelope to <n>.json next to it; the .eml appears (by rename) only
once both are complete, so a test that sees it can read it. DIR/stats.json
holds {"connections": C, "messages": M}, rewritten on every change.

Options for serve and start:
    --starttls CERT KEY     offer STARTTLS with this certificate
    --implicit-tls CERT KEY speak TLS from the first byte (SMTPS)
    --auth USER:PASSWORD    require AUTH (PLAIN or LOGIN) with these credentials
    --reject-rcpt TEXT      answer 550 to recipients containing TEXT (repeatable)
    --tempfail-rcpt TEXT    answer 451 to recipients containing TEXT (repeatable)
    --delay SECONDS         wait this long before accepting each message
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys
import time

HOST = "127.0.0.1"


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.connections = 0
        self.messages = 0
        self.counters = {}
        os.makedirs(directory, exist_ok=True)
        self.save_stats()

    def save_stats(self):
        stats = {"connections": self.connections, "messages": self.messages}
        write_atomically(os.path.join(self.directory, "stats.json"),
                         json.dumps(stats).encode())

    def connection(self):
        self.connections += 1
        self.save_stats()

    def message(self, envelope, connection_number):
        domains = sorted({r.rpartition("@")[2].lower() or "unknown" for r in envelope.rcpt_tos})
        for domain in domains:
            safe = "".join(c if c.isalnum() or c in ".-_" else "_" for c in domain)
            folder = os.path.join(self.directory, safe)
            os.makedirs(folder, exist_ok=True)
            n = self.counters.get(safe, 0) + 1
            self.counters[safe] = n
            base = os.path.join(folder, "%d" % n)
            meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                    "connection": connection_number, "received_at": time.time()}
            write_atomically(base + ".json", json.dumps(meta).encode())
            write_atomically(base + ".eml", envelope.original_content or envelope.content)
        self.messages += 1
        self.save_stats()


class Handler:
    def __init__(self, store, args):
        self.store = store
        self.args = args

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if any(t in address for t in self.args.reject_rcpt):
            return "550 5.1.1 no such user here"
        if any(t in address for t in self.args.tempfail_rcpt):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.delay:
            await asyncio.sleep(self.args.delay)
        self.store.message(envelope, getattr(session, "sink_connection", 0))
        return "250 OK: stored"


def tls_context(cert_and_key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_and_key[0], cert_and_key[1])
    return context


def serve(args):
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    store = Store(args.dir)
    handler = Handler(store, args)
    credentials = None
    if args.auth:
        user, _, password = args.auth.partition(":")
        credentials = (user.encode(), password.encode())

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and
              (auth_data.login, auth_data.password) == credentials)
        return AuthResult(success=ok, handled=False)

    class CountingSMTP(SMTP):
        def connection_made(self, transport):
            super().connection_made(transport)
            store.connection()
            self.session.sink_connection = store.connections

    def factory():
        options = {"hostname": "sink.test", "ident": "bookingd test sink"}
        if args.starttls:
            options["tls_context"] = tls_context(args.starttls)
        if credentials:
            options.update(authenticator=authenticator, auth_required=True,
                           auth_require_tls=False)
        return CountingSMTP(handler, **options)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server_ssl = tls_context(args.implicit_tls) if args.implicit_tls else None
    server = loop.run_until_complete(
        loop.create_server(factory, HOST, args.port, ssl=server_ssl))
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        write_atomically(args.port_file, str(port).encode())
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()


def start(args):
    state = os.path.abspath(args.state)
    os.makedirs(state, exist_ok=True)
    env_file = os.path.join(state, "env")
    if os.path.exists(env_file):
        stop(args, quiet=True)
    directory = os.path.join(state, "messages")
    port_file = os.path.join(state, "port")
    if os.path.exists(port_file):
        os.remove(port_file)
    command = [sys.executable, os.path.abspath(__file__), "serve", "--dir", directory,
               "--port-file", port_file] + forwarded_options(args)
    log = open(os.path.join(state, "sink.log"), "ab")
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                             start_new_session=True)
    deadline = time.time() + 30
    while not os.path.exists(port_file):
        if child.poll() is not None or time.time() > deadline:
            sys.exit("smtp_sink.py: the sink did not start; see %s/sink.log" % state)
        time.sleep(0.05)
    with open(port_file) as f:
        port = f.read().strip()
    write_atomically(env_file, ("SMTP_PORT=%s\nSMTP_DIR=%s\nSMTP_PID=%d\n" %
                                (port, directory, child.pid)).encode())
    print("smtp_sink.py: listening on %s:%s, messages in %s" % (HOST, port, directory))


def stop(args, quiet=False):
    env_file = os.path.join(os.path.abspath(args.state), "env")
    try:
        with open(env_file) as f:
            values = dict(line.strip().split("=", 1) for line in f if "=" in line)
    except FileNotFoundError:
        if not quiet:
            print("smtp_sink.py: nothing to stop")
        return
    pid = int(values.get("SMTP_PID", "0"))
    if pid > 0:
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.05)
        except ProcessLookupError:
            pass
    os.remove(env_file)
    if not quiet:
        print("smtp_sink.py: stopped")


def forwarded_options(args):
    out = []
    if args.starttls:
        out += ["--starttls"] + args.starttls
    if args.implicit_tls:
        out += ["--implicit-tls"] + args.implicit_tls
    if args.auth:
        out += ["--auth", args.auth]
    for t in args.reject_rcpt:
        out += ["--reject-rcpt", t]
    for t in args.tempfail_rcpt:
        out += ["--tempfail-rcpt", t]
    if args.delay:
        out += ["--delay", str(args.delay)]
    return out


def inspect(args):
    import email
    import email.header
    import email.policy

    with open(args.file, "rb") as f:
        raw = f.read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    strict = email.message_from_bytes(raw, policy=email.policy.strict)
    summary = {
        "defects": [type(d).__name__ for d in message.defects],
        "headers": [[k, str(v)] for k, v in message.items()],
        "raw_header_names": [k for k, _ in strict.raw_items()],
        "content_type": message.get_content_type(),
        "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
        "parts": [],
    }
    for part in message.walk():
        if part.is_multipart():
            continue
        entry = {"content_type": part.get_content_type(),
                 "params": dict(part.get_params() or []),
                 "filename": part.get_filename(),
                 "disposition": part.get_content_disposition(),
                 "defects": [type(d).__name__ for d in part.defects]}
        payload = part.get_payload(decode=True) or b""
        entry["text"] = payload.decode("utf-8", "replace")
        if part.get_content_type() == "text/calendar":
            entry["calendar"] = parse_calendar(payload)
        summary["parts"].append(entry)
    print(json.dumps(summary))


def parse_calendar(payload):
    import icalendar

    calendar = icalendar.Calendar.from_ical(payload)
    events = []
    for event in calendar.walk("VEVENT"):
        events.append({
            "uid": str(event.get("UID")),
            "sequence": int(event.get("SEQUENCE", -1)),
            "status": str(event.get("STATUS", "")),
            "dtstart": event.decoded("DTSTART").isoformat(),
            "dtend": event.decoded("DTEND").isoformat(),
            "summary": str(event.get("SUMMARY", "")),
            "organizer": str(event.get("ORGANIZER", "")),
            "attendee": str(event.get("ATTENDEE", "")),
            "attendee_cn": str(event.get("ATTENDEE").params.get("CN", ""))
            if event.get("ATTENDEE") is not None else "",
        })
    return {"method": str(calendar.get("METHOD", "")), "events": events}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def server_options(p):
        p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
        p.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
        p.add_argument("--auth")
        p.add_argument("--reject-rcpt", action="append", default=[])
        p.add_argument("--tempfail-rcpt", action="append", default=[])
        p.add_argument("--delay", type=float, default=0.0)

    p = sub.add_parser("serve")
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    server_options(p)
    p = sub.add_parser("start")
    p.add_argument("state")
    server_options(p)
    p = sub.add_parser("stop")
    p.add_argument("state")
    p = sub.add_parser("inspect")
    p.add_argument("file")
    args = parser.parse_args()
    {"serve": serve, "start": start, "stop": stop, "inspect": inspect}[args.command](args)


if __name__ == "__main__":
    main()
