"""The stages' progress lines state a percentage the server shows in the job (docs/pipeline.md, "Progress")."""

import re

from avatarforge_trainer.stages import percent

# The server's reading of a percentage in a progress line (src/pipeline/stageProgress.ts).
SERVER_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")


def test_percent_floors_stops_at_100_and_reads_as_the_server_reads_it():
    assert [percent(1, 3), percent(2, 3), percent(4500, 4500), percent(5, 4), percent(3, 0)] == ["33 %", "66 %", "100 %", "100 %", "0 %"]
    line = f"landmarks 2000/4500 frames, {percent(2000, 4500)} (52 s)"
    assert SERVER_PERCENT.search(line).group(1) == "44"
