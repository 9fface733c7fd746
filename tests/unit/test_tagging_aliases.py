"""The publisher's alias table: parsing (JSON, CSV), Arabic keys, and every backend's linker step."""

from __future__ import annotations

import json

import pytest

from articleflow.core.tagging import get_tagger
from articleflow.core.tagging.aliases import AliasTable, AliasTableError
from articleflow.models.article import NormalizedArticle

CSV = (
    "alias,id,type,canonical\n"
    "مينورو كيهارا,pub:person/kihara,PERSON,Minoru Kihara\n"
    "Minoru Kihara,pub:person/kihara,PER,\n"
    "وزاره الدفاع اليابانيه,pub:org/mod-jp,ORG,Japan Ministry of Defense\n"
    "Ministry of Defense,pub:org/mod-jp,ORGANIZATION,\n"
    "باتريوت,pub:product/patriot,PRODUCT,Patriot\n"
)
AR = NormalizedArticle(
    paragraphs=[
        "قال وزير الدفاع الياباني مينورو كيهارا إن وزارة الدفاع اليابانية ستشتري صواريخ باتريوت.",
        "وأضاف كيهارا أن ولوزارة الدفاع اليابانية خطة جديدة.",
    ],
    language="ar",
    script="Arab",
)


def test_csv_json_list_and_json_object_read_alike() -> None:
    from_csv = AliasTable.parse(CSV, "aliases.csv")
    rows = [
        {"alias": "مينورو كيهارا", "id": "pub:person/kihara", "type": "PERSON", "canonical": "Minoru Kihara"},
        {"aliases": ["Minoru Kihara"], "id": "pub:person/kihara", "type": "PERS"},
    ]
    from_list = AliasTable.parse(json.dumps(rows, ensure_ascii=False).encode(), "aliases.json")
    from_object = AliasTable.parse(
        json.dumps({"مينورو كيهارا": {"id": "pub:person/kihara", "type": "PER", "canonical": "Minoru Kihara"}})
    )
    for table in (from_csv, from_list, from_object):
        alias = table.get("مينورو كيهارا")
        assert alias is not None and (alias.id, alias.type, alias.canonical) == (
            "pub:person/kihara",
            "PERSON",
            "Minoru Kihara",
        )
    # a row without a canonical name inherits its id's
    english = from_csv.get("minoru kihara")
    assert english is not None and english.canonical == "Minoru Kihara"


def test_keys_are_normalised_with_the_arabic_key() -> None:
    table = AliasTable.parse(CSV, "a.csv")
    # teh marbuta, hamza and diacritics differ from the table's spelling
    assert table.get("وِزارة الدفاع اليابانية") == table.get("وزاره الدفاع اليابانيه")
    assert table.get("MINISTRY OF DEFENSE") is not None


@pytest.mark.parametrize(
    "bad",
    ["alias,id,type\nX,,PERSON\n", "alias,id,type\nX,id1,PLANET\n", "name;id\n", "[1, 2]", "{not json"],
)
def test_bad_tables_are_rejected(bad: str) -> None:
    with pytest.raises(AliasTableError):
        AliasTable.parse(bad)


def test_offline_backend_links_people_organisations_products() -> None:
    table = AliasTable.parse(CSV, "a.csv")
    entities = {e.id: e for e in get_tagger("offline", aliases=table).tag(AR) if e.id}
    kihara = entities["pub:person/kihara"]
    assert (kihara.type, kihara.canonical, kihara.count) == ("PERSON", "Minoru Kihara", 2)
    ministry = entities["pub:org/mod-jp"]
    assert ministry.type == "ORGANIZATION" and ministry.canonical == "Japan Ministry of Defense"
    assert ministry.count == 2
    body = AR.body
    assert all(body[m.start : m.end] == "وزارة الدفاع اليابانية" for m in ministry.mentions)  # no ول
    assert entities["pub:product/patriot"].type == "PRODUCT"


def test_without_a_table_nothing_changes() -> None:
    plain = get_tagger("offline").tag(AR)
    empty = get_tagger("offline", aliases=AliasTable()).tag(AR)
    assert [e.model_dump() for e in plain] == [e.model_dump() for e in empty]
    assert not any(e.id and e.id.startswith("pub:") for e in plain)
