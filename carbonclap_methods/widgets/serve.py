"""Serving the guided assessment as a web app with Voilà, on localhost only.

``carbonclap app`` runs Voilà on ``notebooks/guided_assessment.ipynb`` with
the ``carbonclap`` template (``share/voila/templates/carbonclap``): Voilà's
lab template minus its two Font Awesome links to a CDN, so that every
script, style and font comes from the local server and the app works with
no network. The kernel inherits ``CARBONCLAP_SAVE_DIR``, the folder where
the app writes saves and exports.

Voilà is started through :func:`run_voila` (``python -m
carbonclap_methods.widgets.serve``) to change a few things:

- Pre-started kernels: :data:`POOL_SIZE` kernels wait with the notebook
  already run (Voilà's ``preheat_kernel``), so a page opens on a ready app
  instead of starting Python, importing the package and building the app
  (``benchmarks/widgets.py`` measures both). The notebook's last cell calls
  :func:`carbonclap_methods.widgets.page_opened`, which waits for the page
  and then looks at the save folder (the draft may be newer than the kernel).
- Voilà's page shuts its kernel down when it is closed or reloaded with a
  POST that carries the ``_xsrf`` cookie, but the page never sets that
  cookie, so the server refuses the request (403,
  voila-dashboards/voila#1458) and the kernel lingers until the server
  stops. The page handler sets it (:func:`with_xsrf_cookie`; Voilà's
  ``prelaunch_hook`` would do, but cannot be combined with pre-started
  kernels).

The server is for the person at this machine only, and bounded:

- Every request whose ``Host`` header is not this machine (``localhost``,
  ``127.0.0.1``, ``::1``) is refused with 403 before any handler runs, static
  files and websockets included: a web page elsewhere cannot reach the app
  through DNS rebinding (Voilà itself sets ``allow_remote_access=True`` and
  checks no Host header).
- A kernel (about 230 MB) whose page is gone and that has been idle for
  :data:`CULL_IDLE_S` seconds is shut down (checked every
  :data:`CULL_INTERVAL_S` s); a kernel with its page open is never culled.
- At most :data:`MAX_KERNELS` kernels run at once; one page more gets a 503
  page saying so, in French and English, until a page is closed.
"""

from __future__ import annotations

import inspect
import os
import socket
import subprocess
import sys
from pathlib import Path

from .. import bundled
from ..errors import AppError, Location

NOTEBOOK = bundled.notebooks() / "guided_assessment.ipynb"
# The apps `carbonclap app [NAME]` serves: name -> notebook.
APPS = {"guided": NOTEBOOK, "scenarios": bundled.notebooks() / "scenario_explorer.ipynb"}
SHARE = Path(__file__).resolve().with_name("share")
TEMPLATE = "carbonclap"
HOST = "127.0.0.1"
POOL_SIZE = 1                          # pre-started kernels waiting for a page
LOCAL_HOSTNAMES = ("localhost",)       # names accepted in the Host header, besides loopback IPs
MAX_KERNELS = 8                        # pages open at once (~230 MB each): modelling choice
CULL_IDLE_S = 600                      # a kernel with no page, idle this long, is shut down
CULL_INTERVAL_S = 60
TOO_MANY = ("Trop de pages de l'application sont ouvertes ({count}) : fermez-en une, puis "
            "rechargez cette page. / Too many pages of the app are open ({count}): close "
            "one, then reload this page.")


def free_port() -> int:
    """A TCP port free on localhost now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def voila_command(port: int, open_browser: bool, notebook: Path = NOTEBOOK,
                  preheat: bool = True) -> list[str]:
    """The Voilà command line serving ``notebook`` on ``HOST:port`` (with
    :data:`POOL_SIZE` pre-started kernels unless ``preheat`` is False)."""
    pool = ([f"--VoilaConfiguration.preheat_kernel=True",
             f"--VoilaConfiguration.default_pool_size={POOL_SIZE}"] if preheat else [])
    return [sys.executable, "-m", __name__, str(notebook), f"--port={port}",
            f"--Voila.ip={HOST}", "--Voila.port_retries=0", f"--template={TEMPLATE}",
            "--theme=light", *pool] + ([] if open_browser else ["--no-browser"])


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
          save_dir: str | os.PathLike | None = None, app: str = "guided") -> int:
    """Run Voilà on the notebook of ``app`` (a key of :data:`APPS`: the guided
    assessment, or the audio scenario explorer) until it stops (Ctrl-C);
    returns its exit status (on POSIX the process is replaced by Voilà and
    this does not return).

    Raises
    ------
    CarbonClapError
        If the notebook is missing (an incomplete install).
    """
    notebook = APPS[app]
    if not notebook.is_file():
        raise AppError("the app's notebook is missing (reinstall carbonclap-methods)",
                       Location(notebook))
    port = port or free_port()
    sys.stderr.write(f"carbonclap app: http://{HOST}:{port}/ (Ctrl-C stops the server)\n")
    try:
        return _run(voila_command(port, open_browser, notebook), voila_env(save_dir))
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
    """Give the page its ``_xsrf`` cookie (see the module's notes)."""
    handler.xsrf_token        # reading the token sets the cookie on the response


def with_xsrf_cookie(handler_class: type) -> type:
    """A subclass of a Voilà page handler that sets the ``_xsrf`` cookie."""

    class PageHandler(handler_class):
        async def prepare(self, *args, **kwargs):
            result = super().prepare(*args, **kwargs)
            if inspect.isawaitable(result):
                await result
            if not self._finished:            # after Jupyter's prepare: the user is known
                set_xsrf_cookie(self)

    PageHandler.__name__ = f"Cookie{handler_class.__name__}"
    return PageHandler


def is_local_host(host: str) -> bool:
    """Whether an HTTP ``Host`` header names this machine (a loopback address or
    ``localhost``), with or without a port."""
    import ipaddress

    name = str(host).strip().lower()
    if name.startswith("["):                          # [::1]:8866
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:                        # 127.0.0.1:8866, localhost:8866
        name = name.partition(":")[0]
    if name in LOCAL_HOSTNAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def protect(app) -> None:
    """Refuse (403) every request of a tornado ``app`` whose Host is not local,
    before any of its own rules (pages, static files, websockets, API)."""
    from tornado import web
    from tornado.routing import Matcher, Rule

    class NotLocal(Matcher):
        def match(self, request):
            return None if is_local_host(request.host) else {}

    class Refuse(web.RequestHandler):
        def prepare(self):
            raise web.HTTPError(403, "Host header %r is not this machine", self.request.host)

    app.default_router.rules.insert(0, app.default_router.process_rule(Rule(NotLocal(), Refuse)))


def kernel_manager_class():
    """Voilà's kernel manager, refusing a kernel beyond :data:`MAX_KERNELS`."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado import web
    from traitlets import Int

    class BoundedKernelManager(AsyncMappingKernelManager):
        max_kernels = Int(MAX_KERNELS, config=True,
                          help="Kernels running at once; one more page gets a 503.")

        async def start_kernel(self, *args, **kwargs):
            count = len(self.list_kernel_ids())
            if kwargs.get("kernel_id") is None and count >= self.max_kernels:
                raise web.HTTPError(503, reason=TOO_MANY.format(count=count).split(" / ")[1],
                                    log_message=TOO_MANY.format(count=count))
            return await super().start_kernel(*args, **kwargs)

    return BoundedKernelManager


def voila_config():
    """The traitlets configuration of the app's Voilà (see the module's notes)."""
    from traitlets.config import Config

    config = Config()
    config.VoilaConfiguration.multi_kernel_manager_class = kernel_manager_class()
    config.MappingKernelManager.cull_idle_timeout = CULL_IDLE_S
    config.MappingKernelManager.cull_interval = CULL_INTERVAL_S
    config.MappingKernelManager.cull_connected = False
    config.MappingKernelManager.cull_busy = False
    return config


def run_voila(argv: list[str] | None = None) -> None:
    """Voilà's command line, configured by :func:`voila_config`, its requests
    checked by :func:`protect`."""
    from voila.app import Voila
    from voila.handler import BaseVoilaHandler

    class LocalVoila(Voila):
        def init_handlers(self):
            return [(rule[0], with_xsrf_cookie(rule[1]), *rule[2:])
                    if isinstance(rule[1], type) and issubclass(rule[1], BaseVoilaHandler)
                    else rule for rule in super().init_handlers()]

        def init_settings(self):
            settings = super().init_settings()
            settings["allow_remote_access"] = False
            settings["local_hostnames"] = list(LOCAL_HOSTNAMES)
            return settings

        def listen(self):
            protect(self.app)
            super().listen()

    LocalVoila.launch_instance(argv=argv, config=voila_config())


if __name__ == "__main__":
    run_voila(sys.argv[1:])
