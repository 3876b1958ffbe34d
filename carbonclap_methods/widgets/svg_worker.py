"""Rendering Vega-Lite specs to SVG in a separate process.

vl-convert holds Python's GIL while it renders (about 20 to 150 ms a chart,
more with long labels), so rendering in a thread would still block the
kernel's next keystroke. The results panel therefore builds the chart specs
with altair on the main thread and sends them, as one JSON line, to a worker
process (``python -m carbonclap_methods.widgets.svg_worker``) that answers
with one JSON line of SVG texts. A thread of this process waits for the
answer (waiting on a pipe releases the GIL). The worker imports nothing but
vl-convert and makes the call of :func:`carbonclap_methods.charts.to_svg`
(external data refused); it stops when its input closes, so it never
outlives the kernel.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor

_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="carbonclap-svg")
_worker: subprocess.Popen | None = None


def svgs(specs: list[dict], vl_version: str | None) -> list[str]:
    """SVG text of each Vega-Lite spec (what the worker runs)."""
    import vl_convert as vlc
    return [vlc.vegalite_to_svg(spec, vl_version=vl_version, allowed_base_urls=[])
            for spec in specs]


def _process() -> subprocess.Popen:
    """The worker process, started (again) if it is not running."""
    global _worker
    if _worker is None or _worker.poll() is not None:
        _worker = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, encoding="utf-8")
    return _worker


def _ask(specs: list[dict], vl_version: str | None) -> list[str]:
    worker = _process()
    worker.stdin.write(json.dumps({"specs": specs, "vl_version": vl_version}) + "\n")
    worker.stdin.flush()
    answer = worker.stdout.readline()
    if not answer:
        raise RuntimeError("the chart worker stopped")
    reply = json.loads(answer)
    if "error" in reply:
        raise RuntimeError(f"chart could not be rendered to SVG: {reply['error']}")
    return reply["svgs"]


def submit(specs: list[dict], vl_version: str | None) -> Future:
    """Render ``specs`` in the worker; the future holds the SVG texts, in order."""
    return _THREAD.submit(_ask, specs, vl_version)


def warm() -> None:
    """Start the worker now, so that the first drawing does not wait for it."""
    _THREAD.submit(_process)


def main() -> None:
    """The worker: one JSON request per input line, one JSON answer per output line."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = {"svgs": svgs(request["specs"], request.get("vl_version"))}
        except Exception as exc:  # noqa: BLE001 - sent back to the kernel
            reply = {"error": str(exc)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
