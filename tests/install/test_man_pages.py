#!/usr/bin/env python3
"""The manual pages render without warnings and are in step with the code.

- Each page renders with man-db and groff warnings on (lintian's command, and
  groff -ww), and any warning fails the test.
- bookingctl(1) documents every noun of `bookingctl --help`, every verb of each
  noun's --help (as "noun verb") and every flag of each verb's --help (in that
  noun's section), and the global flags; it documents no noun or verb that
  bookingctl does not have. The bash completion offers the same nouns, verbs
  and flags.
- bookingd(8) documents every option and environment variable of
  `bookingd --help`.
- bookingd.toml(5) documents every key that the code reads (core/config's key
  table, printed by the config_keys program) in its [table] section, and no
  table the code does not have; etc/bookingd.toml holds exactly those keys.

Every gap is listed before the test fails, so one run shows all of them.
"""
import argparse
import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor

failures = []


def fail(message):
    failures.append(message)


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


# --- rendering ---------------------------------------------------------------------

def check_renders(page):
    env = dict(os.environ, LC_ALL="C.UTF-8", MANROFFSEQ="", MANWIDTH="80")
    lintian = run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", page], env=env)
    if lintian.returncode != 0 or lintian.stderr.strip():
        fail(f"{page}: man --warnings (exit {lintian.returncode}):\n{lintian.stderr.rstrip()}")
    groff = run(["groff", "-t", "-man", "-ww", "-z", "-K", "utf8", page])
    if groff.returncode != 0 or groff.stderr.strip():
        fail(f"{page}: groff -ww (exit {groff.returncode}):\n{groff.stderr.rstrip()}")


def rendered(page):
    """The page as a reader sees it: plain text, no line wrapping, no hyphenation."""
    out = run(["groff", "-t", "-man", "-Tutf8", "-rLL=3000n", "-rHY=0", "-P", "-cbou", page])
    if out.returncode != 0:
        fail(f"{page}: groff failed: {out.stderr}")
    return out.stdout.replace("\u2010", "-").replace("\u2212", "-")


def sections(text):
    """{heading: body} for .SH (no indent) and .SS (3-space indent) headings."""
    result, heading, body = {}, None, []
    for line in text.splitlines():
        if re.match(r"^(\S.*|   \S.*)$", line) and not re.match(r"^\S+\(\d\)", line):
            if heading is not None:
                result[heading] = "\n".join(body)
            heading, body = line.strip(), []
        else:
            body.append(line)
    if heading is not None:
        result[heading] = "\n".join(body)
    return result


def mentions(text, phrase):
    return re.search(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text) is not None


# --- bookingctl --help -----------------------------------------------------------------

def help_text(bookingctl, *words):
    out = run([bookingctl, *words, "--help"])
    if out.returncode != 0:
        fail(f"bookingctl {' '.join(words)} --help: exit {out.returncode}: {out.stderr}")
    return out.stdout


def help_block(text, title):
    """The lines of a CLI11 help block ("Options:", "Subcommands:")."""
    match = re.search(rf"^{title}:\n(.*?)(?:\n\n|\Z)", text, re.S | re.M)
    return match.group(1).splitlines() if match else []


def subcommands(text):
    return [line.split()[0] for line in help_block(text, "Subcommands") if re.match(r"^  \S", line)]


def long_flags(text):
    flags = []
    for line in help_block(text, "Options"):
        if re.match(r"^  -", line):
            names = line.split()[0]  # "--email", "-q,--quiet"
            flags += re.findall(r"--[a-z][a-z0-9-]*", names)
    return [f for f in flags if f != "--help"]


def bookingctl_commands(bookingctl):
    """(global flags, {noun: {verb: [flags]}}) from the --help of every level."""
    top = help_text(bookingctl)
    # Dozens of --help runs of a sanitizer build: run them side by side.
    with ThreadPoolExecutor(max_workers=8) as pool:
        nouns = subcommands(top)
        noun_helps = dict(zip(nouns, pool.map(lambda n: help_text(bookingctl, n), nouns)))
        for noun, noun_help in list(noun_helps.items()):
            if f"Usage: bookingctl {noun} " not in noun_help:
                fail(f"bookingctl {noun} --help does not show the help of {noun}")
                del noun_helps[noun]
        pairs = [(noun, verb) for noun, text in noun_helps.items() for verb in subcommands(text)]
        verb_helps = pool.map(lambda p: help_text(bookingctl, *p), pairs)
        # A command without verbs (agenda) is its own verb "": its flags are its noun's.
        commands = {noun: ({} if subcommands(text) else {"": long_flags(text)})
                    for noun, text in noun_helps.items()}
        for (noun, verb), text in zip(pairs, verb_helps):
            commands[noun][verb] = long_flags(text)
    return long_flags(top), commands


def check_bookingctl_page(page, bookingctl, completion):
    global_flags, commands = bookingctl_commands(bookingctl)
    if not commands:
        fail("bookingctl --help lists no subcommands")
        return
    text = rendered(page)
    parts = sections(text)
    for flag in global_flags:
        if not mentions(parts.get("GLOBAL FLAGS", text), flag):
            fail(f"{page}: global flag {flag} (bookingctl --help) is not documented")
    for noun, verbs in commands.items():
        if noun not in parts:
            fail(f"{page}: no section for the noun \"{noun}\" (bookingctl --help lists it)")
        section = parts.get(noun, text)
        for verb, flags in verbs.items():
            if not mentions(section, f"{noun} {verb}".strip()):
                fail(f"{page}: \"{noun} {verb}\" is not documented (bookingctl {noun} --help lists it)")
            for flag in flags:
                if not mentions(section, flag):
                    fail(f"{page}: {flag} of \"{noun} {verb}\" is not documented in its section")
    # Nothing documented that bookingctl does not have.
    commands_text = text.split("\nCOMMANDS\n", 1)[-1]
    documented_nouns = [h for h in parts if h in re.findall(r"^   (\S+)$", commands_text, re.M)]
    for noun in documented_nouns:
        if noun not in commands:
            fail(f"{page}: documents the noun \"{noun}\", which bookingctl --help does not list")
            continue
        for verb in set(re.findall(rf"^       {re.escape(noun)} ([a-z][a-z-]*)", parts[noun], re.M)):
            if verb not in commands[noun]:
                fail(f"{page}: documents \"{noun} {verb}\", which bookingctl {noun} --help does not list")
    check_completion(completion, global_flags, commands)


def check_completion(completion, global_flags, commands):
    script = f"""
        source {completion!r} 2>/dev/null
        for noun in {' '.join(commands)}; do
            echo "noun $noun: $(_bookingctl_verbs "$noun")"
        done
    """
    for noun, verbs in commands.items():
        for verb in verbs:
            script += f'echo "verb {noun} {verb}: $(_bookingctl_flags {noun} "{verb}")"\n'
    out = run(["bash", "-c", script])
    offered = dict(line.split(": ", 1) if ": " in line else (line.rstrip(":"), "")
                   for line in out.stdout.splitlines())
    for noun, verbs in commands.items():
        for verb, flags in verbs.items():
            if verb and verb not in offered.get(f"noun {noun}", "").split():
                fail(f"{completion}: does not complete \"{noun} {verb}\"")
            missing = [f for f in flags if f not in offered.get(f"verb {noun} {verb}", "").split()]
            if missing:
                fail(f"{completion}: does not complete {' '.join(missing)} of \"{noun} {verb}\"")
    with open(completion) as f:
        body = f.read()
    for flag in global_flags:
        if flag not in body:
            fail(f"{completion}: does not complete the global flag {flag}")


# --- bookingd --help ---------------------------------------------------------------------

def check_bookingd_page(page, bookingd):
    if not bookingd:
        print(f"note: bookingd is not built; {page} is only rendered")
        return
    out = run([bookingd, "--help"])
    if out.returncode != 0:
        fail(f"bookingd --help: exit {out.returncode}")
    text = rendered(page)
    for flag in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", out.stdout))):
        if not mentions(text, flag):
            fail(f"{page}: option {flag} (bookingd --help) is not documented")
    for variable in sorted(set(re.findall(r"\bBOOKING_[A-Z_]+\b", out.stdout))):
        if not mentions(parts_or(text, "ENVIRONMENT"), variable):
            fail(f"{page}: {variable} (bookingd --help) is not under ENVIRONMENT")


def parts_or(text, heading):
    return sections(text).get(heading, text)


# --- configuration keys ------------------------------------------------------------------

def check_config_page(page, config_keys_program, example):
    out = run([config_keys_program])
    if out.returncode != 0 or not out.stdout.strip():
        fail(f"config_keys printed no keys (exit {out.returncode}): {out.stderr}")
        return
    keys = [line.split("\t")[0] for line in out.stdout.splitlines()]
    parts = sections(rendered(page))
    tables = {key.rsplit(".", 1)[0] for key in keys}
    for key in keys:
        table, leaf = key.rsplit(".", 1)
        section = parts.get(f"[{table}]")
        if section is None:
            fail(f"{page}: no section [{table}] for {key}")
        elif not mentions(section, leaf):
            fail(f"{page}: {key} is not documented in its section [{table}]")
    for heading in parts:
        if heading.startswith("[") and heading.strip("[]") not in tables:
            fail(f"{page}: documents [{heading.strip('[]')}], a table the code does not read")
    if not os.path.exists(example):
        fail(f"{example} is missing")
        return
    with open(example, "rb") as f:
        data = tomllib.load(f)

    def flatten(prefix, table):
        for name, value in table.items():
            if isinstance(value, dict):
                yield from flatten(f"{prefix}{name}.", value)
            else:
                yield prefix + name

    in_example = set(flatten("", data))
    for key in sorted(set(keys) - in_example):
        fail(f"{example}: does not show {key}")
    for key in sorted(in_example - set(keys)):
        fail(f"{example}: sets {key}, which the code does not read")
    print(f"{len(keys)} configuration keys checked against {page} and {example}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--bookingctl", required=True)
    parser.add_argument("--config-keys", required=True)
    parser.add_argument("--bookingd", default="")
    args = parser.parse_args()
    man = os.path.join(args.source, "man")
    pages = {name: os.path.join(man, name) for name in ("bookingctl.1", "bookingd.8", "bookingd.toml.5")}
    for name, page in pages.items():
        if not os.path.exists(page):
            fail(f"{page} is missing")
        else:
            check_renders(page)
    if os.path.exists(pages["bookingctl.1"]):
        check_bookingctl_page(pages["bookingctl.1"], args.bookingctl,
                              os.path.join(args.source, "etc", "bookingctl.bash-completion"))
    if os.path.exists(pages["bookingd.8"]):
        check_bookingd_page(pages["bookingd.8"], args.bookingd)
    if os.path.exists(pages["bookingd.toml.5"]):
        check_config_page(pages["bookingd.toml.5"], args.config_keys,
                          os.path.join(args.source, "etc", "bookingd.toml"))
    if failures:
        print(f"{len(failures)} gap(s) between the manual pages and the code:", file=sys.stderr)
        for message in failures:
            print(f"FAIL: {message}", file=sys.stderr)
        return 1
    print("manual pages: render without warnings; every command, flag, option and key documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
