"""The I/O shell: fetching, storage, alert channels, the analysis workers."""
