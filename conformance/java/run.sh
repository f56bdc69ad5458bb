#!/usr/bin/env bash
# Java SDK conformance: the official huaweicloud-sdk-metastudio (Maven Central) against a real
# avatarforge server. Starts the built server (run `npm run build` first) on a free loopback port
# with a temp data dir and a known credential, runs `mvn -q -B test`, and always stops the server.
# Exit code = Maven's. Maven uses the default local repository (~/.m2), so CI reuses downloads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

if [ ! -f dist/src/cli/main.js ]; then
  echo "dist/src/cli/main.js is missing: run 'npm run build' first" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/avatarforge-javaconf-XXXXXX")"
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

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')"

export AF_PROJECT_ID="0123456789abcdef0123456789abcdef"
export AF_ACCESS_KEY="AKJAVACONFORMANCE0001"
export AF_SECRET_KEY="SKjavaConformanceSecretKey00000000000001"

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
  if curl -fsS -o /dev/null --max-time 1 "$base/healthz" 2>/dev/null; then
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

# The test JVM gets the temp home as user.home and HOME (pom.xml: af.home); Maven itself keeps the
# real home, so its local repository stays ~/.m2.
status=0
CLOUD_SDK_AK="$AF_ACCESS_KEY" \
CLOUD_SDK_SK="$AF_SECRET_KEY" \
AF_BASE_URL="$base" \
AF_DB_PATH="$work/data/avatarforge.sqlite" \
  mvn -q -B -f "$here/pom.xml" test -Daf.home="$work/home" || status=$?
if [ "$status" -ne 0 ] && [ -s "$work/server.log" ]; then
  echo "--- server log (warn and above)" >&2
  cat "$work/server.log" >&2
fi
exit "$status"
