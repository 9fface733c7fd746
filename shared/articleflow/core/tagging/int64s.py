"""The tagger data's `.i64` files: a column of signed 64-bit integers, little-endian, nothing else
(`gazetteer-names.i64`, `frequencies/ar-words.i64`). Written by the build scripts, read at cold start
in one C call."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable


def to_bytes(values: Iterable[int]) -> bytes:
    column = array("q", values)
    if sys.byteorder == "big":
        column.byteswap()
    return column.tobytes()


def from_bytes(data: bytes) -> array[int]:
    column = array("q")
    column.frombytes(data)
    if sys.byteorder == "big":
        column.byteswap()
    return column
