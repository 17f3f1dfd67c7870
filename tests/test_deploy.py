"""deploy/: the image context, the compose file and the systemd units, checked by the tools that read them.

Each tool's check (hadolint; Docker Compose v2, as ``docker compose`` or
``docker-compose``; ``systemd-analyze``) is skipped with the reason when the
tool is missing here. ``CRAWLER_REQUIRE_DEPLOY_TOOLS`` turns a skip into a
failure: ``1`` for every tool, or the names of those required (``.ci/run``
requires the two it installs: ``hadolint systemd-analyze``). The checks that
need no tool always run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("crawler-*.service")) + sorted(DEPLOY.glob("crawler-*.timer"))


def _tool(name: str, *commands: str, version: str = "") -> list[str]:
    """The first of ``commands`` (default: ``name``) installed here, or skip (or fail) saying so.

    With ``version``, a command counts only when its ``version`` output has that text.
    """
    for command in commands or (name,):
        program, *rest = command.split()
        path = shutil.which(program) or shutil.which(program, path=str(Path(sys.executable).parent))
        if path and (not version or version in _output([path, *rest, "version"])):
            return [path, *rest]
    reason = f"{name} is not installed here (tried: {', '.join(commands or (name,))})"
    required = os.environ.get("CRAWLER_REQUIRE_DEPLOY_TOOLS", "")
    if required == "1" or name in required.replace(",", " ").split():
        pytest.fail(f"CRAWLER_REQUIRE_DEPLOY_TOOLS={required} but {reason}")
    pytest.skip(reason)


def _output(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else ""


def _unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections: each key with its values, in order (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            current.setdefault(key, []).append(value)
    return sections


def test_the_image_keeps_its_store_in_a_volume_and_its_context_has_every_copied_path() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^VOLUME /var/lib/crawler$", dockerfile, re.MULTILINE)
    assert "sqlite:////var/lib/crawler/" in dockerfile
    for line in re.findall(r"^COPY (.+) \S+$", dockerfile, re.MULTILINE):
        for source in line.split():
            assert (ROOT / source).exists(), f"COPY {source}: not in the build context"


def test_hadolint_passes_the_dockerfile() -> None:
    hadolint = _tool("hadolint")
    done = subprocess.run(
        [*hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_publishes_the_web_ui_and_never_creates_a_sources_directory() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    web = compose["services"]["web"]
    assert web["command"][0] == "serve"
    assert web["ports"] == ["127.0.0.1:8080:8080"]
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            if "sources.yaml" in str(volume):
                assert isinstance(volume, dict), f"{name}: a short-form bind creates a directory"
                assert volume["bind"]["create_host_path"] is False, name
                assert volume["read_only"] is True, name


def test_docker_compose_accepts_the_compose_file_and_its_build_context() -> None:
    # Debian 12's docker-compose 1.29 predates the Compose Specification (create_host_path).
    compose = _tool(
        "docker-compose-v2", "docker compose", "docker-compose", version="Docker Compose version v2"
    )
    done = subprocess.run(
        [*compose, "-f", str(DEPLOY / "compose.yaml"), "config", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert set(services) == {"db", "scheduler-a", "scheduler-b", "worker", "web"}
    for name, service in services.items():
        if "build" in service:
            context = Path(service["build"]["context"])
            assert context == ROOT, name
            assert (context / service["build"]["dockerfile"]).is_file(), name
    assert services["web"]["ports"][0]["host_ip"] == "127.0.0.1"


def test_the_units_are_hardened_alike_and_the_daemon_waits_for_no_postgresql() -> None:
    services = [u.name for u in UNITS if u.suffix == ".service"]
    assert "crawler-serve.service" in services
    for name in services:
        service = _unit(name)["Service"]
        assert service["MemoryDenyWriteExecute"] == ["yes"], name
        assert service["User"] == ["crawler"], (
            name
        )  # one dynamic user: serve reads what crawls write
    daemon = _unit("crawler-daemon.service")
    assert "sqlite:" in daemon["Service"]["Environment"][0]
    assert not any("postgresql" in v for v in daemon["Unit"].get("After", []))
    serve = _unit("crawler-serve.service")["Service"]["ExecStart"][0]
    assert " serve --host 127.0.0.1 --port 8080" in serve


def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze")
    crawler = shutil.which("crawler", path=str(Path(sys.executable).parent)) or "/bin/true"
    for unit in UNITS:  # ExecStart must name a program that exists here
        text = unit.read_text().replace("/usr/local/bin/crawler", crawler)
        (tmp_path / unit.name).write_text(text)
    done = subprocess.run(
        [*analyze, "verify", "--man=no", *(str(tmp_path / u.name) for u in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr  # it only warns about unknown keys and values
