"""Text primitives every stage builds on (pure, no AWS, stdlib only): the bottom layer of `core`.

Modules: `unicode` (cleanup), `furniture` (page furniture per language), `structure` (units,
captions, bylines, headline), `language` (language, script, direction), `words` (word counts).
Nothing here imports from another `core` package: `decoding`, `formats`, `normalize`, `ingest`
and the rest import from here (`tests/unit/test_layers.py` checks it).
"""
