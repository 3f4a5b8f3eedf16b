#!/usr/bin/env bash
# test_hardening.sh SANITIZED BINARY...
# hardening-check (devscripts) on the built binaries: PIE, stack protector,
# full RELRO, immediate binding and, unless the build is sanitized
# (SANITIZED=ON: the sanitizers' interceptors replace it), fortified libc
# calls. Control-flow protection is checked by its instructions instead of
# hardening-check's ELF note: Debian 12's glibc start files carry no CET note,
# so the linker drops it from every binary (Debian's own /usr/bin/curl fails
# that check too), while -fcf-protection still puts endbr64 at each function.
# Skipped (77) without hardening-check.
set -uo pipefail
sanitized=$1
shift
if ! command -v hardening-check >/dev/null; then
    echo "SKIP: hardening-check not installed (Debian package devscripts)"
    exit 77
fi
options=(--nocfprotection)
case "$sanitized" in
    ON|on|1|TRUE|true|thread|fuzzer) options+=(--nofortify) ;;
esac
hardening-check "${options[@]}" "$@" || exit 1
if [[ $(uname -m) == x86_64 ]]; then
    for binary in "$@"; do
        count=$(objdump -d --no-show-raw-insn "$binary" | grep -c endbr64)
        if [[ ${count:-0} -eq 0 ]]; then
            echo "$binary: no endbr64 instruction: built without -fcf-protection" >&2
            exit 1
        fi
        echo "$binary: -fcf-protection ($count endbr64 instructions)"
    done
fi
