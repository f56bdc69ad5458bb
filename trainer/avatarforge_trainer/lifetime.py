"""The trainer dies with the process that started it.

The server starts each trainer run in a process group of its own and names itself in
AVATARFORGE_PARENT_PID. Should the server die, even by kill -9 (which it cannot answer), a watcher
thread here notices within WATCH_SECONDS and kills the run's whole process group: the trainer and
every ffmpeg it started. Without the variable, the parent is the process that started the trainer.
When the trainer shares its parent's process group (a CLI that did not give it one), it ends only
itself.
"""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_ENV = "AVATARFORGE_PARENT_PID"
WATCH_SECONDS = 0.5


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as source:
            return source.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc (not Linux): kill(0) said it exists


def die_with_parent() -> None:
    """Watch the parent (AVATARFORGE_PARENT_PID, else this process's parent) and end with it."""
    parent = int(os.environ.get(PARENT_ENV) or os.getppid())
    try:
        own_group = os.getpgid(parent) != os.getpgrp()
    except ProcessLookupError:
        own_group = True

    def end() -> None:
        if own_group:
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os._exit(1)

    def watch() -> None:
        while _alive(parent):
            time.sleep(WATCH_SECONDS)
        end()

    if not _alive(parent):
        end()
    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
