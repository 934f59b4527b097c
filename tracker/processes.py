"""Heavy work in a process of its own: the SQLite CSV (reports/exports/sqlitecsv.py) and the files
built whole, XLSX and PDF (reports/building.py).

A server process runs one Python thread at a time (the interpreter lock). An export that formats
hundreds of thousands of cells in Python holds that lock for seconds, and every request of the
same worker waits behind it: under bench/load.py one fortnight's XLSX doubled the rangers'
submission times for as long as it ran. In a process of its own the work runs on another core,
at a lower priority (nice 10), so the operating system serves the interactive requests first.

The processes are forked from a forkserver (multiprocessing): a clean process, without the
worker's threads or database connections, that has imported the app's modules once. A child
starts in milliseconds and builds its own app from the parent's configuration in about 0.1 s.
Forking the worker itself would copy its threads' held locks and its open connections. The
forkserver costs about 90 MB of memory per server process that uses it.
"""
from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sys

from flask import Flask

NICENESS = 10  # CFS: a niced process gets about a tenth of the CPU share of a request's thread


@functools.cache
def context():
    """The forkserver context of this process, preloaded with every app module it has loaded."""
    processes = multiprocessing.get_context("forkserver")
    processes.set_forkserver_preload(sorted(
        name for name in sys.modules if name in ("config", "tracker") or name.startswith("tracker.")))
    return processes


@contextlib.contextmanager
def started(target, args: tuple, name: str):
    """Runs `target(*args, sending)` in a child; yields (the receiving end of its pipe, the child).
    The child is killed if the caller gives up (an exception, an abandoned download), and
    always waited for."""
    receiving, sending = context().Pipe(duplex=False)
    child = context().Process(target=target, args=(*args, sending), name=name, daemon=True)
    child.start()
    sending.close()
    try:
        yield receiving, child
    except BaseException:
        child.kill()
        raise
    finally:
        receiving.close()
        child.join()


def yield_the_cpu() -> None:
    """In a child: let requests go first."""
    os.nice(NICENESS)


def app_from(config: dict) -> Flask:
    """In a child: the app, built from the parent's configuration (`dict(app.config)`)."""
    from tracker import create_app

    return create_app(type("ParentConfig", (), config))
