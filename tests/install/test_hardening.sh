#!/usr/bin/env bash
# test_hardening.sh SANITIZED BINARY...
# hardening-check (devscripts) on the built binaries: PIE, stack protector,
# full RELRO, immediate binding and, unless the build is sanitized, fortified
# libc calls and control-flow protection. A sanitized build (SANITIZED=ON)
# has neither: the sanitizers' interceptors replace _FORTIFY_SOURCE, and their
# static runtime objects carry no CET note, so the linker drops the binary's.
# Skipped (77) without hardening-check.
set -uo pipefail
sanitized=$1
shift
if ! command -v hardening-check >/dev/null; then
    echo "SKIP: hardening-check not installed (Debian package devscripts)"
    exit 77
fi
options=()
case "$sanitized" in
    ON|on|1|TRUE|true|thread|fuzzer) options+=(--nofortify --nocfprotection) ;;
esac
hardening-check "${options[@]}" "$@"
