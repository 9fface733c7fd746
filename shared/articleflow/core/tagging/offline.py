"""The offline tagger: rules + a compact gazetteer, no network, no model (the default backend)."""

from __future__ import annotations

from articleflow.core.tagging import rules
from articleflow.core.tagging.aliases import AliasTable
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.merge import merge, resolve_overlaps
from articleflow.core.tagging.rules import Context, NameIndex
from articleflow.core.tagging.spans import Candidate, FieldText
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity

_SCRIPT_LANGUAGE = {"Arab": "ar", "Cyrl": "ru"}


def article_language(article: NormalizedArticle) -> str:
    lang = (article.language or "und").split("-")[0].lower()
    if lang in ("und", "") and article.script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[article.script]
    return lang or "und"


def article_fields(article: NormalizedArticle) -> list[FieldText]:
    """The texts a tagger reads: body, title, each caption, each byline author."""
    fields = [FieldText("body", article.body)]
    if article.title:
        fields.append(FieldText("title", article.title))
    for i, cap in enumerate(article.captions):
        fields.append(FieldText("caption", cap.text, i))
    for i, author in enumerate(article.byline.authors):
        fields.append(FieldText("byline", author, i))
    return fields


class OfflineTagger:
    """Finds persons, places, organisations, products, dates and quantities with rules.

    >>> tagger = OfflineTagger()
    >>> entities = tagger.tag(article)  # list[Entity], mentions index the field they name
    """

    name = "offline"

    def __init__(self, gazetteer: Gazetteer | None = None, aliases: AliasTable | None = None) -> None:
        self.gazetteer = gazetteer or get_gazetteer()
        self.aliases = aliases  # the publisher's alias table: found in the text, and ids for its names

    def tag(self, article: NormalizedArticle) -> list[Entity]:
        language = article_language(article)
        fields = article_fields(article)
        contexts: list[Context] = []
        for f in fields:
            ctx = Context(f.text, language, self.gazetteer)
            contexts.append(ctx)
            if f.field == "byline":
                f.candidates = rules.byline_candidates(f)
                continue
            f.candidates = self._first_pass(ctx)

        # second pass, one walk: curated organisations/products, and names found anywhere in the
        # first pass (full names, surnames, organisation expansions)
        known = self._known_names(fields)
        for f, ctx in zip(fields, contexts, strict=True):
            if f.field != "byline":
                f.candidates += rules.find_names(ctx, known)
                if self.aliases is not None and len(self.aliases):
                    f.candidates += rules.find_names(ctx, self.aliases.name_index())

        for f in fields:
            f.candidates = resolve_overlaps(f.candidates)
            for c in f.candidates:
                c.field = f.field
                c.index = f.index
        if self.aliases is None:
            return merge(fields, tagger=self.name)
        self.aliases.apply_to_candidates(fields)
        return self.aliases.apply_to_entities(merge(fields, tagger=self.name))

    def _first_pass(self, ctx: Context) -> list[Candidate]:
        places = rules.find_places(ctx)
        out = list(places)
        out += rules.find_designators(ctx.text)
        out += rules.find_dates(ctx)
        out += rules.find_quantities(ctx)
        out += rules.find_acronyms(ctx)
        if any(t.arabic for t in ctx.tokens):
            out += rules.arabic_title_persons(ctx)
            out += rules.arabic_org_patterns(ctx)
            out += rules.arabic_facilities(ctx)
        if any(not t.arabic and t.cap for t in ctx.tokens):
            out += rules.capitalised_sequences(ctx, places)
        if ctx.lang in ("fr", "es", "und"):
            out += rules.lower_org_heads(ctx)
        return out

    @staticmethod
    def _known_names(fields: list[FieldText]) -> NameIndex:
        index = rules.curated_index().copy()
        surnames: dict[str, set[str]] = {}
        for f in fields:
            for c in f.candidates:
                name = c.key.split("|", 1)[1]
                if c.type == "PERSON":
                    index.add(name, "PERSON", c.key, c.canonical, None, key_is_name=True)
                    words = name.split(" ")
                    if len(words) > 1 and len(words[-1]) >= 3:
                        surnames.setdefault(words[-1], set()).add(c.key)
                elif c.type == "ORGANIZATION" and c.rule in ("acronym_expansion", "org_pattern"):
                    index.add(name, "ORGANIZATION", c.key, c.canonical, None, key_is_name=True)
        for surname, keys in surnames.items():
            if len(keys) == 1 and surname not in index.names:
                key = next(iter(keys))
                index.add(surname, "PERSON", key, None, None, key_is_name=True)
        return index
