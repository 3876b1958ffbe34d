"""Drawing charts off the kernel's main thread, shared by the result views.

With a running event loop (a kernel serving the app), altair charts are
rendered to SVG by the worker process of :mod:`.svg_worker` and handed back
on the loop; a worker failure falls back to rendering in this process.
Errors raised by those callbacks go to ``on_problem`` so they reach the user
instead of vanishing in the loop.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from ..charts import to_svg, vl_version
from . import svg_worker


def running_loop():
    """The running asyncio loop, or None (plain Python, tests)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def guard(step: Callable, on_problem: Callable | None, *args) -> None:
    """Call ``step(*args)``; an exception goes to ``on_problem`` (raised if there is none)."""
    try:
        step(*args)
    except Exception as exc:  # noqa: BLE001 - shown to the user, never lost
        if on_problem is None:
            raise
        on_problem(exc)


def draw_in_worker(charts: list, deliver: Callable[[list[str]], None],
                   on_problem: Callable | None) -> None:
    """Render ``charts`` to SVG in the worker; call ``deliver(svgs)`` on the loop.

    Needs a running loop (see :func:`running_loop`).
    """
    loop = running_loop()
    future = svg_worker.submit([chart.to_dict() for chart in charts], vl_version())

    def finish(done) -> None:
        try:
            svgs = done.result()
        except Exception:  # noqa: BLE001 - the worker failed: draw here instead
            svgs = [to_svg(chart) for chart in charts]
        deliver(svgs)

    future.add_done_callback(lambda done: loop.call_soon_threadsafe(
        guard, finish, on_problem, done))
