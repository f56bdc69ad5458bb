#!/usr/bin/env bash
# Fuzzing: schemathesis generates requests from the server's own OpenAPI document (/openapi.json)
# and checks every answer against it: no 5xx, only declared statuses and content types, bodies
# that match their schema, declared headers present. Two phases against one server started by
# conformance/server.sh: "tenant" (an IAM-style token; X-App-UserId is a declared optional header,
# so it is generated too) and "no-auth" (no credential, or a generated, wrong one). Each phase has
# a time budget (AF_FUZZ_SECONDS, default 150), so the pass takes about five minutes. Reports go to
# conformance/fuzz/reports/<phase>/. Exit code: non-zero on any failure, error or server crash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../server.sh"

# The virtual environment is rebuilt when requirements.txt changes (its hash is stamped inside).
venv="$here/.venv"
stamp="$venv/requirements.sha256"
wanted="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/schemathesis" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
  echo "$wanted" >"$stamp"
fi
# AF_PREPARE_ONLY=1 (.ci/run, ahead of time): only the packages.
[ "${AF_PREPARE_ONLY:-}" != 1 ] || exit 0

# Failed authentications are throttled per address (10 per key, 50 in all, per minute): the no-auth
# phase fails thousands of times from 127.0.0.1, and with the default limits every route would only
# answer the throttle's 429 after the first 50. test/api/failedLogins.test.ts covers the throttle.
export AVATARFORGE_AUTH_FAILURE_LIMIT=1000000 AVATARFORGE_AUTH_FAILURE_ADDRESS_LIMIT=1000000
start_server fuzz AKFUZZCONFORMANCE001 SKfuzzConformanceSecretKey00000000000001

token="$(node -e '
  const [url, accessKey, secretKey, projectId] = process.argv.slice(1);
  const identity = { methods: ["password"], password: { user: { name: accessKey, password: secretKey } } };
  fetch(url + "/v3/auth/tokens?nocatalog=true", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ auth: { identity, scope: { project: { id: projectId } } } }),
  }).then((response) => {
    if (response.status !== 201) throw new Error("POST /v3/auth/tokens answered " + response.status);
    console.log(response.headers.get("x-subject-token"));
  }).catch((error) => { console.error(error.message); process.exit(1); });
' "$AF_BASE_URL" "$AF_ACCESS_KEY" "$AF_SECRET_KEY" "$AF_PROJECT_ID")"

reports="$here/reports"
rm -rf "$reports"
seconds="${AF_FUZZ_SECONDS:-150}"
started=$SECONDS
failed=0

# run_phase <name> <schemathesis run options...>
run_phase() {
  local name="$1"
  shift
  mkdir -p "$reports/$name"
  echo "-- fuzz phase: $name (up to ${seconds}s)"
  local status=0
  # Run from here: schemathesis keeps the failures it found in .schemathesis/ (in the working
  # directory) and replays them first next time, which is what one wants while fixing them.
  # A request may wait up to 120 s: a voice's first sample is synthesized by the trainer while the
  # caller waits, which on a busy machine takes longer than schemathesis's default of 10 s (this pass
  # checks answers, not how fast they come).
  # One worker: Hypothesis's caches are not safe across threads; with two, a race in its lambda
  # description cache once failed a generated case as "flaky" with the server never involved.
  (cd "$here" && "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run "$AF_BASE_URL/openapi.json" \
    --max-time "$seconds" --workers 1 --generation-database none --no-color --request-timeout 120 \
    --report json,ndjson --report-dir "$reports/$name" "$@") >"$reports/$name/output.txt" 2>&1 || status=$?
  # The full output is long (every operation, warnings); show the summary, and everything on
  # failure, with each line cut at 2,000 characters (a reproducing curl command can be 100 kB).
  if [ "$status" -eq 0 ]; then
    sed -n '/= SUMMARY =/,$p' "$reports/$name/output.txt"
  else
    cut -c1-2000 "$reports/$name/output.txt"
    failed=1
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server exited during the $name phase" >&2
    failed=1
  fi
}

# Tenant first: the no-auth phase's failed authentications must not throttle the token.
run_phase tenant -H "X-Auth-Token: $token" --generation-with-security-parameters false
run_phase no-auth

"$venv/bin/python" "$here/summary.py" "$reports" tenant no-auth || failed=1
echo "fuzz wall time: $((SECONDS - started))s"
# The same question from the server's side, over its request log, as every conformance suite asks it.
check_statuses || failed=1
[ "$failed" -eq 0 ] || { show_server_log; exit 1; }
