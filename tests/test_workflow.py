"""The publishing workflow: valid for GitHub Actions; it tests, builds and deploys as promised."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def test_actionlint_finds_no_problem():
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint, "actionlint is a test extra"
    done = subprocess.run([actionlint, str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_tests_on_pull_requests_and_deploys_only_from_main():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]  # YAML reads the key 'on' as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    steps = flow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "make test" in runs
    assert any("build.py check --format github" in run and "--base-url" in run for run in runs)
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/setup-python"]["with"]["cache"] == "pip"
    assert uses["actions/cache"]["with"]["path"] == ".cache"
    assert uses["actions/upload-pages-artifact"]["if"] == "github.event_name == 'push'"
    deploy = flow["jobs"]["deploy"]
    assert deploy["if"] == "github.event_name == 'push'" and deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
