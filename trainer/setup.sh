#!/usr/bin/env bash
# Makes the reference trainer's Python environment (trainer/.venv) from the pinned requirements.
# Run by `npm run build`; does nothing when the environment already matches requirements.txt and
# requirements-mesh.txt.
# Needs python3 (3.10 to 3.12) with venv; the system tools ffmpeg and espeak-ng are documented in
# the README and installed by .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
python="${AVATARFORGE_PYTHON:-python3}"
stamp=.venv/requirements.sha256
wanted="$(cat requirements.txt requirements-mesh.txt | sha256sum | cut -d' ' -f1)"
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
echo "setting up the reference trainer's Python environment (trainer/.venv)"
rm -rf .venv
"$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-mesh.txt
echo "$wanted" > "$stamp"
