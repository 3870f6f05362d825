"""Bundled rule packs (TOML data, never code); this file only makes them installable."""
