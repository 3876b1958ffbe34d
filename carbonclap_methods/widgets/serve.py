"""Serving the guided assessment as a web app with Voilà, on localhost only.

``carbonclap app`` runs Voilà on ``notebooks/guided_assessment.ipynb`` with
the ``carbonclap`` template (``share/voila/templates/carbonclap``): Voilà's
lab template minus its two Font Awesome links to a CDN, so that every
script, style and font comes from the local server and the app works with
no network. The kernel inherits ``CARBONCLAP_SAVE_DIR``, the folder where
the app writes saves and exports.

Voilà is started through :func:`run_voila` (``python -m
carbonclap_methods.widgets.serve``) to set one hook: Voilà's page shuts its
kernel down when it is closed or reloaded with a POST that carries the
``_xsrf`` cookie, but the page never sets that cookie, so the server refuses
the request (403, voila-dashboards/voila#1458) and the kernel lingers until
the server stops. :func:`set_xsrf_cookie` sets it when the page is served.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from .. import bundled
from ..errors import AppError

NOTEBOOK = bundled.notebooks() / "guided_assessment.ipynb"
SHARE = Path(__file__).resolve().with_name("share")
TEMPLATE = "carbonclap"
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on localhost now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def voila_command(port: int, open_browser: bool, notebook: Path = NOTEBOOK) -> list[str]:
    """The Voilà command line serving ``notebook`` on ``HOST:port``."""
    return [sys.executable, "-m", __name__, str(notebook), f"--port={port}",
            f"--Voila.ip={HOST}", "--Voila.port_retries=0", f"--template={TEMPLATE}",
            "--theme=light"] + ([] if open_browser else ["--no-browser"])


def voila_env(save_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """The environment of the Voilà process: our template folder first on
    ``JUPYTER_PATH``, and the save folder for the kernel (``save_dir``, else
    ``$CARBONCLAP_SAVE_DIR``, else ``assessments/`` in the current folder, made
    absolute here: the kernel runs in the notebook's folder)."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE)] + [p for p in
                                           env.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    folder = save_dir or env.get("CARBONCLAP_SAVE_DIR") or "assessments"
    env["CARBONCLAP_SAVE_DIR"] = str(Path(folder).expanduser().resolve())
    return env


def serve(port: int | None = None, open_browser: bool = True,
          save_dir: str | os.PathLike | None = None) -> int:
    """Run Voilà until it stops (Ctrl-C); returns its exit status (on POSIX the
    process is replaced by Voilà and this does not return).

    Raises
    ------
    CarbonClapError
        If the notebook is missing (an incomplete install).
    """
    if not NOTEBOOK.is_file():
        raise AppError(f"{NOTEBOOK}: the guided assessment notebook is missing "
                              "(reinstall carbonclap-methods)")
    port = port or free_port()
    sys.stderr.write(f"carbonclap app: http://{HOST}:{port}/ (Ctrl-C stops the server)\n")
    try:
        return _run(voila_command(port, open_browser), voila_env(save_dir))
    except KeyboardInterrupt:
        return 0


def _run(command: list[str], env: dict[str, str]) -> int:
    """Run Voilà. On POSIX the process *becomes* Voilà (exec), so that a signal
    sent to ``carbonclap app`` (Ctrl-C, SIGTERM) reaches Voilà, which then
    shuts its kernels down; a child process would be left running."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(command[0], command, env)
    return subprocess.call(command, env=env)


def set_xsrf_cookie(handler, notebook=None, cwd=None) -> None:
    """Voilà prelaunch hook: give the page its ``_xsrf`` cookie (see the module's notes)."""
    handler.xsrf_token        # reading the token sets the cookie on the response


def run_voila(argv: list[str] | None = None) -> None:
    """Voilà's command line, with :func:`set_xsrf_cookie` as its prelaunch hook."""
    from traitlets.config import Config
    from voila.app import Voila

    config = Config()
    config.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
    Voila.launch_instance(argv=argv, config=config)


if __name__ == "__main__":
    run_voila(sys.argv[1:])
