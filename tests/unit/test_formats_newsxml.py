"""IPTC NITF and NewsML-G2, and hostile XML: billion laughs, XXE, malformed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from articleflow.core.decoding import detect
from articleflow.core.errors import RejectedInput
from articleflow.core.normalize import normalize_upload
from tests.conftest import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "formats"
NITF = (FIXTURES / "es-plan-agua.nitf.xml").read_text(encoding="utf-8")
G2 = (FIXTURES / "vi-xe-buyt-dien.newsml.xml").read_text(encoding="utf-8")


def test_nitf():
    article = normalize_upload(detect.NITF, NITF)
    assert article.title == "El ayuntamiento aprueba el plan del agua"
    assert article.standfirst == "La ciudad reducirá un 15 % el consumo en parques y fuentes"
    assert article.byline.model_dump() == {"authors": ["Lucía Fernández"], "sources": ["EFE"]}
    assert article.dateline == "SEVILLA, 15 abr"
    assert article.published_at == datetime(2026, 4, 15, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert (article.tags, article.subjects) == (["sequía", "agua"], ["subj:06000000", "subj:11000000"])
    assert [(c.text, c.credit) for c in article.captions] == [
        ("Una fuente apagada en el parque de María Luisa.", "Javier Ruiz")
    ]
    assert "«sin esperar a las restricciones»" in article.paragraphs[1]  # character references kept
    assert "Riego con agua regenerada" in article.paragraphs  # a subhead stays in the body
    # The tagline ("Todos los derechos reservados") is the extractor's, listed first.
    assert [(r.kind, r.text) for r in article.removed] == [
        ("copyright", "Todos los derechos reservados"),
        ("read_more", "Lea también: Los embalses, al 30 % de su capacidad"),
    ]
    assert (article.language, article.source_url) == ("es", "https://es.example.org/plan-agua")


def _nitf_with_tagline(tagline: str) -> str:
    return (
        "<nitf><head><title>Port strike ends</title></head><body><body.head><byline>By Ana Ruiz</byline>"
        "</body.head><body.content>"
        "<p>Dock workers returned to the cranes on Tuesday after a nine-day strike over pay.</p>"
        "<p>The union said the new deal raises wages by six percent over two years.</p></body.content>"
        f"<body.end><tagline>{tagline}</tagline></body.end></body></nitf>"
    )


def test_a_nitf_tagline_with_contributors_joins_the_byline_not_the_body():
    article = normalize_upload(detect.NITF, _nitf_with_tagline("Additional reporting by Sam Lee in Rotterdam"))
    assert article.paragraphs[-1] == "The union said the new deal raises wages by six percent over two years."
    assert article.byline.authors == ["Ana Ruiz", "Sam Lee"]
    assert article.removed == []


def test_any_other_nitf_tagline_is_listed_as_removed():
    article = normalize_upload(detect.NITF, _nitf_with_tagline("Produced with the Harbour Desk, ring 555 0100"))
    assert article.paragraphs[-1] == "The union said the new deal raises wages by six percent over two years."
    assert [(r.kind, r.text) for r in article.removed] == [("tagline", "Produced with the Harbour Desk, ring 555 0100")]
    assert article.byline.authors == ["Ana Ruiz"]


def test_newsml_g2():
    article = normalize_upload(detect.NEWSML_G2, G2)
    assert article.title == "Hà Nội mở thêm tuyến xe buýt điện"
    assert article.standfirst == "Tuyến mới nối trung tâm với khu đô thị phía tây."
    assert article.byline.model_dump() == {"authors": ["Nguyễn Thu Hà"], "sources": ["TTXVN"]}
    assert (article.dateline, article.subjects, article.tags) == (
        "Hà Nội, 20/5",
        ["medtop:20000568"],
        ["xe buýt điện", "Hà Nội"],
    )
    assert len(article.paragraphs) == 3
    assert [(c.text, c.credit) for c in article.captions] == [
        ("Xe buýt điện tại bến cuối ở phía tây thành phố.", "Trần Minh")
    ]
    assert [r.kind for r in article.removed] == ["read_more", "share"]
    assert article.language == "vi"
    assert article.published_at == datetime(2026, 5, 20, 7, 30, tzinfo=timezone(timedelta(hours=7)))


def test_g2_with_a_nitf_body_and_plain_inline_data():
    nitf_inside = G2.replace(
        G2[
            G2.index('<inlineXML contenttype="application/xhtml+xml">') : G2.index("</inlineXML>") + len("</inlineXML>")
        ],
        '<inlineData contenttype="text/plain">'
        "Dòng thứ nhất của bài viết về xe buýt điện ở Hà Nội.\n\nDòng thứ hai.</inlineData>",
    )
    article = normalize_upload(detect.NEWSML_G2, nitf_inside)
    assert article.paragraphs == ["Dòng thứ nhất của bài viết về xe buýt điện ở Hà Nội.", "Dòng thứ hai."]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE nitf [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<nitf><body><body.content><p>&lol3;</p></body.content></body></nitf>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentSet><inlineData>&xxe;</inlineData></contentSet></newsItem>"""

XXE_PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<nitf><body><body.content><p>x</p></body.content></body></nitf>"""


@pytest.mark.parametrize(
    ("media_type", "text"), [(detect.NITF, BILLION_LAUGHS), (detect.NEWSML_G2, XXE), (detect.NITF, XXE_PARAMETER)]
)
def test_entity_expansion_and_external_entities_are_refused(media_type, text):
    with pytest.raises(RejectedInput) as caught:
        normalize_upload(media_type, text)
    assert caught.value.kind == "xml_entities"
    assert "billion laughs" in caught.value.reason


def test_malformed_xml_is_rejected_with_the_parser_message():
    with pytest.raises(RejectedInput) as caught:
        normalize_upload(detect.NITF, "<nitf><body><p>unclosed</body></nitf>")
    assert caught.value.kind == "malformed_xml"
    assert "line 1" in caught.value.reason


def test_unknown_xml_is_unsupported():
    with pytest.raises(RejectedInput) as caught:
        normalize_upload(detect.XML, '<?xml version="1.0"?><rss/>')
    assert caught.value.kind == "unsupported_format"


def test_an_external_dtd_reference_is_not_fetched_and_undefined_entities_are_kept():
    text = (
        '<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/nitf.dtd"><nitf><body><body.content>'
        "<p>Caf&eacute; &amp; t&nbsp;e long enough paragraph &unknownent; here.</p></body.content></body></nitf>"
    )
    article = normalize_upload(detect.NITF, text)
    assert article.paragraphs == ["Café & t\u00a0e long enough paragraph &unknownent; here."]
