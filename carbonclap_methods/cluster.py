"""Connecting to an existing Dask cluster (``--backend dask --scheduler ADDRESS``).

The user starts the cluster (``dask scheduler`` and ``dask worker`` in two
terminals, or a ``distributed.LocalCluster``); the command connects a client
to its scheduler for the time of one computation. A scheduler that does not
answer within :data:`TIMEOUT_S` seconds is a clear error, not a hang.

The workers read the lines themselves (a dataset's parts, a Parquet or CSV
file), so the paths must be readable from the workers as from the client
(the same machine, or a shared file system).
"""

from __future__ import annotations

import contextlib
import logging

from .errors import ClusterError

# Seconds to wait for the scheduler to answer (modelling choice: long enough
# for a scheduler on the local network, short enough not to look like a hang).
TIMEOUT_S = 10.0


@contextlib.contextmanager
def connected(address: str | None, timeout: float = TIMEOUT_S):
    """Within the block, dask computations run on the cluster at ``address``.

    ``None`` or ``""``: nothing is connected (dask's current scheduler is used).

    Raises
    ------
    CarbonClapError
        The scheduler does not answer within ``timeout`` seconds, or the
        address is not a valid one; the message names the address.
    """
    if not address:
        yield None
        return
    from distributed import Client

    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)     # the one-line error below says it all
    try:
        client = Client(address, timeout=timeout, set_as_default=True)
    except (ValueError, TypeError) as exc:
        raise ClusterError(f"dask scheduler {address!r}: not a scheduler address "
                           f"({str(exc).splitlines()[0]}); expected e.g. tcp://127.0.0.1:8786") from None
    except (OSError, TimeoutError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterError(f"dask scheduler {address}: no answer within {timeout:g} s "
                           f"({detail}); start one with `dask scheduler` and "
                           "`dask worker ADDRESS`, or check the address") from None
    finally:
        quiet.setLevel(level)
    try:
        yield client
    finally:
        client.close()
