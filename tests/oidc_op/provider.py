"""Start and stop the test provider from a test (``start``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    url: str
    client_id: str
    client_secret: str
    process: subprocess.Popen
    tmpdir: tempfile.TemporaryDirectory
    users: dict = field(default_factory=dict)

    def set_idtoken_expiry(self, seconds: int) -> None:
        requests.post(
            f"{self.url}/_test/idtoken-expire/", data={"seconds": seconds}, timeout=10
        ).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.tmpdir.cleanup()


def start(*, redirect_uris, post_logout_redirect_uris, users) -> Provider:
    """The provider on a free port of 127.0.0.1, once its discovery document answers."""
    port = free_port()
    tmpdir = tempfile.TemporaryDirectory(prefix="ledmot-op-")
    setup = {
        "client_id": "ledmot-test",
        "client_secret": "test-client-secret-" + str(port),
        "redirect_uris": list(redirect_uris),
        "post_logout_redirect_uris": list(post_logout_redirect_uris),
        "users": users,
    }
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "OP_PORT": str(port),
        "OP_DB": str(Path(tmpdir.name) / "op.sqlite3"),
        "OP_SETUP": json.dumps(setup),
        "PYTHONPATH": str(ROOT),
    }
    log = open(Path(tmpdir.name) / "op.log", "w")  # noqa: SIM115 - lives with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_op.serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    provider = Provider(url, setup["client_id"], setup["client_secret"], process, tmpdir)
    provider.users = {person["username"]: person for person in users}
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log.close()
            output = (Path(tmpdir.name) / "op.log").read_text()
            tmpdir.cleanup()
            raise RuntimeError(f"the test provider stopped:\n{output}")
        try:
            if requests.get(f"{url}/.well-known/openid-configuration", timeout=2).ok:
                return provider
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            provider.stop()
            raise RuntimeError("the test provider did not start within 60 s")
        time.sleep(0.2)
