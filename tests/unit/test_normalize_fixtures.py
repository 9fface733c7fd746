"""Own short articles in several languages (tests/fixtures/text), each normalized exactly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from articleflow.core.normalize.text import normalize_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"


@dataclass(frozen=True)
class Expected:
    file: str
    title: str
    paragraph_lines: tuple[int, ...]  # 1-based line numbers in the file
    caption: tuple[str, str]  # (text, credit)
    authors: tuple[str, ...]
    sources: tuple[str, ...]
    removed: tuple[str, ...]
    language: str
    script: str
    direction: str


CASES = [
    Expected(
        "en-city-bridge.txt",
        "City Council Approves Funding for New River Bridge",
        (5, 11, 15),
        ("The mayor speaks to reporters outside city hall on Tuesday.", "Tom Baker/Example Wire"),
        ("Jane Doe", "Mark Lee"),
        (),
        ("ad", "read_more", "share", "newsletter", "comments", "tags", "copyright"),
        "en",
        "Latn",
        "ltr",
    ),
    Expected(
        "fr-festival-jazz.txt",
        "Le festival de jazz de Lyon bat son record d'affluence",
        (5, 9, 13),
        ("Le saxophoniste Paul Girard sur la grande scène, samedi soir.", "Luc Bernard"),
        ("Claire Martin",),
        ("AFP",),
        ("read_more", "share", "newsletter", "comments", "copyright"),
        "fr",
        "Latn",
        "ltr",
    ),
    Expected(
        "es-plan-agua.txt",
        "El Gobierno presenta un plan para ahorrar agua en verano",
        (3, 7, 11),
        ("Un embalse con bajo nivel de agua cerca de Toledo, en agosto.", "Carlos Ruiz"),
        ("Lucía Gómez",),
        ("EFE",),
        ("read_more", "share", "newsletter", "comments", "copyright"),
        "es",
        "Latn",
        "ltr",
    ),
    Expected(
        "de-radwege.txt",
        "Neue Radwege für die Münchner Innenstadt",
        (5, 9, 13),
        ("Radfahrer auf der Ludwigstraße am Montagmorgen.", "Stefan Weber/dpa"),
        ("Thomas Müller",),
        (),
        ("read_more", "share", "follow", "comments", "copyright"),
        "de",
        "Latn",
        "ltr",
    ),
    Expected(
        "vi-xe-buyt-dien.txt",
        "Hà Nội mở thêm ba tuyến xe buýt điện",
        (3, 7, 11),
        ("Xe buýt điện chạy thử trên phố Kim Mã sáng 2/3.", "Minh Đức"),
        ("Ngọc Anh",),
        ("VnExpress", "Tuổi Trẻ"),
        ("read_more", "share", "comments"),
        "vi",
        "Latn",
        "ltr",
    ),
    Expected(
        "zh-hans-shanghai-parks.txt",
        "上海将新建三座城市公园",
        (5, 9, 13),
        ("市民在滨江绿地散步。", "李华"),
        ("王小明",),
        (),
        ("read_more", "editor", "share", "comments", "copyright"),
        "zh",
        "Hans",
        "ltr",
    ),
    Expected(
        "zh-hant-taipei-metro.txt",
        "台北捷運新路線明年通車",
        (5, 9, 13),
        ("工人在新車站內進行最後檢查。", "中央社記者 林志明"),
        ("陳美玲",),
        (),
        ("read_more", "share", "comments", "copyright"),
        "zh",
        "Hant",
        "ltr",
    ),
    Expected(
        "ru-technopark.txt",
        "В Казани открылся новый детский технопарк",
        (5, 9, 13),
        ("Ученики собирают робота на открытии технопарка.", "Игорь Волков"),
        ("Анна Смирнова",),
        (),
        ("read_more", "share", "newsletter", "comments", "copyright"),
        "ru",
        "Cyrl",
        "ltr",
    ),
    Expected(
        "fa-shiraz-library.txt",
        "افتتاح بزرگ\u200cترین کتابخانه عمومی شیراز",
        (5, 9, 13),
        ("نمای بیرونی ساختمان تازه کتابخانه در مرکز شهر.", "علی رضایی"),
        ("مریم احمدی",),
        (),
        ("read_more", "share", "comments", "copyright"),
        "fa",
        "Arab",
        "rtl",
    ),
    Expected(
        "ur-lahore-metro.txt",
        "لاہور میں نیا میٹرو روٹ کھل گیا",
        (5, 9, 13),
        ("مسافر نئے اسٹیشن پر بس کا انتظار کر رہے ہیں۔", "سلمان حیدر"),
        ("احمد علی",),
        (),
        ("read_more", "share", "comments", "copyright"),
        "ur",
        "Arab",
        "rtl",
    ),
    Expected(
        "ar-solar-plant.txt",
        "افتتاح أكبر محطة للطاقة الشمسية في المنطقة",
        (5, 9, 13),
        ("ألواح شمسية في موقع المحطة جنوب المدينة، يوم الأحد.", "خالد يوسف"),
        ("سارة حسن",),
        (),
        ("read_more", "share", "newsletter", "comments", "copyright"),
        "ar",
        "Arab",
        "rtl",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_fixture_normalizes_exactly(case: Expected) -> None:
    text = (FIXTURES / case.file).read_text(encoding="utf-8")
    lines = text.split("\n")
    article = normalize_text(text)

    assert article.title == case.title
    assert article.title_origin == "explicit"
    assert article.paragraphs == [lines[n - 1] for n in case.paragraph_lines]
    assert [(c.text, c.credit) for c in article.captions] == [case.caption]
    assert article.byline.authors == list(case.authors)
    assert article.byline.sources == list(case.sources)
    assert [r.kind for r in article.removed] == list(case.removed)
    assert all(r.text in lines for r in article.removed), "removed text must be the line as printed"
    assert article.source_url is None
    assert (article.language, article.script, article.direction) == (
        case.language,
        case.script,
        case.direction,
    )


def test_every_fixture_is_covered() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.txt")) == sorted(c.file for c in CASES)


def test_persian_fixture_keeps_zwnj_in_paragraphs() -> None:
    article = normalize_text((FIXTURES / "fa-shiraz-library.txt").read_text(encoding="utf-8"))
    assert article.paragraphs[0].startswith("بزرگ\u200cترین")
    assert "ویژه\u200cای" in article.paragraphs[1]
