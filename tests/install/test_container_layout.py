#!/usr/bin/env python3
"""The container image's layout, checked without a Docker engine.

The Dockerfile's build stage installs the release build with DESTDIR=/stage
and prefix /usr; the runtime stage (debian:12-slim) installs a list of
packages and copies /stage in. This test takes the same install tree (staged
by the install_stage fixture from this build) and checks that:
- the entry point, its --config file and the paths the build stage removes
  are where the Dockerfile says;
- every shared library that ldd resolves for bookingd and bookingctl belongs
  to a Debian package, each library a binary names directly (DT_NEEDED)
  belongs to a package of the runtime list, and every other one to a package
  that the list pulls in through its dependencies;
- every runtime package is a real package installed here, the build stage's
  packages are among scripts/setup-deps', the runtime user is not root;
- compose.yaml runs PostgreSQL, a one-shot migration and bookingd (when
  python3-yaml is there to read it).
Sanitizer runtimes (libasan, libubsan) are ignored: the image builds the
release preset, this build may have them.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys

failures = []
SANITIZER_LIBRARIES = re.compile(r"^lib(asan|ubsan|lsan|tsan|hwasan)\.so")


def fail(message):
    failures.append(message)


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True)


def dockerfile_stages(path):
    """[(from_line, [instruction lines with continuations joined])]"""
    with open(path) as f:
        text = f.read()
    text = re.sub(r"\\\n", " ", text)
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append((line, []))
        elif stages:
            stages[-1][1].append(line)
    return stages


def apt_packages(instructions):
    packages = []
    for line in instructions:
        if not line.upper().startswith("RUN ") or "apt-get install" not in line:
            continue
        for command in line[4:].split("&&"):
            words = shlex.split(command)
            if "install" in words and "apt-get" in words:
                after = words[words.index("install") + 1:]
                packages += [w for w in after if not w.startswith("-")]
    return packages


def instruction(instructions, name):
    return [line[len(name) + 1:].strip() for line in instructions if line.upper().startswith(name + " ")]


def setup_deps_packages(source):
    with open(os.path.join(source, "scripts", "setup-deps")) as f:
        match = re.search(r"^PACKAGES=\((.*?)\)", f.read(), re.S | re.M)
    return match.group(1).split() if match else []


# --- packages and libraries ------------------------------------------------------------

def owners(paths):
    """{library path: Debian package}, in one dpkg-query call (merged /usr aware)."""
    candidates = {}
    for path in paths:
        for p in {path, os.path.realpath(path)}:
            candidates[p] = path
            if p.startswith("/usr/lib/"):
                candidates[p[len("/usr"):]] = path
            elif p.startswith("/lib/"):
                candidates["/usr" + p] = path
    out = run(["dpkg-query", "-S", *sorted(candidates)])
    result = {}
    for line in out.stdout.splitlines():
        packages, _, owned = line.partition(": ")
        if owned in candidates and ", " not in packages:
            result[candidates[owned]] = packages.split(":")[0]
    return result


def installed_packages():
    """{package: its Depends and Pre-Depends} of every installed package."""
    out = run(["dpkg-query", "-W", "-f=${Package}\t${db:Status-Status}\t${Depends}, ${Pre-Depends}\n"])
    packages = {}
    for line in out.stdout.splitlines():
        name, status, depends = line.split("\t")
        if status == "installed":
            packages[name] = depends
    return packages


def dependency_closure(packages, installed):
    """The packages and everything they depend on (as installed here)."""
    seen, todo = set(), list(packages)
    while todo:
        package = todo.pop()
        if package in seen or package not in installed:
            seen.add(package)
            continue
        seen.add(package)
        for clause in installed[package].split(","):
            alternatives = [re.sub(r"[\s(].*", "", a.strip()).split(":")[0] for a in clause.split("|")]
            chosen = [a for a in alternatives if a in installed] or [a for a in alternatives if a]
            todo += chosen[:1]
    return seen


def ldd(binary):
    out = run(["ldd", binary])
    if out.returncode != 0:
        fail(f"ldd {binary} failed: {out.stderr}")
    libraries = []
    for line in out.stdout.splitlines():
        line = line.strip()
        if "not found" in line:
            fail(f"{binary}: {line}")
        match = re.match(r"^(\S+) => (\S+)", line) or re.match(r"^(/\S+) \(", line)
        if match:
            name = match.group(1)
            libraries.append((os.path.basename(name), match.group(match.lastindex)))
    return libraries


def needed(binary):
    out = run(["readelf", "-d", binary])
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out.stdout)


def check_libraries(stage, binaries, runtime, installed):
    closure = dependency_closure(runtime, installed)
    sanitizers = set()
    for binary in binaries:
        path = os.path.join(stage, binary.lstrip("/"))
        libraries = dict(ldd(path))
        direct = set(needed(path))
        owned = owners(libraries.values())
        packages = set()
        for name, library in sorted(libraries.items()):
            if SANITIZER_LIBRARIES.match(name):
                sanitizers.add(name)
                continue
            package = owned.get(library)
            if package is None:
                fail(f"{binary}: {library} belongs to no Debian package")
                continue
            packages.add(package)
            if name in direct and package not in runtime:
                fail(f"{binary} links {name} directly: its package {package} is not in the runtime list")
            elif package not in closure:
                fail(f"{binary} loads {name} from {package}, which the runtime packages do not pull in")
        print(f"{binary}: {len(libraries)} libraries from {len(packages)} packages, all provided")
    if sanitizers:
        print(f"note: ignored the sanitizer runtimes of this build: {', '.join(sorted(sanitizers))}")


# --- compose.yaml --------------------------------------------------------------------------

def check_compose(path):
    try:
        import yaml
    except ImportError:
        print(f"note: python3-yaml is not installed; {path} is not parsed")
        return
    with open(path) as f:
        compose = yaml.safe_load(f)
    services = compose.get("services", {})
    for name in ("postgres", "migrate", "bookingd"):
        if name not in services:
            fail(f"{path}: no service {name}")
    if set(("postgres", "migrate", "bookingd")) - set(services):
        return
    if not str(services["postgres"].get("image", "")).startswith("postgres:15"):
        fail(f"{path}: postgres is not PostgreSQL 15 (the version Debian 12 ships)")
    if "healthcheck" not in services["postgres"]:
        fail(f"{path}: postgres has no healthcheck, so nothing can wait for it")
    migrate = services["migrate"]
    if "bookingctl" not in " ".join(map(str, migrate.get("entrypoint", []))) + str(migrate.get("command")):
        fail(f"{path}: migrate does not run bookingctl")
    if migrate.get("depends_on", {}).get("postgres", {}).get("condition") != "service_healthy":
        fail(f"{path}: migrate does not wait for a healthy postgres")
    bookingd = services["bookingd"]
    if bookingd.get("depends_on", {}).get("migrate", {}).get("condition") != "service_completed_successfully":
        fail(f"{path}: bookingd does not wait for the migrations")
    environment = bookingd.get("environment", {})
    if "BOOKING_JWT_SECRET" not in environment:
        fail(f"{path}: bookingd gets no BOOKING_JWT_SECRET (it refuses to start without one)")
    if not bookingd.get("build") and not migrate.get("build"):
        fail(f"{path}: nothing builds the image from the Dockerfile")
    print(f"{path}: postgres, migrate and bookingd, started in that order")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--stage", required=True)
    args = parser.parse_args()
    dockerfile = os.path.join(args.source, "Dockerfile")
    stages = dockerfile_stages(dockerfile)
    if len(stages) < 2:
        fail(f"{dockerfile}: not a multi-stage build ({len(stages)} stage)")
        return report()
    (build_from, build), (runtime_from, runtime_lines) = stages[0], stages[-1]
    if not re.match(r"FROM debian:12(\s|$)", build_from, re.I):
        fail(f"{dockerfile}: the build stage is \"{build_from}\", not Debian 12")
    if not re.match(r"FROM debian:12-slim(\s|$)", runtime_from, re.I):
        fail(f"{dockerfile}: the runtime stage is \"{runtime_from}\", not debian:12-slim")

    build_packages, runtime = apt_packages(build), apt_packages(runtime_lines)
    unknown = sorted(set(build_packages) - set(setup_deps_packages(args.source)))
    if unknown:
        fail(f"{dockerfile}: build packages not in scripts/setup-deps: {' '.join(unknown)}")
    if not runtime:
        fail(f"{dockerfile}: the runtime stage installs no packages")
    installed = installed_packages()
    for package in runtime:
        if package not in installed:
            fail(f"{dockerfile}: runtime package {package} is not installed here (misspelt, or not a Debian 12 package?)")
    if any("-dev" in p for p in runtime):
        fail(f"{dockerfile}: the runtime stage installs -dev packages: {[p for p in runtime if '-dev' in p]}")

    users = instruction(runtime_lines, "USER")
    if not users or users[-1].split(":")[0] in ("root", "0"):
        fail(f"{dockerfile}: the runtime stage runs as root")
    entrypoint = json.loads(instruction(runtime_lines, "ENTRYPOINT")[-1])
    command = json.loads(instruction(runtime_lines, "CMD")[-1])
    if not os.access(os.path.join(args.stage, entrypoint[0].lstrip("/")), os.X_OK):
        fail(f"{dockerfile}: the entry point {entrypoint[0]} is not in the install tree")
    if "--config" in command:
        config = command[command.index("--config") + 1]
        if not os.path.isfile(os.path.join(args.stage, config.lstrip("/"))):
            fail(f"{dockerfile}: CMD names {config}, which the install tree does not have")
    for line in build:
        for removed in re.findall(r"/stage(/\S+)", line):
            if removed != "/" and not os.path.exists(os.path.join(args.stage, removed.lstrip("/"))):
                fail(f"{dockerfile}: removes {removed} from the install tree, which has no such path")
    listen = [e for e in instruction(runtime_lines, "ENV") if e.startswith("BOOKING_LISTEN=")]
    port = listen[-1].rsplit(":", 1)[-1] if listen else "8080"
    for line in instruction(runtime_lines, "HEALTHCHECK") + instruction(runtime_lines, "EXPOSE"):
        if port not in line:
            fail(f"{dockerfile}: \"{line[:60]}...\" does not use port {port} of BOOKING_LISTEN")

    binaries = ["/usr/bin/bookingctl"]
    if os.path.exists(os.path.join(args.stage, "usr/sbin/bookingd")):
        binaries.append("/usr/sbin/bookingd")
    else:
        print("note: bookingd is not built; only bookingctl is checked")
    check_libraries(args.stage, binaries, runtime, installed)
    check_compose(os.path.join(args.source, "compose.yaml"))
    print("note: the image itself is not built here (no Docker engine); this checks its layout")
    return report()


def report():
    if failures:
        for message in failures:
            print(f"FAIL: {message}", file=sys.stderr)
        return 1
    print("container layout: as the Dockerfile describes it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
