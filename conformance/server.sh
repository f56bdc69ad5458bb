# Sourced by every conformance suite's run.sh: starts the built avatarforge server (run
# `npm run build` first) on a free loopback port with a temp data dir and a known credential, and
# stops it (and removes the temp dir) when the calling script exits.
#
#   source conformance/server.sh; start_server <name> <access key> <secret key>
#
# Afterwards: $AF_BASE_URL, $AF_AUDIO_PORT (serve audio for AUDIO scripts on 127.0.0.1 there), $AF_PROJECT_ID, $AF_ACCESS_KEY, $AF_SECRET_KEY, $AF_DB_PATH (the SQLite
# file, for suites that stand in for the review pipeline), $AF_WORK (a temp dir, with home/ for a
# throwaway $HOME), $AF_SERVER_LOG (the server's output) and $AF_REQUEST_LOG (its log, every request
# at debug). In emulator mode (the default) also $AF_ADMIN_TOKEN (an admin key's X-Auth-Token, for
# POST /v1/emulator/jobs/{job_id}/release) and a second project's tenant credential,
# $AF_OTHER_PROJECT_ID, $AF_OTHER_ACCESS_KEY, $AF_OTHER_SECRET_KEY (for isolation checks).
# show_server_log prints the output and the log's warnings and errors when a suite failed;
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

# An admin key (as its token) and a tenant key of a second project, made with the CLI.
provision_emulator_keys() {
  local created
  created="$(cd "$conformance_repo" && node dist/src/cli/main.js keys create --role admin --project "$AF_PROJECT_ID" --data-dir "$AF_WORK/data")"
  local admin_ak admin_sk
  admin_ak="$(printf '%s\n' "$created" | sed -n 's/^ *access key : //p')"
  admin_sk="$(printf '%s\n' "$created" | sed -n 's/^ *secret key : //p')"
  AF_ADMIN_TOKEN="$(node -e '
    const [base, name, password] = process.argv.slice(1);
    const body = { auth: { identity: { methods: ["password"], password: { user: { name, password, domain: { name: "conformance" } } } } } };
    fetch(base + "/v3/auth/tokens", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then((answer) => { if (answer.status !== 201) process.exit(1); console.log(answer.headers.get("x-subject-token")); });
  ' "$AF_BASE_URL" "$admin_ak" "$admin_sk")" || { echo "no admin token from $AF_BASE_URL/v3/auth/tokens" >&2; exit 2; }
  export AF_ADMIN_TOKEN

  export AF_OTHER_PROJECT_ID="fedcba9876543210fedcba9876543210"
  created="$(cd "$conformance_repo" && node dist/src/cli/main.js keys create --project "$AF_OTHER_PROJECT_ID" --data-dir "$AF_WORK/data")"
  AF_OTHER_ACCESS_KEY="$(printf '%s\n' "$created" | sed -n 's/^ *access key : //p')"
  AF_OTHER_SECRET_KEY="$(printf '%s\n' "$created" | sed -n 's/^ *secret key : //p')"
  export AF_OTHER_ACCESS_KEY AF_OTHER_SECRET_KEY
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

  # Video jobs render in-process, emulated (a test pattern as long as the scripts: the suites check
  # the wire, not the model), or with AF_RENDER=real by the reference renderer (a real model must
  # then be imported). Emulated, a submitted training job waits in AUTO_VERIFYING (held: the
  # training suites stand in for the review through the database) until a suite releases it with
  # $AF_ADMIN_TOKEN; then every stage succeeds at once and it reaches JOB_SUCCESS with its model
  # asset, as the pipeline makes it.
  local emulator=(AVATARFORGE_EMULATOR=1 AVATARFORGE_EMULATOR_SCENARIO="$AF_WORK/scenario.json")
  local stages=auto_verify,training_data_preprocess,training,inference_data_preprocess,compile,test_video_check,asset_sync,video_render
  if [ "${AF_RENDER:-emulated}" = real ]; then
    emulator=(AVATARFORGE_EMULATOR=0)
    stages=video_render
  fi
  local succeed='{"outcome":{"outcome":"succeed"}}'
  printf '{"stages":{"auto_verify":{"progress":{"mode":"hold"},"outcome":{"outcome":"succeed"}},"manual_review":%s,"training_data_preprocess":%s,"training":%s,"inference_data_preprocess":%s,"compile":%s,"test_video_check":%s,"asset_sync":%s,"video_render":%s}}\n' \
    "$succeed" "$succeed" "$succeed" "$succeed" "$succeed" "$succeed" "$succeed" "$succeed" >"$AF_WORK/scenario.json"
  (cd "$conformance_repo" &&
    exec env AVATARFORGE_HOST=127.0.0.1 AVATARFORGE_PORT="$port" AVATARFORGE_DATA_DIR="$AF_WORK/data" \
    AVATARFORGE_LOG_LEVEL=debug AVATARFORGE_LOG_FILE="$AF_REQUEST_LOG" AVATARFORGE_WORKERS=true AVATARFORGE_WORKER_STAGES="$stages" \
    "${emulator[@]}" \
    AVATARFORGE_AUDIO_URL_HOSTS="127.0.0.1:$AF_AUDIO_PORT" \
    AVATARFORGE_PROJECT_ID="$AF_PROJECT_ID" AVATARFORGE_ACCESS_KEY="$AF_ACCESS_KEY" AVATARFORGE_SECRET_KEY="$AF_SECRET_KEY" \
    node dist/src/cli/main.js serve) >"$AF_SERVER_LOG" 2>&1 &
  server_pid=$!

  for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    if node -e "require('http').get(process.argv[1] + '/healthz', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" "$AF_BASE_URL" 2>/dev/null; then
      [ "${AF_RENDER:-emulated}" = real ] || provision_emulator_keys
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
