"""The crf backend's model file: one crfsuite model, or the two passes of a stacked one in one file.

`crf.train_model` writes two models (`stacking.py`), and a model is one file wherever it goes (an S3
key under ``models/``, `--model`, the shipped ``data/ner-ar.crfsuite``): ``MAGIC``, then each
model's size (uint64, little-endian) and bytes. A file crfsuite wrote itself (a model trained before
the second pass existed) is read as a single pass. Reading needs no python-crfsuite.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

MAGIC = b"articleflow-crf-passes\n"
_CRFSUITE_MAGIC = b"lCRF"
_SIZE = struct.Struct("<Q")

# crfsuite's model file (crf1dm.c): a header of uint32 offsets, the one at byte 36 to the attribute
# dictionary, a CQDB: its header gives a backward array (attribute id -> record offset), each record
# being id, key size, then the key with its terminating NUL (all little-endian).
_ATTRS_OFFSET_AT = 36
_CQDB_BACKWARD_AT = 16


def pack(models: Sequence[bytes]) -> bytes:
    """One file holding `models` (crfsuite model files), in the order they tag."""
    return MAGIC + b"".join(_SIZE.pack(len(m)) + m for m in models)


def unpack(data: bytes) -> list[bytes]:
    """The crfsuite models of a model file, in the order they tag; ValueError if it holds none."""
    if data.startswith(_CRFSUITE_MAGIC):
        return [data]
    if not data.startswith(MAGIC):
        raise ValueError("neither a crfsuite model nor an articleflow model file")
    models, at = [], len(MAGIC)
    while at < len(data):
        if at + _SIZE.size > len(data):
            raise ValueError("model file cut short")
        (size,) = _SIZE.unpack_from(data, at)
        at += _SIZE.size
        model = data[at : at + size]
        if len(model) != size or not model.startswith(_CRFSUITE_MAGIC):
            raise ValueError("model file cut short or damaged")
        models.append(model)
        at += size
    if not models:
        raise ValueError("model file holds no model")
    return models


def model_attributes(model: bytes) -> frozenset[str]:
    """The attribute names a crfsuite model has weights for, read from its attribute dictionary
    (pycrfsuite's `info()` gives them too, but dumps the whole model as text to do so)."""
    (base,) = struct.unpack_from("<I", model, _ATTRS_OFFSET_AT)
    if model[base : base + 4] != b"CQDB":
        raise ValueError("no attribute dictionary where the header points")
    size, offset = struct.unpack_from("<II", model, base + _CQDB_BACKWARD_AT)
    backward = struct.iter_unpack("<I", model[base + offset : base + offset + 4 * size])
    key_size = struct.Struct("<I").unpack_from
    names = []
    for (record,) in backward:
        at = base + record
        (size,) = key_size(model, at + 4)
        names.append(model[at + 8 : at + 7 + size].decode("utf-8"))
    return frozenset(names)
