"""German persons need evidence, "12. März" dates, organisation head words (de/fr/es/en).

Example sentences are our own (not from the CoNLL test articles)."""

from __future__ import annotations

import pytest

from articleflow.core.tagging.merge import resolve_overlaps
from articleflow.core.tagging.offline import OfflineTagger
from articleflow.core.tagging.rules import Context, find_dates, lower_org_heads, romance_org_names
from articleflow.models.article import NormalizedArticle


def tagged(text: str, lang: str) -> set[tuple[str, str]]:
    article = NormalizedArticle(paragraphs=[text], language=lang, script="Latn", direction="ltr")
    return {
        (e.type, text[m.start : m.end]) for e in OfflineTagger().tag(article) for m in e.mentions if m.field == "body"
    }


def types_of(found: set[tuple[str, str]], span: str) -> set[str]:
    return {t for t, s in found if s == span}


def test_german_capitalised_nouns_are_not_persons() -> None:
    found = tagged("Die Anlage spart jedes Jahr rund 400 Tonnen Kohlendioxid, teilte die Stadt Köln mit.", "de")
    assert not any(t == "PERSON" for t, _s in found)
    assert "PERSON" not in types_of(found, "Tonnen Kohlendioxid")
    assert "PERSON" not in types_of(found, "Stadt Köln")


def test_german_person_after_role_word_and_repeat() -> None:
    text = (
        "Die Umweltministerin Sabine Krüger eröffnete die Messe. "
        "Später sagte Krüger, der Landrat Otto Brenner habe zugestimmt."
    )
    found = tagged(text, "de")
    assert ("PERSON", "Sabine Krüger") in found  # compound role word before the name
    assert ("PERSON", "Krüger") in found  # repeat of a name found with evidence
    assert "PERSON" not in types_of(found, "Umweltministerin Sabine Krüger")


def test_german_person_after_title_inside_sequence_and_given_name() -> None:
    found = tagged("Sachsens Wirtschaftsminister Paul Neumann traf gestern Jürgen Albrecht in Leipzig.", "de")
    assert ("PERSON", "Paul Neumann") in found
    assert ("PERSON", "Jürgen Albrecht") in found  # a known given name is evidence too
    assert not any(t == "PERSON" and s.startswith("Sachsens") for t, s in found)


def test_german_day_with_period() -> None:
    spans = [
        (c.canonical, c.start, c.end) for c in resolve_overlaps(find_dates(Context("Am 7. Mai 2023 begann es.", "de")))
    ]
    assert spans == [("2023-05-07", 3, 14)]
    # English keeps the old reading: a sentence ending in a number is not a day
    en = resolve_overlaps(find_dates(Context("He scored 7. May was quiet.", "en")))
    assert all(c.canonical is not None and not c.canonical.endswith("-07") for c in en)


def test_german_organisation_compounds_tight_spans() -> None:
    text = (
        "Ein Sprecher der Bremer Verkehrsgesellschaft bestätigte den Plan. "
        "Das Bundesministerium für Verkehr und Infrastruktur prüft ihn, "
        "ebenso Forscher der Technische Universität Dresden."
    )
    found = tagged(text, "de")
    assert ("ORGANIZATION", "Bremer Verkehrsgesellschaft") in found
    assert ("ORGANIZATION", "Bundesministerium für Verkehr und Infrastruktur") in found
    assert any(t == "ORGANIZATION" and s.startswith("Technische Universität") for t, s in found)
    assert not any(s.startswith("Forscher") for _t, s in found)


def test_french_lowercase_ministere() -> None:
    text = "Selon le ministère de l'Intérieur, les contrôles reprendront lundi."
    spans = [text[c.start : c.end] for c in lower_org_heads(Context(text, "fr"))]
    assert spans == ["ministère de l'Intérieur"]
    assert ("ORGANIZATION", "ministère de l'Intérieur") in tagged(text, "fr")


def test_spanish_and_english_org_heads() -> None:
    es = tagged("La Agencia Estatal de Meteorología y el Ayuntamiento de Bilbao emitieron un aviso.", "es")
    assert ("ORGANIZATION", "Agencia Estatal de Meteorología") in es
    assert any(t == "ORGANIZATION" and s.startswith("Ayuntamiento de") for t, s in es)
    en = tagged("The Civil Aviation Authority said the Harbour Board would review the plan.", "en")
    assert ("ORGANIZATION", "Civil Aviation Authority") in en
    assert "PERSON" not in types_of(en, "Harbour Board")


def test_spanish_two_word_connector_in_names() -> None:
    found = tagged("Habló el rector José Luis de la Torre con la prensa.", "es")
    assert ("PERSON", "José Luis de la Torre") in found


def test_noun_de_place_is_not_a_person() -> None:
    found = tagged("Los Comerciantes de Sevilla protestaron ayer.", "es")
    assert "PERSON" not in types_of(found, "Comerciantes de Sevilla")
    fr = tagged("À Toulouse, la circulation reprend.", "fr")
    assert "PERSON" not in types_of(fr, "À Toulouse")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "L'Agence nationale de sécurité du médicament et la Haute Autorité de santé ont rendu leur avis.",
            "fr",
            ["Agence nationale de sécurité du médicament", "Haute Autorité de santé"],
        ),
        (
            "Selon l'Agence régionale de santé de Bretagne, la Ligue nationale de rugby.",
            "fr",
            ["Agence régionale de santé de Bretagne", "Ligue nationale de rugby"],
        ),
        ("La Confederación Hidrográfica del Segura cerró el canal.", "es", ["Confederación Hidrográfica del Segura"]),
        ("Le Conseil a voté. La direction de l'usine a refusé.", "fr", []),  # a head alone; a lower-case one
        ("Il a demandé à la Commission de publier le rapport.", "fr", []),  # de + a verb
        ("Il a demandé à la Commission d'imposer des règles.", "fr", []),  # elided too
        # adjectives by their endings, and de + an elided article
        (
            "La Banque africaine de développement, la Ligue de football professionnel et la Direction régionale"
            " de l'environnement ont signé.",
            "fr",
            [
                "Banque africaine de développement",
                "Ligue de football professionnel",
                "Direction régionale de l'environnement",
            ],
        ),
        # et + de joins a second field; -able adjectives; a stock exchange's or a group's name
        (
            "L'Office national de l'électricité et de l'eau potable et l'Agence marocaine pour l'énergie durable.",
            "fr",
            ["Office national de l'électricité et de l'eau potable", "Agence marocaine pour l'énergie durable"],
        ),
        ("Cotiza en la Bolsa Mexicana de Valores.", "es", ["Bolsa Mexicana de Valores"]),
    ],
)
def test_french_and_spanish_names_with_lower_case_words(text: str, lang: str, expected: list[str]) -> None:
    assert [text[c.start : c.end] for c in romance_org_names(Context(text, lang))] == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a lower-case head's adjectives before de and the name
        (
            "Le conseil régional de Normandie et le tribunal administratif de Caen ont statué.",
            "fr",
            ["conseil régional de Normandie", "tribunal administratif de Caen"],
        ),
        ("Le conseil départemental de l'Orne a voté.", "fr", ["conseil départemental de l'Orne"]),
        ("Le conseil d'administration a voté.", "fr", []),  # no name after it
    ],
)
def test_lower_case_heads_with_adjectives(text: str, lang: str, expected: list[str]) -> None:
    assert [text[c.start : c.end] for c in lower_org_heads(Context(text, lang))] == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Lens a gagné au stade Bollaert-Delelis.", "fr", ["stade Bollaert-Delelis"]),
        ("L'eau vient du barrage Mohammed V.", "fr", ["barrage Mohammed V"]),
        ("Jugaron en el estadio Gigante de Arroyito.", "es", ["estadio Gigante de Arroyito"]),
        ("Le stade Marcel-Michelin de Clermont-Ferrand", "fr", ["stade Marcel-Michelin"]),  # not the town
        ("Le Stade Rochelais a gagné à l'hôpital de Caen.", "fr", []),  # a club; a head with de and a place
    ],
)
def test_a_facility_head_before_its_name_is_one_place(text: str, lang: str, expected: list[str]) -> None:
    from articleflow.core.tagging.rules import romance_facilities

    assert [text[c.start : c.end] for c in romance_facilities(Context(text, lang))] == expected


def test_a_title_before_de_and_a_place_names_no_person() -> None:
    """la maire d'Argentan: the mayor of Argentan, not a person named Argentan."""
    found = tagged("La maire d'Argentan, Nathalie Fréminet, s'inquiète. Le maire Jean Dupont a parlé.", "fr")
    assert {span for type_, span in found if type_ == "PERSON"} == {"Nathalie Fréminet", "Jean Dupont"}
