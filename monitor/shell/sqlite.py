"""sqlite-utils for the store, imported without numpy.

sqlite-utils imports numpy whenever it is installed (py3langid needs it, so it always is), only
to convert numpy values, which `monitor` never stores. numpy would cost the long-lived polling
process ~15 MB of its own, so it is hidden for that one import: sqlite-utils then behaves as it
does without numpy, and anything may still import numpy normally afterwards.
"""

from __future__ import annotations

import sys


def _import_without_numpy() -> None:
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return  # already settled: nothing to save
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` now fails
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_without_numpy()

from sqlite_utils import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = ["Database", "Migrations"]
