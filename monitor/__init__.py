"""monitor: watch institutes news pages, flag agreements and countries, alert once."""
