"""The default tagger's Arabic model: clitic segmentation, loading once, and how it meets the rules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from articleflow.core.tagging import get_default_tagger, get_tagger
from articleflow.core.tagging.crf import CrfModelError, crfsuite_labels, sentences, split_tokens
from articleflow.core.tagging.features import segment, token_features
from articleflow.core.tagging.modelspans import ModelSpan, SpanLinker
from articleflow.core.tagging.offline import DEFAULT_ARABIC_MODEL, OfflineTagger, arabic_model
from articleflow.models.article import NormalizedArticle


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("وبالمدينه", ("و+ب+ال", "مدينه", "")),
        ("للقوات", ("ل+ال", "قوات", "")),
        ("حكومتها", ("", "حكومت", "ها")),
        ("فرنسا", ("ف", "رنسا", "")),  # greedy: the raw key stays a feature beside the stem
        ("من", ("", "من", "")),
    ],
)
def test_segment(key: str, parts: tuple[str, str, str]) -> None:
    assert segment(key) == parts


def test_clitic_and_lexicon_features() -> None:
    feats = token_features(["وقال", "الرئيس", "محمد", "لوزارة", "الخارجية"])
    said, president, name, ministry, _ = (set(f) for f in feats)
    assert "lex.trigger" in said and "clitic.و" in said
    assert "lex.title" in president and "proc=ال" in president
    assert "lex.given" in name and "-1:lex.title" in name and "-2:lex.trigger" in name
    assert "st=وزاره" in ministry and "clitic.ل" in ministry and "lex.orghead" in ministry
    assert "bi-1=رييس|محمد" in name


def test_the_model_is_opened_once_and_shared() -> None:
    tagger = get_default_tagger()
    assert tagger is get_default_tagger()
    assert tagger.load_model() is arabic_model(DEFAULT_ARABIC_MODEL)
    assert OfflineTagger().load_model() is tagger.load_model()
    assert DEFAULT_ARABIC_MODEL.with_name(DEFAULT_ARABIC_MODEL.name + ".LICENSE.md").is_file()


def test_building_the_tagger_opens_no_model_and_tagging_needs_no_crfsuite() -> None:
    code = (
        "import sys; from articleflow.core.tagging import get_tagger; from articleflow.models.article import "
        "NormalizedArticle; t = get_tagger('offline'); print('numpy' in sys.modules); "
        "t.tag(NormalizedArticle(paragraphs=['وقال الرئيس محمد إن الاتفاق مهم.'], language='ar')); "
        "print('numpy' in sys.modules, 'pycrfsuite' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "False"]  # the model opens on the first Arabic text, without crfsuite


def test_the_sample_is_tagged_as_crfsuite_tags_it(arabic_sample: bytes) -> None:
    pytest.importorskip("pycrfsuite")  # training's library: the reference
    split = [split_tokens(line) for line in arabic_sample.decode("utf-8").splitlines() if line.strip()]
    words = [s.words[r.start : r.stop] for s in split for r in sentences(s)]
    expected = crfsuite_labels(DEFAULT_ARABIC_MODEL.read_bytes(), words)
    assert sum(label != "O" for labels in expected for label in labels) > 40  # 44 name tokens
    assert arabic_model().sentence_labels(words) == expected


def test_a_missing_model_is_a_clear_error(tmp_path) -> None:
    article = NormalizedArticle(paragraphs=["قال الرئيس محمد إن الاتفاق مهم."], language="ar")
    with pytest.raises(CrfModelError, match="does not exist"):
        OfflineTagger(arabic_model_path=tmp_path / "none.crfsuite").tag(article)


def test_model_finds_people_the_rules_miss() -> None:
    article = NormalizedArticle(paragraphs=["وأكد محمد البرادعي في فيينا أن الوكالة ستواصل عملها."], language="ar")
    with_model = {(e.type, e.text) for e in get_tagger("offline").tag(article)}
    rules_only = {(e.type, e.text) for e in get_tagger("offline", arabic_model_path=None).tag(article)}
    assert ("PERSON", "محمد البرادعي") in with_model
    assert ("PERSON", "محمد البرادعي") not in rules_only
    assert ("LOCATION", "فيينا") in with_model


def test_a_conjunction_between_two_people_is_not_in_the_second_name() -> None:
    text = "التقى يوكو كاميكاوا ومينورو كيهارا."
    linker = SpanLinker("offline")
    first = ModelSpan(text.index("يوكو"), text.index(" ومينورو"), "PERSON")
    second = ModelSpan(text.index("ومينورو"), text.index("."), "PERSON")
    spans = [text[c.start : c.end] for c in linker.model_candidates(text, [first, second], "ar")]
    assert spans == ["يوكو كاميكاوا", "مينورو كيهارا"]
    alone = ModelSpan(text.index("ومينورو"), text.index("."), "PERSON")
    assert [text[c.start : c.end] for c in linker.model_candidates(text, [alone], "ar")] == ["ومينورو كيهارا"]


@pytest.mark.parametrize(
    ("text", "found", "person"),
    [
        ("استقبل الأمير سلمان بن راشد آل نهيان الوفد", "سلمان بن راشد آل", "سلمان بن راشد آل نهيان"),
        ("زار الصحابي عمرو بن أبي ربيعة المدينة", "عمرو بن", "عمرو بن أبي ربيعة"),
        ("قال السفير بيار دو لا فونتين إن", "بيار دو", "بيار دو لا فونتين"),
        ("ألقى كلمة عمر بن في الحفل", "عمر بن", "عمر"),  # no name after the particle: it goes
        ("روضة أبي ياسين قرب السوق", "أبي", "أبي ياسين"),
    ],
)
def test_a_persons_span_never_ends_on_a_name_particle(text: str, found: str, person: str) -> None:
    span = ModelSpan(text.index(found), text.index(found) + len(found), "PERSON")
    candidates = SpanLinker("offline").model_candidates(text, [span], "ar")
    assert [text[c.start : c.end] for c in candidates] == [person]


@pytest.mark.parametrize(
    ("text", "found", "person"),
    [
        ("وعقد الرئيس عباس اجتماعا مع الوفد", "عباس اجتماعا", "عباس"),  # "a meeting": the verb's object
        ("وقدمت مها أحمد برنامجا جديدا", "مها أحمد برنامجا", "مها أحمد"),
        ("وغنت الفنانة ماري دينا أمس", "ماري دينا", "ماري دينا"),  # دينا: a name, though دين is a word
        ("وصل اجتماعا", "اجتماعا", "اجتماعا"),  # one word: left to the model
    ],
)
def test_a_persons_span_does_not_end_on_an_indefinite_object(text: str, found: str, person: str) -> None:
    span = ModelSpan(text.index(found), text.index(found) + len(found), "PERSON")
    candidates = SpanLinker("offline").model_candidates(text, [span], "ar")
    assert [text[c.start : c.end] for c in candidates] == [person]


def test_a_span_opening_with_the_preposition_على_is_no_person() -> None:
    text = "فاز الرجاء على الوداد بهدفين، وسجل علي الكعبي هدفا، ثم عاد الفريق إلى طنجة."
    linker = SpanLinker("offline")

    def found(surface: str, type_: str) -> list[str]:
        at = text.index(surface)
        return [
            text[c.start : c.end]
            for c in linker.model_candidates(text, [ModelSpan(at, at + len(surface), type_)], "ar")
        ]

    assert found("على الوداد بهدفين", "PERSON") == []  # the preposition read as the name علي
    assert found("علي الكعبي", "PERSON") == ["علي الكعبي"]  # the name, spelt with ي
    assert found("إلى طنجة", "LOCATION") == ["طنجة"]


def test_a_country_opening_a_persons_span_is_the_place() -> None:
    text = "استقبل الوزير رئيس وزراء ماليزيا أنور إبراهيم أمس."
    span = ModelSpan(text.index("ماليزيا"), text.index(" أمس"), "PERSON")
    found = [(text[c.start : c.end], c.type) for c in SpanLinker("offline").model_candidates(text, [span], "ar")]
    assert found == [("ماليزيا", "LOCATION"), ("أنور إبراهيم", "PERSON")]


def test_organisations_joined_by_and_and_a_head_are_two() -> None:
    text = "وقعت جامعة قطر وجامعة مالايا اتفاقا."
    span = ModelSpan(text.index("جامعة"), text.index(" اتفاقا"), "ORGANIZATION")
    found = [text[c.start : c.end] for c in SpanLinker("offline").model_candidates(text, [span], "ar")]
    assert found == ["جامعة قطر", "جامعة مالايا"]


def test_a_person_right_after_في_is_a_place() -> None:
    text = "عقد المؤتمر في كوبرتينو وحضره آدم سميث."
    spans = [ModelSpan(text.index("كوبرتينو"), text.index(" وحضره"), "PERSON")]
    spans.append(ModelSpan(text.index("آدم"), text.index("."), "PERSON"))
    found = [(text[c.start : c.end], c.type) for c in SpanLinker("offline").model_candidates(text, spans, "ar")]
    assert found == [("كوبرتينو", "LOCATION"), ("آدم سميث", "PERSON")]


def test_model_backends_take_a_quoted_name_after_an_organisation_head() -> None:
    text = 'وقعت شركة "النخيل الذهبية" عقدا.'
    found = [(text[c.start : c.end], c.type) for c in SpanLinker("crf").candidates(text, [], "ar")]
    assert ("النخيل الذهبية", "ORGANIZATION") in found


def test_a_proclitic_before_a_head_noun_is_not_in_the_name() -> None:
    text = "درس بجامعة القاهرة ثم عمل لمجلس الأمن الدولي."
    spans = [
        ModelSpan(text.index("بجامعة"), text.index(" ثم"), "ORGANIZATION"),
        ModelSpan(text.index("لمجلس"), text.index("."), "ORGANIZATION"),
    ]
    found = [text[c.start : c.end] for c in SpanLinker("offline").model_candidates(text, spans, "ar")]
    assert found == ["جامعة القاهرة", "مجلس الأمن الدولي"]


@pytest.mark.parametrize(
    ("text", "place", "found"),
    [
        ("فاز دينامو كييف على ضيفه", "كييف", ("دينامو كييف", "ORGANIZATION")),
        ("خسر مانشستر يونايتد أمس", "مانشستر", ("مانشستر يونايتد", "ORGANIZATION")),
        ("فاز مولودية الجزائر على ضيفه", "الجزائر", ("مولودية الجزائر", "ORGANIZATION")),
        ("تعادل الفريق واتحاد طنجة", "طنجة", ("اتحاد طنجة", "ORGANIZATION")),  # و before the club
        ("زار الوفد كييف أمس", "كييف", ("كييف", "LOCATION")),
    ],
)
def test_a_city_with_a_clubs_word_is_the_club(text: str, place: str, found: tuple[str, str]) -> None:
    span = ModelSpan(text.index(place), text.index(place) + len(place), "LOCATION")
    candidates = SpanLinker("offline").model_candidates(text, [span], "ar")
    assert [(text[c.start : c.end], c.type) for c in candidates] == [found]


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("وشهدت تيزي وزو أمطارا غزيرة", "تيزي وزو", "LOCATION"),  # a known place of two words
        ("وقال محمد عبد الله إن", "محمد عبد الله", "PERSON"),
    ],
)
def test_a_person_the_model_finds_that_is_a_known_place_is_the_place(text: str, name: str, type_: str) -> None:
    span = ModelSpan(text.index(name), text.index(name) + len(name), "PERSON")
    candidates = SpanLinker("offline").model_candidates(text, [span], "ar")
    assert [(text[c.start : c.end], c.type) for c in candidates] == [(name, type_)]


def test_a_name_tagged_twice_is_tagged_where_the_model_missed_it() -> None:
    from articleflow.core.tagging.crf import CrfModel

    body = "زار أينشتاين برلين . قال أينشتاين إن أينشتاين تعب ."
    caption = "أينشتاين في برلين"

    def fake(found: list[tuple[int, int, str]]):  # the model's own finds, in token indexes, in the body
        return lambda splits: [list(found) if split.words == body.split() else [] for split in splits]

    model = CrfModel.__new__(CrfModel)
    model._token_spans = fake([(1, 2, "PERSON"), (5, 6, "PERSON")])  # two of the four mentions
    body_spans, caption_spans = model.article_spans([body, caption])
    assert [body[s.start : s.end] for s in body_spans] == ["أينشتاين"] * 3
    assert [(caption[s.start : s.end], s.type) for s in caption_spans] == [("أينشتاين", "PERSON")]
    # برلين was never tagged, and one tagged mention is not enough to spread a name
    model._token_spans = fake([(1, 2, "PERSON")])
    assert [len(s) for s in model.article_spans([body, caption])] == [1, 0]


def test_a_common_word_tagged_twice_does_not_spread() -> None:
    from articleflow.core.tagging.crf import CrfModel

    # "the sun" tagged as an organisation twice (a channel's name, or the model's mistake): its other
    # mentions stay untagged, as a rare word's would not (the test above)
    body = "قالت الشمس . قالت الشمس إن الشمس حارة و الشمس مشرقة ."
    model = CrfModel.__new__(CrfModel)
    model._token_spans = lambda splits: [[(1, 2, "ORGANIZATION"), (4, 5, "ORGANIZATION")] for _ in splits]
    assert [body[s.start : s.end] for s in model.article_spans([body])[0]] == ["الشمس"] * 2


def test_a_definite_word_tagged_twice_as_a_person_spreads_only_as_a_known_surname() -> None:
    from articleflow.core.tagging.crf import CrfModel

    # السوداني after الرئيس taken for a person twice: the adjective's other mentions stay untagged ...
    body = "قال الرئيس السوداني . قال الرئيس السوداني إن الجيش السوداني انسحب ."
    model = CrfModel.__new__(CrfModel)
    model._token_spans = lambda splits: [[(2, 3, "PERSON"), (6, 7, "PERSON")] for _ in splits]
    assert [body[s.start : s.end] for s in model.article_spans([body])[0]] == ["السوداني"] * 2
    # ... but a family name the model found in full spreads: توفيق الحكيم, then الحكيم
    body = "كتب توفيق الحكيم . قال الحكيم إن الحكيم تعب و الحكيم نام ."
    model._token_spans = lambda splits: [[(1, 3, "PERSON"), (5, 6, "PERSON"), (7, 8, "PERSON")] for _ in splits]
    assert [body[s.start : s.end] for s in model.article_spans([body])[0]] == ["توفيق الحكيم"] + ["الحكيم"] * 3


def test_the_arabic_models_spans_over_latin_words_are_left_to_the_latin_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Hendaknya kalian mencintai . قال الشيخ ناصر الدين إن الحديث صحيح ."

    class Model:
        def article_spans(self, texts: list[str]) -> list[list[ModelSpan]]:
            latin = ModelSpan(0, text.index(" ."), "PERSON")
            arabic = ModelSpan(text.index("ناصر"), text.index(" إن"), "PERSON")
            return [[latin, arabic] if t == text else [] for t in texts]

    tagger = OfflineTagger()
    monkeypatch.setattr(tagger, "load_model", Model)
    art = NormalizedArticle(paragraphs=[text], language="id", script="Latn")
    assert [(e.type, e.text) for e in tagger.tag(art) if e.type == "PERSON"] == [("PERSON", "ناصر الدين")]


def test_a_town_the_model_passes_over_is_kept_after_a_place_cue():
    """وصل إلى بعقوبة: a rare word that the gazetteer's towns know, after إلى, is a place with its id."""
    text = "وصل المبعوث إلى بعقوبة قادما من الفلوجة."
    ents = OfflineTagger().tag(NormalizedArticle(paragraphs=[text], language="ar"))
    assert {(e.text, e.type, e.id) for e in ents} >= {
        ("بعقوبة", "LOCATION", "geonames:97990"),
        ("الفلوجة", "LOCATION", "geonames:99454"),
    }


def test_a_place_joined_to_a_place_the_model_found_is_kept():
    """من عدن وتعز: the model finds عدن and passes over تعز, which general text also uses as a word."""
    text = "وصلت فرق الإغاثة من عدن وتعز إلى المكلا صباح الأحد."
    ents = {(e.text, e.type) for e in OfflineTagger().tag(NormalizedArticle(paragraphs=[text], language="ar"))}
    assert {("عدن", "LOCATION"), ("تعز", "LOCATION"), ("المكلا", "LOCATION")} <= ents


@pytest.mark.parametrize(
    ("before", "kept"),
    [
        ("من عدن و", True),
        ("من عدن، و", True),  # a comma between the places
        ("من عدن و ", False),  # و stands alone: no name starts with it here
        ("التقى أحمد و", False),  # after no place
    ],
)
def test_which_places_after_and_stay(before: str, kept: bool) -> None:
    from articleflow.core.tagging.offline import _after_a_place_and
    from articleflow.core.tagging.spans import Candidate

    text = before + "تعز"
    located = bytearray(len(text) + 1)
    if "عدن" in text:
        at = text.index("عدن")
        located[at : at + 3] = b"\x01" * 3
    place = Candidate(len(before), len(text), "LOCATION", "LOCATION|تعز", 0.7, "place")
    assert _after_a_place_and(text, place, located) is kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("وصل المبعوث إلى بعقوبة", True),  # a rare word after a cue
        ("شهدت بعقوبة مواجهات", False),  # no cue: the model decides
        ("وصل المبعوث إلى الزرقاء", False),  # "the blue": general text uses it often
    ],
)
def test_which_unconfirmed_places_stay(text: str, kept: bool) -> None:
    from articleflow.core.tagging import rules
    from articleflow.core.tagging.offline import _rare_place_after_cue

    places = rules.find_places(rules.Context(text, "ar"))
    assert len(places) == 1
    assert _rare_place_after_cue(text, places[0]) is kept


def test_an_article_without_words_gets_no_labels() -> None:
    model = arabic_model()
    assert model.sentence_labels([]) == []
    assert model.sentence_labels([["."], ["،", "!"]]) == [["O"], ["O", "O"]]
    assert model.article_spans(["", "..."]) == [[], []]
