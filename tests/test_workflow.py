"""The deploy workflow (.github/workflows/deploy.yml) grants least privilege, pins its
actions and bounds its time.
"""

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "deploy.yml"
PUBLISHING = {"pages": "write", "id-token": "write"}


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_no_permission_at_workflow_level_and_each_job_names_its_own():
    flow = workflow()
    assert flow.get("permissions") == {}, (
        "permissions granted to every job, pull requests included"
    )
    for name, job in flow["jobs"].items():
        assert "permissions" in job, (
            f"job {name} inherits permissions instead of naming them"
        )


def test_only_the_main_branch_deploy_job_may_publish():
    for name, job in workflow()["jobs"].items():
        publishes = {
            key: value
            for key, value in job["permissions"].items()
            if PUBLISHING.get(key) == value
        }
        if name == "deploy":
            assert publishes == PUBLISHING
            assert "refs/heads/main" in job["if"] and "pull_request" in job["if"]
        else:
            assert not publishes, (
                f"job {name} (which also runs for pull requests) may publish: "
                f"{publishes}"
            )


def test_every_action_is_pinned_by_a_full_commit_sha():
    uses = [
        step["uses"]
        for job in workflow()["jobs"].values()
        for step in job["steps"]
        if "uses" in step
    ]
    assert uses
    unpinned = [
        u for u in uses if not re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u)
    ]
    assert not unpinned, f"actions pinned by tag or branch: {unpinned}"


def test_every_job_has_a_timeout():
    for name, job in workflow()["jobs"].items():
        assert 0 < job.get("timeout-minutes", 0) <= 120, f"job {name} has no time bound"


def test_pull_requests_cannot_cancel_a_deployment_of_main():
    jobs = workflow()["jobs"]
    deploy = jobs["deploy"]["concurrency"]
    assert "${{" not in deploy["group"] and deploy["cancel-in-progress"] is False
    build = jobs["build"]["concurrency"]
    assert build["group"] != deploy["group"], (
        "pull-request builds share the deployment's concurrency group"
    )
