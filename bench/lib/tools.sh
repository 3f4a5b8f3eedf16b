# shellcheck shell=bash
# Sourced by bench scripts. bench_tool NAME SCRIPT: builds bench/tools' NAME
# into build/bench (a release configuration with -DBOOKING_BENCH=ON) and prints
# its path; SCRIPT names the caller in messages. Fails (status 1, with a
# message) if the build does: call it as  tool=$(bench_tool NAME SCRIPT) || exit 1
bench_tool() {
    local name=$1 script=$2
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    echo "$script: building $name (build/bench)" >&2
    (cd "$root" && cmake --preset release -B build/bench -DBOOKING_BENCH=ON >/dev/null &&
        cmake --build build/bench --target "$name" >/dev/null) \
        || { echo "$script: building $name failed" >&2; return 1; }
    echo "$root/build/bench/bench/tools/$name"
}
