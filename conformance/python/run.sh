#!/usr/bin/env bash
# Python SDK conformance: the official huaweicloudsdkmetastudio against a real avatarforge server
# (started and stopped by conformance/server.sh). Exit code = pytest's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../server.sh"

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"

start_server pyconf AKPYCONFORMANCE00001 SKpyConformanceSecretKey000000000000001

# The SDK writes ~/.huaweicloud/application_id on first use: keep it out of the real home.
status=0
HOME="$AF_WORK/home" CLOUD_SDK_AK="$AF_ACCESS_KEY" CLOUD_SDK_SK="$AF_SECRET_KEY" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "$here" || status=$?
[ "$status" -eq 0 ] || show_server_log
exit "$status"
