"""``sources.yaml`` -> a validated :class:`Config`, refused whole before anything runs.

Every mistake becomes one line naming the file, the line, the item and the key, with a hint where
one helps: ``sources.yaml:12: sources[2] 'isis': unknown key 'link_selectr' (did you mean
'link_selector'?)``. All mistakes are reported at once, so a user fixes the file in one go.
Secrets only ever arrive through ``${NAME}`` references to the environment. The source kinds
and alert channels, and the options each reads, come from ``monitor.options``, the declaration
that the registries (``KINDS``, ``CHANNELS``) share: an option its kind does not read is a
mistake too.
"""

from monitor.config.loading import load, loads, masked, starter_config
from monitor.config.model import (
    COUNTRY_CODES,
    DEFAULT_USER_AGENT,
    ChannelConfig,
    Config,
    SourceConfig,
    SourceOptions,
    parse_duration,
    unread_option,
)
from monitor.errors import ConfigError
from monitor.options import AppriseChannelConfig, EmailChannelConfig, WebhookChannelConfig, http_url

__all__ = [
    "COUNTRY_CODES",
    "DEFAULT_USER_AGENT",
    "AppriseChannelConfig",
    "ChannelConfig",
    "Config",
    "ConfigError",
    "EmailChannelConfig",
    "SourceConfig",
    "SourceOptions",
    "WebhookChannelConfig",
    "http_url",
    "load",
    "loads",
    "masked",
    "parse_duration",
    "starter_config",
    "unread_option",
]
