"""A generated world of institute news sites in many families, with the truth behind each URL.

``content`` writes the news, ``world`` allocates stories to sites and keeps the truth, ``dev``
and ``heldout`` are the families (their markup habits), ``serve`` puts the world on loopback,
``run`` drives monitor through its CLI in two phases and scores what it stored and sent.
"""

from .dev import DEV
from .heldout import HELDOUT

FAMILIES = [*DEV, *HELDOUT]
HELDOUT_NAMES = frozenset(f.name for f in FAMILIES if f.heldout)
