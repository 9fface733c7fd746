"""Small hand-curated word lists the rules use (titles, stopwords, organisations, products, months),
and the generated person-name lists the crf features look up (`person_names`).

The lists are data files under ``articleflow/data/lexicon/``, one per list, named by language and
purpose (``ar_titles.txt``, ``latin_stopwords.txt``, ``de_org_suffixes.txt``): one entry per line in
display form, ``#`` starts a comment line. Lists with fields (``organizations.tsv``, ``products.tsv``,
``designator_prefixes.tsv``, ``ar_months.tsv``) are tab-separated. Each file is read once per process,
on first use; rules compare *matching keys* (`arabic.name_key`), built once too, by `keys()`.
`preload()` reads them all (the tag function's before-snapshot hook, through `get_default_tagger`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from articleflow.core.tagging.arabic import name_key


def _entries(filename: str) -> list[str]:
    text = resources.files("articleflow").joinpath("data", "lexicon", filename).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@cache
def words(name: str) -> tuple[str, ...]:
    """The list `name` in display form (``words("latin_titles")`` reads ``latin_titles.txt``)."""
    return tuple(_entries(f"{name}.txt"))


@cache
def _rows(name: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.split("\t")) for line in _entries(f"{name}.tsv"))


@cache
def keys(name: str) -> frozenset[str]:
    """Matching keys of the list `name` (e.g. ``keys("ar_titles")``)."""
    return frozenset(name_key(w) for w in words(name))


@cache
def keys_of(*names: str) -> frozenset[str]:
    """Matching keys of any of the lists `names`, joined once per process
    (``keys_of("ar_org_heads", "ar_business_heads")``)."""
    return frozenset().union(*map(keys, names))


@cache
def organizations() -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Curated organisations, the football clubs included: canonical name -> (id or None, names in any
    language or script)."""
    return {row[0]: (row[1] or None, row[2:]) for row in _rows("organizations")} | football_clubs()


@cache
def football_clubs() -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """The curated football clubs (`football_clubs.tsv`), as `organizations()`."""
    return {row[0]: (row[1] or None, row[2:]) for row in _rows("football_clubs")}


@cache
def products() -> dict[str, tuple[str, ...]]:
    """Curated products: canonical name -> names (designators such as F-35 are found by a pattern)."""
    return {row[0]: row[1:] for row in _rows("products")}


@cache
def designator_prefixes() -> dict[str, str]:
    """Arabic transliterations of Latin designator prefixes (إف -> F, باك -> PAC)."""
    return {arabic: latin for arabic, latin in _rows("designator_prefixes")}


_MARKS_BUT_SHADDA = str.maketrans({c: None for c in "\u064b\u064c\u064d\u064e\u064f\u0650\u0652\u0670\u0640"})


def marked_spelling(text: str) -> str:
    """An Arabic spelling with its marks dropped but the shadda, the form `marked_places` is keyed by."""
    return text.translate(_MARKS_BUT_SHADDA)


@cache
def marked_places() -> dict[str, str]:
    """Place id of each spelling whose shadda tells it from another place with the same key (عمّان:
    Amman, not Oman; `ar_marked_places.tsv`)."""
    return {marked_spelling(spelling): pid for spelling, pid in _rows("ar_marked_places")}


@cache
def org_names() -> dict[str, tuple[str, str | None]]:
    """Matching key -> (canonical, id) for curated organisations."""
    return {name_key(n): (canon, oid) for canon, (oid, names) in organizations().items() for n in names}


@cache
def facility_heads() -> dict[str, list[str]]:
    """First word key -> all word keys of a facility head (multi-word heads: دار ضيافة)."""
    out: dict[str, list[str]] = {}
    for head in words("ar_facility_heads"):
        head_words = name_key(head).split(" ")
        out.setdefault(head_words[0], head_words)
    return out


@cache
def arabic_months() -> dict[str, int]:
    """Matching key -> month number, for the Gregorian month names in Arabic (ar_months.tsv)."""
    return {name_key(n): int(row[0]) for row in _rows("ar_months") for n in row[1:]}


@cache
def person_names(name: str) -> frozenset[str]:
    """Matching keys of a generated person-name list, `data/names/<name>.keys` (one key per line, made
    by `scripts/build_person_names.py` from public name datasets: see `data/names/NOTICE.md`)."""
    text = resources.files("articleflow").joinpath("data", "names", f"{name}.keys").read_text(encoding="utf-8")
    return frozenset(text.splitlines())


def _list_names(folder: str, suffix: str) -> list[str]:
    """The names of the lists in `data/<folder>/` stored with `suffix` (``ar_titles`` for ar_titles.txt)."""
    entries = resources.files("articleflow").joinpath("data", folder).iterdir()
    return [name for name, _, ext in (entry.name.partition(".") for entry in entries) if ext == suffix]


def preload() -> None:
    """Read every list and build the keys the rules look up, so that no event pays for it."""
    for name in _list_names("lexicon", "txt"):
        keys(name)
    for name in _list_names("names", "keys"):
        person_names(name)
    org_names()
    facility_heads()
    arabic_months()
    designator_prefixes()
    products()
    marked_places()
