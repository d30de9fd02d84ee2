"""The ``monitor`` command: a thin click shell over the library, one module per group of commands.

The rest of the library (HTTP client, store, scheduler, extractors) is imported by the commands
that use it: this package is also what every analysis worker's forkserver loads as the
program's main module, and there it should cost little (see ``monitor.shell.workers``).
"""

from monitor.cli import alerting, passes, reading, setup  # noqa: F401  (each adds its commands)
from monitor.cli.root import cli, main

__all__ = ["cli", "main"]
