#!/usr/bin/env bash
# `cmake --install` into a temporary DESTDIR puts every file where a Debian
# administrator expects it, and nothing else; honours DESTDIR and the prefix
# (also one given only at install time); rewrites the units for the prefix;
# and never overwrites configuration an administrator has edited.
#   test_install_tree.sh SOURCE_DIR BUILD_DIR WORK_DIR CONFIG_KEYS [BOOKINGD]
set -uo pipefail

source_dir=$1 build_dir=$2 work=$3 config_keys=$4 bookingd=${5:-}
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
install_into() { # DESTDIR PREFIX
    DESTDIR=$1 cmake --install "$build_dir" --prefix "$2" >"$work/install.log" 2>&1 || {
        cat "$work/install.log" >&2
        echo "FAIL: cmake --install (DESTDIR=$1, prefix $2) failed" >&2
        exit 1
    }
}

rm -rf "$work"
mkdir -p "$work"

# --- 1. The Debian layout: prefix /usr, configuration in /etc ------------------
root=$work/debian
install_into "$root" /usr

expected=(
    etc/bookingd/bookingd.toml
    usr/bin/bookingctl
    usr/libexec/bookingd/bookingd-export
    usr/lib/systemd/system/bookingd.service
    usr/lib/systemd/system/bookingctl-export.service
    usr/lib/systemd/system/bookingctl-export.timer
    usr/lib/sysusers.d/bookingd.conf
    usr/lib/tmpfiles.d/bookingd.conf
    usr/share/man/man1/bookingctl.1
    usr/share/bash-completion/completions/bookingctl
    usr/share/doc/bookingd/operations.md
    usr/share/doc/bookingd/examples/bookingd.toml
    usr/share/doc/bookingd/examples/crontab.example
    usr/share/doc/bookingd/examples/nginx-bookingd.conf
)
[[ -f $source_dir/man/bookingd.8 ]] && expected+=(usr/share/man/man8/bookingd.8)
[[ -f $source_dir/man/bookingd.toml.5 ]] && expected+=(usr/share/man/man5/bookingd.toml.5)
[[ -n $bookingd ]] && expected+=(usr/sbin/bookingd)
for template in "$source_dir"/etc/templates/*; do
    [[ -f $template ]] && expected+=("etc/bookingd/templates/${template##*/}")
done

mapfile -t actual < <(cd "$root" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort)
mapfile -t wanted < <(printf '%s\n' "${expected[@]}" | LC_ALL=C sort)
missing=$(comm -13 <(printf '%s\n' "${actual[@]}") <(printf '%s\n' "${wanted[@]}"))
extra=$(comm -23 <(printf '%s\n' "${actual[@]}") <(printf '%s\n' "${wanted[@]}"))
[[ -z $missing ]] || fail "not installed: $(echo $missing)"
[[ -z $extra ]] || fail "installed but not expected: $(echo $extra)"

for program in usr/bin/bookingctl usr/libexec/bookingd/bookingd-export ${bookingd:+usr/sbin/bookingd}; do
    [[ -x $root/$program ]] || fail "$program is not executable"
done
for file in etc/bookingd/bookingd.toml usr/lib/systemd/system/bookingd.service usr/share/man/man1/bookingctl.1; do
    [[ $(stat -c %a "$root/$file") == 644 ]] || fail "$file has mode $(stat -c %a "$root/$file"), not 644"
done

version=$("$root/usr/bin/bookingctl" --version 2>&1) || fail "the installed bookingctl --version failed: $version"
[[ $version == *"$(sed -n 's/.*project(bookingd VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")"* ]] ||
    fail "the installed bookingctl --version says \"$version\", not the project version"
if [[ -n $bookingd ]]; then
    "$root/usr/sbin/bookingd" --version >/dev/null 2>&1 || fail "the installed bookingd --version failed"
fi
"$config_keys" "$root/etc/bookingd/bookingd.toml" || fail "the installed bookingd.toml is not a valid configuration"
cmp -s "$source_dir/etc/bookingd.toml" "$root/etc/bookingd/bookingd.toml" ||
    fail "the installed bookingd.toml differs from etc/bookingd.toml"

unit=$root/usr/lib/systemd/system/bookingd.service
grep -qx 'ExecStart=/usr/sbin/bookingd --config /etc/bookingd/bookingd.toml' "$unit" ||
    fail "bookingd.service does not start /usr/sbin/bookingd --config /etc/bookingd/bookingd.toml"

# --- 2. Reinstalling keeps edited configuration, replaces programs -------------
echo '# edited by the administrator' >>"$root/etc/bookingd/bookingd.toml"
first_template=$(find "$root/etc/bookingd/templates" -type f | head -n 1)
[[ -n $first_template ]] && echo 'edited' >"$first_template"
echo 'not a program' >"$root/usr/bin/bookingctl"
install_into "$root" /usr
grep -q '^# edited by the administrator$' "$root/etc/bookingd/bookingd.toml" ||
    fail "reinstalling overwrote the edited /etc/bookingd/bookingd.toml"
if [[ -n $first_template ]]; then
    [[ $(cat "$first_template") == edited ]] || fail "reinstalling overwrote the edited ${first_template#$root}"
fi
grep -q 'Keeping: .*/etc/bookingd/bookingd.toml' "$work/install.log" ||
    fail "reinstalling did not say that it kept /etc/bookingd/bookingd.toml"
"$root/usr/bin/bookingctl" --version >/dev/null 2>&1 || fail "reinstalling did not replace usr/bin/bookingctl"

# --- 3. Another prefix, chosen at install time: units follow it ----------------
root=$work/opt
install_into "$root" /opt/bookingd
for file in opt/bookingd/bin/bookingctl opt/bookingd/libexec/bookingd/bookingd-export \
    opt/bookingd/lib/systemd/system/bookingd.service etc/bookingd/bookingd.toml \
    opt/bookingd/share/man/man1/bookingctl.1; do
    [[ -f $root/$file ]] || fail "prefix /opt/bookingd: $file not installed"
done
[[ -e $root/usr ]] && fail "prefix /opt/bookingd: something was installed under /usr"
unit=$root/opt/bookingd/lib/systemd/system/bookingd.service
if [[ -n $bookingd ]]; then
    grep -qx 'ExecStart=/opt/bookingd/sbin/bookingd --config /etc/bookingd/bookingd.toml' "$unit" ||
        fail "prefix /opt/bookingd: bookingd.service does not start /opt/bookingd/sbin/bookingd"
fi
grep -q '^ExecStartPre=/opt/bookingd/bin/bookingctl ' "$unit" ||
    fail "prefix /opt/bookingd: bookingd.service does not check migrations with /opt/bookingd/bin/bookingctl"
export_unit=$root/opt/bookingd/lib/systemd/system/bookingctl-export.service
grep -qx 'ExecStart=/opt/bookingd/libexec/bookingd/bookingd-export' "$export_unit" ||
    fail "prefix /opt/bookingd: bookingctl-export.service does not run /opt/bookingd/libexec/bookingd/bookingd-export"
grep -qx 'Environment=BOOKINGCTL=/opt/bookingd/bin/bookingctl' "$export_unit" ||
    fail "prefix /opt/bookingd: bookingctl-export.service does not name /opt/bookingd/bin/bookingctl"
if grep -n '/usr/s\?bin/bookingctl\|/usr/s\?bin/bookingd\b\|/usr/libexec' "$root"/opt/bookingd/lib/systemd/system/*; then
    fail "prefix /opt/bookingd: a unit still names a /usr path"
fi

if [[ $failures -gt 0 ]]; then
    echo "$failures failure(s); the trees are in $work" >&2
    exit 1
fi
echo "install tree: ${#expected[@]} files where expected; DESTDIR, prefix and kept configuration honoured"
