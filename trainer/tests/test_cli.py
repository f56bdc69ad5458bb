"""The trainer's command line: what a failure says on its last line, which is what users see."""

from __future__ import annotations

import sys

from avatarforge_trainer import __main__ as cli
from avatarforge_trainer.media import TrainerError


def run(monkeypatch, capsys, failure: Exception) -> tuple[int, list[str]]:
    def fail(arguments):
        raise failure

    monkeypatch.setattr(cli, "run_check", fail)
    monkeypatch.setattr(sys, "argv", ["avatarforge_trainer", "check", "--model", "x"])
    status = cli.main()
    return status, capsys.readouterr().err.strip().splitlines()


def test_a_reason_for_the_user_is_one_line(monkeypatch, capsys):
    status, lines = run(monkeypatch, capsys, TrainerError("ffmpeg could not read the video:\n  moov atom not found\n"))
    assert status == 1
    assert lines == ["ffmpeg could not read the video: | moov atom not found"]


def test_a_bug_prints_its_traceback_for_the_log_and_a_plain_last_line(monkeypatch, capsys):
    status, lines = run(monkeypatch, capsys, KeyError("secret_field"))
    assert status == 1
    assert lines[0] == "Traceback (most recent call last):"
    assert any("KeyError: 'secret_field'" in line for line in lines)
    assert lines[-1] == "the trainer failed on an internal error (KeyError); the details are in the log"
