#!/usr/bin/env bash
# Java SDK conformance: the official huaweicloud-sdk-metastudio (Maven Central) against a real
# avatarforge server (started and stopped by conformance/server.sh). Exit code = Maven's, or 1 when
# the server answered a status its OpenAPI document does not declare (check_statuses). Maven uses
# the default local repository (~/.m2), so CI reuses downloads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../server.sh"

start_server javaconf AKJAVACONFORMANCE0001 SKjavaConformanceSecretKey00000000000001

# The SDK writes ~/.huaweicloud/application_id on first use: the tests get a throwaway home.
status=0
CLOUD_SDK_AK="$AF_ACCESS_KEY" CLOUD_SDK_SK="$AF_SECRET_KEY" \
  mvn -q -B -f "$here/pom.xml" test -Daf.home="$AF_WORK/home" || status=$?
[ "$status" -eq 0 ] || { show_server_log; exit "$status"; }
check_statuses
