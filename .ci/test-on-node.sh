#!/usr/bin/env bash
# Runs every package's and example's tests again under other Node majors, on the tree that
# `pnpm install && pnpm test` already installed and built (Node 20 ran those).
#
# The Node binaries come from the npm registry, the only registry CI can reach: the official builds
# are published there as node-<platform>-<arch> packages (what the `node` npm package installs).
#
# Usage: .ci/test-on-node.sh 22 24
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
platform="$(node -p 'process.platform === "win32" ? "win" : process.platform')-$(node -p 'process.arch')"
vitest="$root/node_modules/.bin/vitest"
[ -x "$vitest" ] || { echo "test-on-node: run pnpm install first ($vitest is missing)." >&2; exit 2; }
[ "$#" -gt 0 ] || { echo "usage: .ci/test-on-node.sh MAJOR [MAJOR ...], e.g. 22 24" >&2; exit 2; }

failed=()
for major in "$@"; do
  [[ "$major" =~ ^[0-9]+$ ]] || { echo "test-on-node: a Node major is a number. Received: '$major'." >&2; exit 2; }
  dir="${TMPDIR:-/tmp}/cornu-node-$major-$platform"
  if [ ! -x "$dir/package/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-$platform@$major" >/dev/null && tar xzf node-*.tgz && rm node-*.tgz)
  fi
  node_bin="$dir/package/bin"
  echo "== Node $("$node_bin/node" --version) =="
  for pkg in "$root"/packages/* "$root"/examples/*; do
    # Only what has a vitest suite: a "test" script that runs vitest.
    grep -q '"test": *"vitest' "$pkg/package.json" 2>/dev/null || continue
    name="$(basename "$pkg")"
    if (cd "$pkg" && PATH="$node_bin:$PATH" "$vitest" run --reporter=dot >"$dir/$name.log" 2>&1); then
      echo "  $name: $(sed 's/\x1b\[[0-9;]*m//g' "$dir/$name.log" | grep -aE '^ +Tests ' | sed 's/^ *//')"
    else
      echo "  $name: FAILED"; tail -40 "$dir/$name.log"; failed+=("node $major: $name")
    fi
  done
done
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'test-on-node: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
