"""Benchmark of a portfolio on a Dask cluster, through the command line (issue 17).

Writes a synthetic portfolio of 100,000 assessments x 200 lines (20 million
lines, mixed units, over the emission factors of the default edition, as in
benchmarks/engine.py) as a partitioned Parquet dataset (one part per
``--lines-per-part`` lines, one production table beside it). Then, in the
same run:

- pandas: ``carbonclap portfolio DATASET`` in a child process (every line in
  the client's memory), its wall time and peak memory (max RSS);
- dask: a ``distributed.LocalCluster`` of ``--workers`` worker processes
  (one thread each) is started, and ``carbonclap portfolio DATASET --backend
  dask --scheduler ADDRESS`` runs twice in a child process (the first run on
  fresh workers, which import the package and build their unit registry; the
  second as on a cluster already in use): wall time of each command, peak
  memory of the client (the command) and of each worker (its peak, asked of
  the worker after the runs; the cluster is fresh).

Both commands print the sector view (``--format table``); the two texts are
compared. The wall times include the interpreter's start and the imports
(about 1-2 s), since that is what a user waits for.

    python benchmarks/portfolio_cluster.py [--assessments A] [--lines-per-assessment L]
                                           [--lines-per-part P] [--workers W] [--keep DIR]

Try it small first: ``--assessments 5000`` (1 million lines). Targets (issue
17), at 20 million lines: under 10 s through the command line with the
client under 1 GB, and each worker's memory bounded by the partition size,
not the portfolio's.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carbonclap_methods.assessment import PRODUCTION_TYPES
from carbonclap_methods.factors import load_edition
from engine import synthetic_lines


def write_dataset(folder: Path, edition, n_assessments: int, per_assessment: int,
                  lines_per_part: int, seed: int = 7) -> tuple[int, int]:
    """Write the lines as parts of whole assessments and the production table
    beside them (``<folder>.productions.parquet``). Returns (parts, bytes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True)
    per_part = max(1, lines_per_part // per_assessment)        # assessments per part
    starts = range(0, n_assessments, per_part)
    for number, start in enumerate(starts):
        count = min(per_part, n_assessments - start)
        lines, _ = synthetic_lines(edition, count * per_assessment, 366, seed=seed + number)
        ids = np.array([f"a{i:06d}" for i in range(start, start + count)])
        lines.insert(0, "assessment", pd.Categorical.from_codes(
            np.repeat(np.arange(count), per_assessment), ids))
        pq.write_table(pa.Table.from_pandas(lines, preserve_index=False),
                       folder / f"part.{number:04d}.parquet")
    rng = np.random.default_rng(seed)
    ids = [f"a{i:06d}" for i in range(n_assessments)]
    productions = pd.DataFrame({
        "assessment": ids, "title": [f"Production {i}" for i in range(n_assessments)],
        "type": rng.choice(PRODUCTION_TYPES, n_assessments),
        "stage": rng.choice(["forecast", "final"], n_assessments),
        "content_minutes": rng.uniform(1, 600, n_assessments).round(),
        "episodes": rng.integers(1, 12, n_assessments).astype(float),
        "budget_eur": rng.uniform(1e4, 5e6, n_assessments).round(),
        "days": rng.integers(1, 60, n_assessments).astype(float), "country": "FR"})
    productions.to_parquet(folder.with_name(folder.name + ".productions.parquet"), index=False)
    size = sum(p.stat().st_size for p in folder.iterdir())
    return len(starts), size


# Peak memory is the process's VmHWM (Linux /proc), read by the process itself as it
# exits: getrusage's max RSS of a child would include the RSS of its parent at the
# fork that preceded the exec (Linux keeps the old hiwater mark across execve).
PEAK = """
import atexit, sys
def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write(f"VmHWM_kB {line.split()[1]}\\n")
atexit.register(_peak)
from carbonclap_methods.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu() -> float:
    """CPU time of the calling process [s]; run on each worker."""
    return sum(os.times()[:2])


CPU = {}        # CPU seconds of the last command, by run_command


def run_command(args: list[str]) -> tuple[float, int, str]:
    """A ``carbonclap`` command in a child process: wall time [s], peak memory [bytes], stdout.
    Its CPU time [s] is left in ``CPU["client"]``."""
    start, cpu = time.perf_counter(), _children_cpu()
    child = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    CPU["client"] = _children_cpu() - cpu
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}): {child.stderr}")
    peak = [line for line in child.stderr.splitlines() if line.startswith("VmHWM_kB ")]
    return wall, int(peak[-1].split()[1]) * 1024, child.stdout


def _max_rss() -> int:
    """Peak memory of the calling process (VmHWM) [bytes]; run on each worker."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def part_memory(folder: Path) -> int:
    """In-memory size of the largest part read as pandas (dictionary-encoded text) [bytes]."""
    import pyarrow.parquet as pq

    largest = max(folder.iterdir(), key=lambda p: p.stat().st_size)
    frame = pq.read_table(largest, read_dictionary=["assessment", "factor", "unit", "phase"]).to_pandas()
    return int(frame.memory_usage(deep=True).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--lines-per-assessment", type=int, default=200)
    parser.add_argument("--lines-per-part", type=int, default=1_000_000,
                        help="lines per Parquet part (whole assessments; one dask partition each)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the cluster")
    parser.add_argument("--keep", help="write the dataset in this (new) folder and keep it")
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    edition = load_edition()
    n_lines = args.assessments * args.lines_per_assessment
    tmp = None if args.keep else tempfile.mkdtemp(prefix="portfolio-cluster-")
    folder = Path(args.keep or tmp) / "lines"
    try:
        start = time.perf_counter()
        parts, size = write_dataset(folder, edition, args.assessments, args.lines_per_assessment,
                                    args.lines_per_part)
        print(f"dataset: {args.assessments:,} assessments x {args.lines_per_assessment} lines = "
              f"{n_lines:,} lines in {parts} parts ({size / 2**20:,.0f} MiB of Parquet, written in "
              f"{time.perf_counter() - start:.1f} s); largest part in memory "
              f"{part_memory(folder) / 2**20:,.0f} MiB")

        pandas_wall, pandas_rss, pandas_out = run_command(["portfolio", str(folder)])
        print(f"pandas backend (baseline): {pandas_wall:.2f} s through the command line "
              f"({CPU['client']:.2f} s of CPU), peak memory {pandas_rss / 2**20:,.0f} MiB (one "
              "process, every line in memory)")

        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            idle = client.run(_max_rss)
            command = ["portfolio", str(folder), "--backend", "dask", "--scheduler",
                       cluster.scheduler_address]
            cold_wall, cold_rss, dask_out = run_command(command)
            before = client.run(_cpu)
            dask_wall, client_rss, _ = run_command(command)
            after = client.run(_cpu)
            peaks = client.run(_max_rss)
        worker_cpu = sum(after[w] - before[w] for w in after)
        print(f"dask backend, {args.workers} worker processes: first run {cold_wall:.2f} s through "
              f"the command line (fresh workers: each imports the package and builds its unit "
              f"registry), client peak memory {cold_rss / 2**20:,.0f} MiB")
        print(f"dask backend, second run on the same cluster: {dask_wall:.2f} s, client peak memory "
              f"{client_rss / 2**20:,.0f} MiB; CPU {CPU['client']:.2f} s in the client, "
              f"{worker_cpu:.2f} s in the workers together")
        for worker, peak in sorted(peaks.items()):
            print(f"  worker {worker}: peak memory {peak / 2**20:,.0f} MiB "
                  f"(idle before the run {idle[worker] / 2**20:,.0f} MiB)")
        same = pandas_out.split("\n", 1)[1] == dask_out.split("\n", 1)[1]
        print(f"same sector view from both backends: {'yes' if same else 'NO'}")
        print(f"ratio: dask {pandas_wall / dask_wall:.2f}x the speed of pandas, client memory "
              f"{pandas_rss / client_rss:.1f}x smaller")
        full = n_lines >= 20_000_000
        worst = max(peaks.values())
        print(f"machine load (1, 5, 15 min) at the end: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        for name, ok in (("under 10 s through the command line (dask, second run)",
                          dask_wall < 10 if full else None),
                         ("client under 1 GB (dask)", max(client_rss, cold_rss) < 2**30),
                         ("same result", same)):
            print(f"target {name}: {'met' if ok else 'n/a (smaller run)' if ok is None else 'MISSED'}")
        print(f"worker memory: largest worker peak {worst / 2**20:,.0f} MiB for partitions of "
              f"{args.lines_per_part:,} lines (rerun with another --lines-per-part or --assessments "
              "to see it follow the partition, not the portfolio)")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
