#!/usr/bin/env bash
# test_hardening.sh SANITIZED BINARY...
# hardening-check (devscripts) on the built binaries: PIE, stack protector,
# full RELRO, immediate binding, control-flow protection and, unless the build
# is sanitized (SANITIZED=ON: the sanitizers replace _FORTIFY_SOURCE), fortified
# libc calls. Skipped (77) without hardening-check.
set -uo pipefail
sanitized=$1
shift
if ! command -v hardening-check >/dev/null; then
    echo "SKIP: hardening-check not installed (Debian package devscripts)"
    exit 77
fi
options=()
case "$sanitized" in
    ON|on|1|TRUE|true|thread|fuzzer) options+=(--nofortify) ;;
esac
hardening-check "${options[@]}" "$@"
