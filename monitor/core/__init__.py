"""The pure core: data in, data out. Nothing here imports an HTTP client, a database or a
module of the shell, so every decision can be tested with plain data."""
