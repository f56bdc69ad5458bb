#!/usr/bin/env bash
# Go SDK conformance: the official huaweicloud-sdk-go-v3 (metastudio v1) against a real avatarforge server.
# Starts the built server (dist/ must be built) on a free loopback port with a temp data dir and a
# known credential, runs `go test`, and always stops the server. Exit code = go test's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

# dist/ is rebuilt by others from time to time: give a running rebuild a moment to finish.
for _ in $(seq 1 60); do
  [ -f dist/src/cli/main.js ] && break
  sleep 1
done
if [ ! -f dist/src/cli/main.js ]; then
  echo "dist/src/cli/main.js is missing: run 'npm run build' first" >&2
  exit 2
fi

# The tests run with a temp HOME (see below): keep Go's module and build caches where they are.
GOMODCACHE="$(go env GOMODCACHE)"
GOCACHE="$(go env GOCACHE)"
GOPATH="$(go env GOPATH)"
export GOMODCACHE GOCACHE GOPATH

work="$(mktemp -d "${TMPDIR:-/tmp}/avatarforge-goconf-XXXXXX")"
mkdir -p "$work/data" "$work/home"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"

export AF_PROJECT_ID="0123456789abcdef0123456789abcdef"
export AF_ACCESS_KEY="AKGOCONFORMANCE00001"
export AF_SECRET_KEY="SKgoConformanceSecretKey000000000000001"

HOME="$work/home" \
AVATARFORGE_HOST=127.0.0.1 \
AVATARFORGE_PORT="$port" \
AVATARFORGE_DATA_DIR="$work/data" \
AVATARFORGE_LOG_LEVEL=warn \
AVATARFORGE_WORKERS=false \
AVATARFORGE_PROJECT_ID="$AF_PROJECT_ID" \
AVATARFORGE_ACCESS_KEY="$AF_ACCESS_KEY" \
AVATARFORGE_SECRET_KEY="$AF_SECRET_KEY" \
  node dist/src/cli/main.js serve >"$work/server.log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
ready=""
for _ in $(seq 1 100); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  if node -e "require('http').get('$base/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "the server did not become healthy on $base in time; its log:" >&2
  else
    server_status=0
    wait "$server_pid" || server_status=$?
    server_pid=""
    echo "the server exited (status $server_status) before answering on $base; its log:" >&2
  fi
  cat "$work/server.log" >&2
  exit 2
fi

# The SDK writes ~/.huaweicloud/application_id on first use: keep it out of the real home.
status=0
(
  cd "$here"
  HOME="$work/home" \
  CLOUD_SDK_AK="$AF_ACCESS_KEY" \
  CLOUD_SDK_SK="$AF_SECRET_KEY" \
  AF_BASE_URL="$base" \
  AF_DB_PATH="$work/data/avatarforge.sqlite" \
  AF_REPO_ROOT="$repo" \
    go test ./... -count=1 -v
) || status=$?
if [ "$status" -ne 0 ] && [ -s "$work/server.log" ]; then
  echo "--- server log (warn and above)" >&2
  cat "$work/server.log" >&2
fi
exit "$status"
