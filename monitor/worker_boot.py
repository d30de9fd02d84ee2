"""Loaded once by the forkserver, before it forks analysis workers (see ``monitor.workers``).

What every worker needs and never changes (the modules, the language model's tables) is
loaded here, so the workers share those pages instead of each loading its own copy.
"""

from monitor import poll  # noqa: F401  (the worker's task, analyse, lives there)
from monitor.language import warm_up

warm_up()
