"""Loaded once by the forkserver, before it forks analysis workers (see ``monitor.shell.workers``).

What every worker needs and never changes (the modules, the language model's tables, the
country-name index every Flagger uses) is loaded here, so the workers share those pages
instead of each building its own copy.
"""

import gc

from monitor.core import (
    extract,  # noqa: F401  (imported by the task on first use: once here instead)
    flags,
    language,
)
from monitor.shell import (
    analysis,  # noqa: F401  (the worker's task)
    workers,
)

workers.die_with_parent()  # a forkserver outliving a killed daemon would keep its workers alive
workers.tune_allocator()  # inherited by every worker
language.warm_up()
flags.warm_up()
# Everything loaded so far lives as long as the workers: keep the cyclic GC from walking it, since
# its bookkeeping writes would copy each shared page into every worker (copy-on-write).
gc.collect()
gc.freeze()
