"""Ingest's side of an upload: tell its format (`detect`), check a .docx's ZIP before anything
inflates it (`container`), and decode its bytes to text (`encoding`).

Pure (no AWS). charset-normalizer (a legacy code page) and ftfy (suspected mojibake) load only on
the path that needs them: importing this package imports neither. `detect`'s media types are the
names `formats` and `normalize` use too, which is why this sits below them rather than in ingest.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["DECODING_LIBRARIES", "preload"]

# The libraries the decoders import lazily (each only on the path that needs it).
DECODING_LIBRARIES = ("charset_normalizer", "ftfy")


def preload(libraries: tuple[str, ...]) -> None:
    """Import lazily loaded libraries now: before a SnapStart snapshot they then cost restores nothing."""
    for name in libraries:
        import_module(name)
