"""Arabic: organisations introduced by a head noun (وزارة, هيئة, حركة) and a name or a genitive."""

from __future__ import annotations

import re

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.rules.arabic_persons import is_definite
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import Token

# "in/to/from" joins a place only (القوات الأمريكية في اليابان; not الجيش اللبناني في الجنوب, "in the
# south", nor المحكمة من التهم, "the court [cleared him] of the charges"); "of/for" a definite noun too
# (قوات الدفاع عن النفس). ANERcorp 3-fold CV of the default tagger: ORGANIZATION F1 0.544 -> 0.553.
AR_ORG_PLACE_CONNECTORS = {"في", "من", "الى"}
AR_ORG_CONNECTORS = AR_ORG_PLACE_CONNECTORS | {"عن", "ل"}


def _joins(ctx: Context, connector: str, word: Token) -> bool:
    """Whether `word` after `connector` continues an organisation's name."""
    if not word.arabic:
        return False
    if ctx.gazetteer.lookup(word.key, ctx.arabic_mask):
        return True
    # not a title: نقلت وكالة الأنباء السعودية عن الوزير ("quoting the minister")
    return connector not in AR_ORG_PLACE_CONNECTORS and is_definite(word.key) and word.key not in lx.keys("ar_titles")


# A definite head (المجلس) takes adjectives only: the words after it agree with it (المجلس الوطني,
# المحكمة العليا), while a definite noun there is the verb's object (ناقش المجلس الخطة).
_NISBA_ENDINGS = ("ي", "يه", "يين", "يون")


def _adjective(key: str) -> bool:
    stem = key[1:] if key.startswith("وال") else key
    return stem.endswith(_NISBA_ENDINGS) or stem in lx.keys("ar_org_adjectives")


def says_what_for(key: str) -> bool:
    """Whether a word says what an organisation is for, ending its name: لل and a field of work
    (للاستثمار، للقضاء: `lexicon/ar_org_domains.txt`) or an action (للإنماء، للاستجابة: `verbal_noun`)."""
    return key.startswith("لل") and _what_for(key[2:])


def _what_for(stem: str) -> bool:
    """Whether a word (no clitic, no article) is a field of work or an action an organisation is for."""
    return stem in lx.keys("ar_org_domains") or verbal_noun(stem)


def verbal_noun(stem: str) -> bool:
    """Whether a key (no article, no clitic) has the shape of a derived verbal noun, an action an
    organisation is for: تفعيل، تفعلة، تفاعل (تنسيق، تنمية، تعاون), إفعال (إصلاح، إنماء), افتعال
    (انتخاب), استفعال (استثمار، استجابة), مفاعلة (متابعة، مكافحة). A verb's indirect object after the
    name is a person, a place or a plain noun (قدم البنك الدولي للحكومة قرضا), none of these shapes."""
    n = len(stem)
    if n == 5:
        if stem[0] == "ت":
            return stem[3] == "ي" or stem[2] == "ا" or stem[4] == "ه"
        return stem[0] == "ا" and stem[3] == "ا"
    if n == 6:
        if stem[0] == "ا":
            return stem[4] == "ا" and (stem[2] == "ت" or stem.startswith("ان"))
        return stem[0] == "م" and stem[2] == "ا" and stem[5] == "ه"
    return n >= 6 and stem.startswith("است") and (stem[-2] == "ا" or (stem[-1] == "ه" and stem[-3] == "ا"))


def _for_what(key: str, after: Token | None) -> bool:
    """Whether ل and an indefinite field or verbal noun, with the definite word it governs after it, say
    what an organisation is for (مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية، المرصد السوري لحقوق الإنسان)."""
    return (
        key.startswith("ل")
        and not key.startswith("لل")
        and _what_for(key[1:])
        and after is not None
        and after.arabic
        and is_definite(after.key)
    )


def _named_for(tokens: list[Token], first: int, last: int) -> bool:
    """Whether tokens first to last say what an organisation is for (للزلازل، لتنسيق الشؤون)."""
    return any(
        says_what_for(tokens[j].key) or _for_what(tokens[j].key, tokens[j + 1] if j < last else None)
        for j in range(first, last + 1)
    )


def _conjoined_noun(key: str) -> bool:
    """Whether a word is و and a definite noun that joins what a name is for (للأرصاد والإنذار): not a
    stopword or a title (والذي، والدكتور), nor a second organisation (والقوات, which
    `modelspans._second_organisation` splits off). ANERcorp 3-fold CV, default tagger: ORGANIZATION
    0.605 -> 0.606. After a genitive too (وزارة الاقتصاد والتجارة) 0.604: ANERcorp tags no ministry
    that names no country."""
    stem = key[1:]
    return (
        key.startswith("وال")
        and len(key) > 4
        and stem not in lx.keys("ar_stopwords")
        and stem not in lx.keys("ar_titles")
        and key[3:] not in lx.keys_of("ar_org_heads", "ar_org_triggers")
    )


def _org_key(head_key: str, words: list[Token]) -> str:
    """The matching key of an organisation's name: its head's key and the words after it."""
    return " ".join([head_key, *(t.key for t in words)])


def _name_end(ctx: Context, i: int, head_key: str) -> int:
    """Index of the last token of the organisation headed by token `i` (`i` itself: none)."""
    tokens = ctx.tokens
    stop = lx.keys("ar_stopwords")
    titles = lx.keys("ar_titles")  # a title starts the next name: حزب الله السيد حسن نصر الله
    curated = lx.org_names()
    trailing = lx.keys("ar_org_trailing")  # "new", "weekly", "now": they describe, and end, the name
    n = len(tokens)
    j = i + 1
    last = i
    curated_last: int | None = None
    definite_head = is_definite(head_key)
    purposed = False  # the name has said what it is for
    while j < n and tokens[j].arabic:
        key = tokens[j].key
        if key in trailing:
            break
        word = key not in stop and key not in titles  # not المحكمة العليا التي
        if definite_head and word and _adjective(key) and (is_definite(key) or (key.startswith("وال") and j > i + 1)):
            last = j  # المجلس الاقتصادي والاجتماعي
        elif purposed and _conjoined_noun(key):
            last = j  # للأرصاد والإنذار المبكر، لعلوم الفضاء والفلك; then adjectives
        elif not definite_head and word and is_definite(key):
            last = j
        elif key in AR_ORG_CONNECTORS and j + 1 < n and tokens[j].joined and _joins(ctx, key, tokens[j + 1]):
            last = j + 1
            j += 1
        elif says_what_for(key):
            last = j  # البنك الأوروبي للاستثمار، المجلس الأعلى للقضاء
            definite_head = purposed = True  # adjectives may follow: للإنماء الاقتصادي والاجتماعي
        elif j > i + 1 and tokens[j].joined and _for_what(key, tokens[j + 1] if j + 1 < n else None):
            last = j = j + 1  # لتنسيق الشؤون, then its adjectives (الإنسانية); not الحلف لتوفير المزيد
            definite_head = purposed = True
        else:
            break
        if _org_key(head_key, tokens[i + 1 : last + 1]) in curated:
            curated_last = last
        if not tokens[j].joined:
            break
        j += 1
    # a curated organisation ends where its longest name does (حزب الله اللبناني: the id is Hezbollah's)
    return last if curated_last is None else curated_last


def arabic_org_patterns(ctx: Context) -> list[Candidate]:
    """Head noun + definite modifiers: وزارة الدفاع, القوات المسلحة الأميركية,
    قوات الدفاع عن النفس اليابانية, القوات الأمريكية في اليابان (with في + place)."""
    tokens = ctx.tokens
    heads = lx.keys("ar_org_heads")
    weak = lx.keys("ar_weak_org_heads")
    purpose = lx.keys("ar_purpose_heads")  # heads only of a name that says what it is for
    out: list[Candidate] = []
    head_words = ctx.words_with_reading_in(heads, purpose)
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.arabic or not tok.joined or tok.text not in head_words:
            i += 1
            continue
        reading = next(((s, k) for s, k in tok.readings if (k in heads and k not in weak) or k in purpose), None)
        last = i if reading is None else _name_end(ctx, i, reading[1])
        # a purpose head's name says what it is for after a word of its own (not مكتب للتجارة الخارجية)
        if reading is None or last == i or (reading[1] in purpose and not _named_for(tokens, i + 2, last)):
            i += 1
            continue
        skip, head_key = reading
        start = tok.start + skip
        key = _org_key(head_key, tokens[i + 1 : last + 1])
        out.append(
            Candidate(start, tokens[last].end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.62, "org_pattern")
        )
        i = last + 1
    return out


# after a head: a quoted name (شركة "إعمار العقارية"، مجموعة «النخيل») or capitalised Latin words (شركة Apple)
_NAME_AFTER_HEAD = re.compile(
    r"\s*(?:[\"«“]([^\"«»“”\n]{2,60})[\"»”]|((?:[A-Z][\w&.'’-]*)(?:[ ][A-Z][\w&.'’-]*){0,3}))"
)


def arabic_named_organisations(ctx: Context) -> list[Candidate]:
    """A quoted name or a Latin name right after an organisation head: شركة "إعمار العقارية"، شركة Apple."""
    head_words = ctx.words_with_reading_in(lx.keys("ar_org_heads"), lx.keys("ar_business_heads"))
    out: list[Candidate] = []
    for tok in ctx.tokens:
        if not tok.arabic or tok.text not in head_words:
            continue
        m = _NAME_AFTER_HEAD.match(ctx.text, tok.end)
        if m is None:
            continue
        group = 1 if m.group(1) is not None else 2
        name = m.group(group).strip()
        if len(name.split()) > 5 or not name:
            continue
        start = m.start(group) + m.group(group).index(name)
        key = entity_key("ORGANIZATION", name_key(name))
        out.append(Candidate(start, start + len(name), "ORGANIZATION", key, 0.7, "org_named"))
    return out
