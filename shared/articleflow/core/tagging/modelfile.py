"""The crf backend's model file: one crfsuite model, or the two passes of a stacked one in one file.

`crf.train_model` writes two models (`stacking.py`), and a model is one file wherever it goes (an S3
key under ``models/``, `--model`, the shipped ``data/ner-ar.crfsuite``): ``MAGIC``, then each
model's size (uint64, little-endian) and bytes. A file crfsuite wrote itself (a model trained before
the second pass existed) is read as a single pass. Reading needs no python-crfsuite.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import NamedTuple

MAGIC = b"articleflow-crf-passes\n"
_CRFSUITE_MAGIC = b"lCRF"
_SIZE = struct.Struct("<Q")

# crfsuite's model file (crf1dm.c): a header of uint32s, from byte 20 the number of labels and of
# attributes, then the offsets of the feature chunk, the label dictionary and the attribute
# dictionary. The feature chunk ("FEAT", its size, the number of features) holds each feature as
# type (0: attribute -> label, 1: label -> label), source, destination (uint32) and weight (float64).
# A dictionary is a CQDB: its header gives a backward array (id -> record offset), each record being
# id, key size, then the key with its terminating NUL (all little-endian).
_HEADER = struct.Struct("<5I")
_HEADER_AT = 20
_FEATURES_MAGIC = b"FEAT"
_FEATURE_COUNT_AT = 8
FEATURE_RECORD = "<3Id"  # type, source, destination, weight
_FEATURE_SIZE = struct.calcsize(FEATURE_RECORD)
_CQDB_BACKWARD_AT = 16
STATE_FEATURE, TRANSITION_FEATURE = 0, 1


class CrfWeights(NamedTuple):
    """A crfsuite model's weights, as read from its file: `features`, each feature's `FEATURE_RECORD`
    end to end (a state feature's source is an attribute id, its destination a label id; a transition's
    both are label ids)."""

    labels: list[str]
    attributes: list[str]
    features: bytes


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


def read_weights(model: bytes) -> CrfWeights:
    """A crfsuite model's labels, attribute names and weights (what `viterbi.CrfPasses` tags with);
    ValueError or struct.error if the file is not laid out as crfsuite 0.12 writes it."""
    if not model.startswith(_CRFSUITE_MAGIC):
        raise ValueError("not a crfsuite model")
    n_labels, n_attributes, features, labels, attributes = _HEADER.unpack_from(model, _HEADER_AT)
    if model[features : features + 4] != _FEATURES_MAGIC:
        raise ValueError("no feature chunk where the header points")
    (count,) = struct.unpack_from("<I", model, features + _FEATURE_COUNT_AT)
    start = features + _FEATURE_COUNT_AT + 4
    records = model[start : start + count * _FEATURE_SIZE]
    weights = CrfWeights(_dictionary(model, labels), _dictionary(model, attributes), records)
    if len(weights.labels) != n_labels or len(weights.attributes) != n_attributes:
        raise ValueError("the dictionaries do not hold the labels and attributes the header counts")
    if len(records) != count * _FEATURE_SIZE:
        raise ValueError("feature chunk cut short")
    return weights


def _dictionary(model: bytes, base: int) -> list[str]:
    """The keys of the CQDB at `base`, in id order."""
    if model[base : base + 4] != b"CQDB":
        raise ValueError("no dictionary where the header points")
    size, offset = struct.unpack_from("<II", model, base + _CQDB_BACKWARD_AT)
    backward = struct.iter_unpack("<I", model[base + offset : base + offset + 4 * size])
    key_size = struct.Struct("<I").unpack_from
    names = []
    for (record,) in backward:
        at = base + record
        (size,) = key_size(model, at + 4)
        names.append(model[at + 8 : at + 7 + size].decode("utf-8"))
    return names
