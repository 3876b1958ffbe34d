"""Start-up of the command line: ``carbonclap compute examples/podcast_episode.yaml``
as a whole process (interpreter start, imports, edition load, compute, output).

Each variant runs ``--repeat`` times in a fresh process; the script prints the
median wall time and the median CPU time (user + sys of the child, steadier
than wall time on a shared machine), against two baselines in the same run:

- ``python -c pass``: the interpreter alone, the floor;
- ``eager (before)``: the command as it was before issue 11: every module
  the CLI used to import at start (workbook/openpyxl, templates, diff,
  compare, uncertainty/tqdm), pint importing dask, and the unit registry
  parsed from its text files (no cache);
- ``lazy, full exit``: imports on demand, pint without dask and from its
  cache, but the interpreter's normal teardown at exit and no unit-facts cache
  (the command as it was at the last measure, 0.54-0.57 s on an idle machine);
- ``lazy (now)``: the command as users type it (the ``carbonclap`` script):
  imports on demand, the unit facts already read from the user's cache (no
  pint import), and os._exit once the output is flushed, warmed by one
  untimed run;
- ``import pandas``: what no laziness can remove (the engine's tables); it
  pays the interpreter's teardown that the command skips, so the command can
  come out level with it.

A user's first command fills the caches (pint's parsed definitions, the unit
facts, the questionnaires' field tables, the validated editions) and is
slower; the figures are for every later one.

    python benchmarks/startup.py [--repeat N]

Target (issue 11): the lazy whole process under 0.5 s (it was about 1.06 s).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "podcast_episode.yaml"
COMPUTE = f"from carbonclap_methods.cli import main; main(['compute', {str(EXAMPLE)!r}])"
EAGER = ("import dask, pint, yaml; "
         "import carbonclap_methods.assessment, carbonclap_methods.compare, "
         "carbonclap_methods.diff, carbonclap_methods.factors, carbonclap_methods.files, "
         "carbonclap_methods.render, carbonclap_methods.results, "
         "carbonclap_methods.uncertainty, carbonclap_methods.templates, "
         "carbonclap_methods.workbook; " + COMPUTE)
SCRIPT = Path(sys.executable).with_name("carbonclap")
VARIANTS = {
    "python -c pass": ([sys.executable, "-c", "pass"], {}),
    "eager (before)": ([sys.executable, "-c", EAGER], {"CARBONCLAP_UNITS_CACHE": "off"}),
    # the command users type: the console script beside this interpreter (python -m
    # would import the command-line module twice, once as __main__)
    "lazy, full exit": ([sys.executable, "-c", COMPUTE], {"CARBONCLAP_UNITS_CACHE": "registry"}),
    "lazy (now)": ([str(SCRIPT) if SCRIPT.is_file() else sys.executable]
                   + ([] if SCRIPT.is_file() else ["-m", "carbonclap_methods.cli"])
                   + ["compute", str(EXAMPLE)], {}),
    "import pandas": ([sys.executable, "-c", "import pandas"], {}),
}


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
                   env={**os.environ, **env})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    timed(*VARIANTS["lazy (now)"])            # warm pint's cache and the OS file cache
    results = {}
    for _ in range(args.repeat):              # interleaved: load changes hit every variant
        for name, (command, env) in VARIANTS.items():
            results.setdefault(name, []).append(timed(command, env))
    print(f"carbonclap compute {EXAMPLE.relative_to(ROOT)}, median of {args.repeat} "
          f"fresh processes")
    print(f"{'variant':<16} {'wall s':>8} {'CPU s':>8}")
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{name:<16} {wall:8.3f} {cpu:8.3f}")
    eager = statistics.median(r[1] for r in results["eager (before)"])
    lazy = statistics.median(r[1] for r in results["lazy (now)"])
    print(f"lazy / eager CPU time: {lazy / eager:.2g}")


if __name__ == "__main__":
    main()
