#!/bin/sh
# Installs the pinned npm packages of tests/integrations (package-lock.json)
# into DEST/node_modules with `npm ci`, unless that lockfile is installed already.
# usage: npm_ci.sh SOURCE_DIR DEST_DIR
set -eu
src=$1 dest=$2
mkdir -p "$dest"
if [ -d "$dest/node_modules" ] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
    exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dest/"
cd "$dest"
npm ci --no-audit --no-fund --loglevel=error
