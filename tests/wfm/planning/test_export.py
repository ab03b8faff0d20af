"""The export folder: complete, and published in one step so a failure leaves the previous export as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tiny_center import tiny_config, tiny_history

from wfm.errors import DataError
from wfm.planning import export
from wfm.planning.plan import Plan, plan_week


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_week(tiny_history(), tiny_config())


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_export_is_complete(plan: Plan, tmp_path: Path) -> None:
    target = export.export_plan(plan, tiny_history(), tmp_path)
    assert target == tmp_path / "2026-W47"
    assert sorted(p.name for p in target.iterdir()) == sorted(export.EXPORT_FILES)


def test_a_failure_while_writing_leaves_the_previous_export(plan: Plan, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = export.export_plan(plan, tiny_history(), tmp_path)
    before = fingerprint(target)
    (target / "summary.json").touch()  # the export in place is the one to keep

    def broken(*_: object) -> str:
        raise OSError(28, "No space left on device", "report.html")

    monkeypatch.setattr(export, "report_html", broken)
    with pytest.raises(DataError, match=r"cannot write the export \(No space left on device: report\.html\); "
                                        r"pass a writable folder with free space"):
        export.export_plan(plan, tiny_history(), tmp_path)
    assert fingerprint(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W47"]  # no staging folder left behind


def test_a_rerun_replaces_the_export_in_one_step(plan: Plan, tmp_path: Path) -> None:
    first = export.export_plan(plan, tiny_history(), tmp_path)
    (first / "stale.txt").write_text("from an older run")
    second = export.export_plan(plan, tiny_history(), tmp_path)
    assert second == first and not (second / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W47"]
