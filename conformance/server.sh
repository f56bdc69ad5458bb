# Sourced by every conformance suite's run.sh: starts the built avatarforge server (run
# `npm run build` first) on a free loopback port with a temp data dir and a known credential, and
# stops it (and removes the temp dir) when the calling script exits.
#
#   source conformance/server.sh; start_server <name> <access key> <secret key>
#
# Afterwards: $AF_BASE_URL, $AF_AUDIO_PORT (serve audio for AUDIO scripts on 127.0.0.1 there), $AF_PROJECT_ID, $AF_ACCESS_KEY, $AF_SECRET_KEY, $AF_DB_PATH (the SQLite
# file, for suites that stand in for the review pipeline), $AF_WORK (a temp dir, with home/ for a
# throwaway $HOME), $AF_SERVER_LOG (the server's output) and $AF_REQUEST_LOG (its log, every request
# at debug). show_server_log prints the output and the log's warnings and errors when a suite failed;
# check_statuses fails when the server answered a status its OpenAPI document does not declare.

conformance_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -n "${AF_WORK:-}" ] && rm -rf "$AF_WORK"
}

show_server_log() {
  if [ -s "$AF_SERVER_LOG" ]; then
    echo "--- server output" >&2
    cat "$AF_SERVER_LOG" >&2
  fi
  if [ -s "$AF_REQUEST_LOG" ]; then
    echo "--- server log (warn and above)" >&2
    grep -E '"level":(40|50|60)[,}]' "$AF_REQUEST_LOG" >&2 || true
  fi
}

# Every (method, route, status) in the request log, against GET /openapi.json (tools/statusCoverage.ts).
check_statuses() {
  echo "--- statuses answered vs. the OpenAPI document"
  (cd "$conformance_repo" && node dist/tools/statusCoverage.js "$AF_REQUEST_LOG")
}

start_server() {
  local name="$1"
  for _ in $(seq 1 60); do
    [ -f "$conformance_repo/dist/src/cli/main.js" ] && break
    sleep 1
  done
  if [ ! -f "$conformance_repo/dist/src/cli/main.js" ]; then
    echo "dist/src/cli/main.js is missing: run 'npm run build' first" >&2
    exit 2
  fi
  AF_WORK="$(mktemp -d "${TMPDIR:-/tmp}/avatarforge-$name-XXXXXX")"
  mkdir -p "$AF_WORK/data" "$AF_WORK/home"
  trap stop_server EXIT
  trap 'exit 130' INT TERM

  export AF_PROJECT_ID="0123456789abcdef0123456789abcdef"
  export AF_ACCESS_KEY="$2"
  export AF_SECRET_KEY="$3"
  export AF_DB_PATH="$AF_WORK/data/avatarforge.sqlite"
  export AF_SERVER_LOG="$AF_WORK/server.log"
  export AF_REQUEST_LOG="$AF_WORK/requests.jsonl"
  local port
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')"
  export AF_BASE_URL="http://127.0.0.1:$port"
  # A port the suites serve audio files on: the server may fetch AUDIO scripts' URLs from it.
  AF_AUDIO_PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')"
  export AF_AUDIO_PORT

  # Training stages are stood in for through the database; video jobs render in-process, emulated
  # (a test pattern as long as the scripts: the suites check the wire, not the model), or with
  # AF_RENDER=real by the reference renderer (a real model must then be imported).
  local emulator=(AVATARFORGE_EMULATOR=1 AVATARFORGE_EMULATOR_SCENARIO="$AF_WORK/scenario.json")
  [ "${AF_RENDER:-emulated}" = real ] && emulator=(AVATARFORGE_EMULATOR=0)
  printf '{"stages":{"video_render":{"outcome":{"outcome":"succeed"}}}}\n' >"$AF_WORK/scenario.json"
  (cd "$conformance_repo" &&
    exec env AVATARFORGE_HOST=127.0.0.1 AVATARFORGE_PORT="$port" AVATARFORGE_DATA_DIR="$AF_WORK/data" \
    AVATARFORGE_LOG_LEVEL=debug AVATARFORGE_LOG_FILE="$AF_REQUEST_LOG" AVATARFORGE_WORKERS=true AVATARFORGE_WORKER_STAGES=video_render \
    "${emulator[@]}" \
    AVATARFORGE_AUDIO_URL_HOSTS="127.0.0.1:$AF_AUDIO_PORT" \
    AVATARFORGE_PROJECT_ID="$AF_PROJECT_ID" AVATARFORGE_ACCESS_KEY="$AF_ACCESS_KEY" AVATARFORGE_SECRET_KEY="$AF_SECRET_KEY" \
    node dist/src/cli/main.js serve) >"$AF_SERVER_LOG" 2>&1 &
  server_pid=$!

  for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    if node -e "require('http').get(process.argv[1] + '/healthz', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" "$AF_BASE_URL" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "the server did not become healthy on $AF_BASE_URL in time; its log:" >&2
  else
    local status=0
    wait "$server_pid" || status=$?
    server_pid=""
    echo "the server exited (status $status) before answering on $AF_BASE_URL; its log:" >&2
  fi
  show_server_log
  exit 2
}
