"""Normalize an uploaded article's text into a `NormalizedArticle` (pure, no AWS, stdlib only).

Modules: `unicode` (cleanup), `furniture` (page furniture per language), `structure`
(units, captions, bylines, headline), `language` (language, script, direction), `text`
(`normalize_text`: plain text; the title rules are in its docstring), `document`
(`normalize_document`: any format's `ExtractedDocument`, the classification both share).
"""

from .document import normalize_document
from .text import normalize_text

__all__ = ["normalize_document", "normalize_text"]
