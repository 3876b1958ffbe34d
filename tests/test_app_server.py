"""The app's server: localhost Host headers only, a bounded number of kernels,
idle kernels culled (carbonclap_methods/widgets/serve.py).

Starts the real Voilà process of `carbonclap app` (no browser) with a cap of
one kernel, and speaks HTTP to it.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time

import pytest

from conftest import stop_process

from carbonclap_methods.widgets import serve

START_TIMEOUT_S = 180


@pytest.mark.parametrize("host, local", [
    ("127.0.0.1:8866", True), ("localhost:8866", True), ("localhost", True), ("[::1]:8866", True),
    ("127.0.0.2", True), ("LOCALHOST:1", True),
    ("evil.example:8866", False), ("evil.example", False), ("192.168.1.10:8866", False),
    ("localhost.evil.example", False), ("[2001:db8::1]:80", False), ("", False),
])
def test_is_local_host(host, local):
    assert serve.is_local_host(host) is local


def test_voila_config_culls_idle_kernels_and_bounds_them():
    config = serve.voila_config()
    kernels = config.MappingKernelManager
    assert kernels.cull_idle_timeout == serve.CULL_IDLE_S > 0
    assert kernels.cull_connected is False              # a page still open is never culled
    manager = config.VoilaConfiguration.multi_kernel_manager_class
    assert manager().max_kernels == serve.MAX_KERNELS


def _get(port: int, path: str, host: str, timeout: float = START_TIMEOUT_S):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("log") / "voila.log"
    # No pre-started kernel here: the pool's refill after the first page races with
    # the second request, so the cap would count one kernel or two depending on timing.
    command = serve.voila_command(port, open_browser=False, preheat=False) + [
        "--BoundedKernelManager.max_kernels=1"]
    env = serve.voila_env(tmp_path_factory.mktemp("saved"))
    with open(log, "w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"Voilà did not start: {log.read_text()}")
                time.sleep(0.25)
        yield port
    finally:
        stop_process(process)


def test_requests_for_another_host_are_refused(server):
    for path in ("/", "/voila/static/voila.js", "/api/kernels", "/nonexistent"):
        status, _ = _get(server, path, "attacker.example:80", timeout=30)
        assert status == 403, path


def test_local_page_then_one_too_many(server):
    status, page = _get(server, "/", f"127.0.0.1:{server}")
    assert status == 200 and "jupyter-config-data" in page
    status, page = _get(server, "/", f"localhost:{server}")       # a second page: cap of 1
    assert status == 503 and "Too many pages of the app are open (1)" in page
