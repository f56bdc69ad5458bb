#!/usr/bin/env bash
# Go SDK conformance: the official huaweicloud-sdk-go-v3 (metastudio v1) against a real avatarforge
# server (started and stopped by conformance/server.sh). Exit code = go test's, or 1 when the server
# answered a status its OpenAPI document does not declare (check_statuses).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../server.sh"

# The tests run with a temp HOME (below): keep Go's module and build caches where they are.
GOMODCACHE="$(go env GOMODCACHE)"
GOCACHE="$(go env GOCACHE)"
GOPATH="$(go env GOPATH)"
export GOMODCACHE GOCACHE GOPATH

start_server goconf AKGOCONFORMANCE00001 SKgoConformanceSecretKey000000000000001

# The SDK writes ~/.huaweicloud/application_id on first use: keep it out of the real home.
status=0
(
  cd "$here"
  HOME="$AF_WORK/home" CLOUD_SDK_AK="$AF_ACCESS_KEY" CLOUD_SDK_SK="$AF_SECRET_KEY" AF_REPO_ROOT="$conformance_repo" \
    go test ./... -count=1 -v
) || status=$?
[ "$status" -eq 0 ] || { show_server_log; exit "$status"; }
check_statuses
