"""Decoding uploads: BOMs, BOM-less UTF-16, legacy code pages, mojibake repair, nothing lost."""

from __future__ import annotations

import codecs

import pytest

from articleflow.core.decoding.encoding import declared_encoding, decode_payload, repair_mojibake
from articleflow.core.errors import RejectedInput
from tests.conftest import REPO_ROOT

# Our own sentences, one per language of the furniture list (and a few more scripts).
AR = "افتتحت البلدية محطة الطاقة الشمسية الجديدة يوم الأحد، وقال المسؤولون إن المشروع سيزود عشرة آلاف منزل بالكهرباء."
FR = "Le festival de jazz de Montréal s’ouvre ce soir « sous la pluie » : les organisateurs ont prévu des œuvres."
ES = "El ayuntamiento aprobó el plan del agua: la señora Muñoz explicó que «la sequía» obliga a actuar."
EN = "The harbour’s first electric ferry — the Tern — began carrying commuters on Monday."
VI = "Thành phố Hà Nội đưa vào hoạt động tuyến xe buýt điện mới nối trung tâm với khu đô thị phía tây."
FA = "کتابخانه‌ی شیراز پس از بازسازی دوباره باز شد و مردم می‌توانند از آن استفاده کنند."
RU = "Мэрия Москвы открыла новый технопарк в среду, сообщили журналистам."


@pytest.mark.parametrize("text", [AR, FR, ES, EN, VI, FA, RU])
@pytest.mark.parametrize(
    ("prefix", "codec", "name"),
    [
        (b"", "utf-8", "utf-8"),
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (b"", "utf-16-le", "utf-16-le"),
        (b"", "utf-16-be", "utf-16-be"),
    ],
)
def test_unicode_encodings_with_and_without_bom(text, prefix, codec, name):
    decoded = decode_payload(prefix + text.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.repairs) == (text, name, [])


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        (AR, "cp1256", "windows-1256"),
        (AR, "iso-8859-6", "iso-8859-6"),
        (FR, "cp1252", "windows-1252"),
        (ES, "cp1252", "windows-1252"),
        (ES, "latin-1", "windows-1252"),  # WHATWG: what says latin-1 is read as windows-1252
        (RU, "cp1251", "windows-1251"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy. Město Brno otevřelo nový most přes řeku.", "cp1250", "windows-1250"),
    ],
)
def test_legacy_code_pages_are_detected_on_the_whole_payload(text, codec, name):
    decoded = decode_payload(text.encode(codec))
    assert decoded.text == text  # every character, none replaced
    assert decoded.encoding == name


def test_a_short_french_line_is_windows_1252_not_central_european():
    assert decode_payload("Café crème à Genève".encode("latin-1")).text == "Café crème à Genève"


def test_declared_charset_is_a_hint_for_legacy_pages():
    page = f'<html><head><meta charset="windows-1256"></head><body><p>{AR}</p></body></html>'
    data = page.encode("cp1256")
    assert declared_encoding(data) == "cp1256"
    assert decode_payload(data).encoding == "windows-1256"


@pytest.mark.parametrize(
    ("text", "wrong", "repair"),
    [
        (FR, "cp1252", "windows-1252"),
        (ES, "cp1252", "windows-1252"),
        (AR, "cp1256", "windows-1256"),
        (FA, "cp1256", "windows-1256"),
    ],
)
def test_double_decoding_is_repaired_and_recorded(text, wrong, repair):
    mojibake = text.encode("utf-8").decode(wrong, errors="strict" if wrong == "cp1256" else "replace")
    assert mojibake != text
    decoded = decode_payload(mojibake.encode("utf-8"))
    assert decoded.text == text
    assert decoded.repairs == [f"mojibake:{repair}"]


def test_clean_text_is_never_repaired():
    texts = [AR, FR, ES, EN, VI, FA, RU, "Ã is a letter in some names; naïve café, 10 €"]
    texts += [p.read_text(encoding="utf-8") for p in (REPO_ROOT / "tests" / "fixtures" / "text").glob("*.txt")]
    for text in texts:
        assert repair_mojibake(text) == (text, []), text[:40]


def test_invalid_utf8_after_a_bom_is_undecodable():
    with pytest.raises(RejectedInput) as caught:
        decode_payload(codecs.BOM_UTF8 + b"caf\xe9")
    assert caught.value.kind == "undecodable"


def test_bytes_no_code_page_reads_cleanly_are_undecodable():
    noise = bytes((i * 89 + 17) % 127 + 129 for i in range(600))
    with pytest.raises(RejectedInput) as caught:
        decode_payload(noise)
    assert caught.value.kind == "undecodable"
    assert "not valid UTF-8" in caught.value.reason


def test_nul_bytes_that_are_not_utf16_are_binary():
    with pytest.raises(RejectedInput) as caught:
        decode_payload(b"text\x00\x00\x00with nul" * 3)
    assert caught.value.kind == "binary"


def test_windows_1256_repair_only_touches_runs_that_decode_to_arabic():
    # Clean Arabic with a ط ظ ع غ letter right before « » ، (windows-1256 bytes D8-DB then 80-BF):
    # the cheap pre-check lets it through, and the run is still left alone.
    clean = "ارتفع سعر «النفط» والضغط، وقال «الربط»: لا"
    assert repair_mojibake(clean) == (clean, [])
    # Mojibake runs between clean ASCII and clean Arabic runs: only the mojibake is re-decoded.
    mixed = f"{clean} (AFP) {AR.encode('utf-8').decode('cp1256')} 2024 {clean}"
    assert repair_mojibake(mixed) == (f"{clean} (AFP) {AR} 2024 {clean}", ["mojibake:windows-1256"])
