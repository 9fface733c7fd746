"""Normalize an uploaded article's text into a `NormalizedArticle` (pure, no AWS, stdlib only).

Modules: `unicode` (cleanup), `furniture` (page furniture per language), `structure`
(units, captions, bylines, headline), `language` (language, script, direction), `text`
(`normalize_text`, which ties them together; the title rules are in its docstring).
"""

from .text import normalize_text

__all__ = ["normalize_text"]
