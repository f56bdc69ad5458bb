"""One summary of the fuzz phases for the CI log: requests, answers by status class, failures.

    python summary.py <reports dir> <phase>...

Reads each phase's schemathesis reports (<reports dir>/<phase>/json-*.json and ndjson-*.ndjson).
Exit code 1 when a phase has a failure or an error, or its reports are missing.
"""

import collections
import json
import pathlib
import sys


def phase_summary(directory: pathlib.Path) -> dict:
    run_report = json.loads(next(directory.glob("json-*.json")).read_text())
    requests_by_stage: collections.Counter = collections.Counter()
    status_classes: collections.Counter = collections.Counter()
    with_app_user = 0
    for line in next(directory.glob("ndjson-*.ndjson")).open():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        for interaction in finished["recorder"].get("interactions", {}).values():
            requests_by_stage[finished["phase"]] += 1
            response = interaction.get("response")
            status_classes[f"{response['status_code'] // 100}xx" if response else "no answer"] += 1
            headers = {name.lower() for name in interaction["request"].get("headers", {})}
            with_app_user += "x-app-userid" in headers
    test_cases = run_report["test_cases"]
    return {
        "requests": sum(requests_by_stage.values()),
        "by_stage": dict(requests_by_stage),
        "status_classes": dict(sorted(status_classes.items())),
        "with_app_user": with_app_user,
        "failures": test_cases["with_failures"],
        "unique_failures": sum(failure["count"] for failure in run_report["failures"]),
        "failure_kinds": [f"{failure['code']} {failure['title']} ({', '.join(failure['operations'])})" for failure in run_report["failures"]],
        "errors": len(run_report["errors"]) + test_cases["errored"],
        "seconds": run_report["running_time"],
        "seed": run_report["seed"],
        "operations": run_report["operations"]["tested"],
    }


def main() -> int:
    reports = pathlib.Path(sys.argv[1])
    ok = True
    print("== fuzz summary (schemathesis)")
    for phase in sys.argv[2:]:
        try:
            summary = phase_summary(reports / phase)
        except (StopIteration, KeyError, ValueError) as error:
            print(f"{phase}: no usable report ({error!r})")
            ok = False
            continue
        stages = ", ".join(f"{stage} {count}" for stage, count in summary["by_stage"].items())
        answers = ", ".join(f"{status} {count}" for status, count in summary["status_classes"].items())
        print(
            f"{phase}: {summary['operations']} operations, {summary['requests']} requests ({stages}) in {summary['seconds']:.0f}s; answers: {answers}; "
            f"with X-App-UserId: {summary['with_app_user']}; "
            f"failing test cases: {summary['failures']}, unique failures: {summary['unique_failures']}, errors: {summary['errors']}; "
            f"seed {summary['seed']}"
        )
        for kind in summary["failure_kinds"]:
            print(f"  failure: {kind}")
        ok = ok and summary["failures"] == 0 and summary["unique_failures"] == 0 and summary["errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
