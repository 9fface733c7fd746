"""Markdown with YAML front matter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articleflow.core.decoding import detect
from articleflow.core.errors import RejectedInput
from articleflow.core.formats.markdown import extract_markdown
from articleflow.core.normalize import normalize_upload
from tests.conftest import REPO_ROOT

TEXT = (REPO_ROOT / "tests" / "fixtures" / "formats" / "fr-festival-jazz.md").read_text(encoding="utf-8")


def test_front_matter_is_metadata():
    article = normalize_upload(detect.MARKDOWN, TEXT)
    assert (article.title, article.title_origin) == ("Le festival de jazz s’ouvre sous la pluie", "explicit")
    assert article.standfirst == "Les organisateurs ont installé des chapiteaux sur la place des Festivals."
    assert article.byline.model_dump() == {"authors": ["Claire Martin", "Julien Roy"], "sources": ["AFP"]}
    assert article.published_at == datetime(2026, 6, 28, 20, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert (article.language, article.section, article.tags) == ("fr", "Culture", ["jazz", "Montréal", "festival"])
    assert article.source_url == "https://culture.example.org/jazz-pluie"


def test_body_markup_is_unwrapped_and_furniture_removed():
    article = normalize_upload(detect.MARKDOWN, TEXT)
    assert article.paragraphs[0].startswith(
        "Le festival international de jazz a ouvert sa 47e édition jeudi soir sous une pluie fine, sans"
    )
    assert "concerts gratuits de la place" in article.paragraphs[0]  # **bold** unwrapped, lines joined
    assert "Nathalie Dubé, en rappelant que la météo annonçait" in article.paragraphs[1]
    assert article.paragraphs[2:] == ["Plus de 300 concerts sont prévus en dix jours.", "Les deux tiers sont gratuits."]
    assert [(c.text, c.credit) for c in article.captions] == [
        ("Des spectateurs abrités sous des parapluies devant la grande scène.", "Léa Gagnon"),
        ("Le pianiste salue la foule à la fin du concert d’ouverture", None),
    ]
    assert [r.kind for r in article.removed] == ["read_more", "share", "copyright"]


def test_first_heading_is_the_title_without_front_matter():
    doc = extract_markdown("# Un titre\n\nUn paragraphe.\n\n## Un intertitre\n\nLa suite.\n<script>alert(1)</script>\n")
    assert doc.title == "Un titre"
    assert doc.blocks == ["Un paragraphe.", "Un intertitre", "La suite."]


def test_broken_front_matter_is_rejected_with_a_reason():
    with pytest.raises(RejectedInput) as caught:
        extract_markdown("---\ntitle: [unclosed\n---\nBody.\n")
    assert caught.value.kind == "bad_front_matter"
    with pytest.raises(RejectedInput):
        extract_markdown("---\n!!python/object/apply:os.system ['echo hi']\n---\nBody.\n")


@pytest.mark.parametrize("value", ["2025-06-02", "'2025-06-02'"])  # YAML's own date, and a string
def test_a_jekyll_date_without_a_time_is_kept_as_a_date(value):
    front = f"---\ntitle: Walks\ndate: {value}\nlastmod: 2025-06-09T10:00:00Z\n---\n"
    text = front + "\nThe cliff path starts at the lighthouse.\n"
    article = normalize_upload(detect.MARKDOWN, text)
    assert (article.published_at, article.published_date) == (None, date(2025, 6, 2))
    assert (article.updated_at, article.updated_date) == (datetime(2025, 6, 9, 10, 0, tzinfo=UTC), None)
