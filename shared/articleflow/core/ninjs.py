"""Map an article to an IPTC ninjs 3.1 document (validated in tests against the official schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from articleflow.core.text.words import word_count
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity

NINJS_VERSION = "3.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"

# Our entity types -> the ninjs array that holds them. Others (DATE, QUANTITY, ...) have no ninjs home.
_NINJS_ARRAY = {
    "PERSON": "people",
    "ORGANIZATION": "organisations",
    "LOCATION": "places",
    "PRODUCT": "objects",
}


def _timestamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def entity_uri(entity_id: str | None) -> str | None:
    """A resolvable URI for ids that have one; other ids travel as `literal`."""
    if not entity_id:
        return None
    scheme, _, value = entity_id.partition(":")
    if scheme == "geonames":
        return f"https://sws.geonames.org/{value}/"
    if scheme == "iso3166":
        return f"urn:iso:std:iso:3166:-1:{value}"
    if scheme == "iso3166-2":  # a country's subdivision: a region, province, state or governorate
        return f"urn:iso:std:iso:3166:-2:{value}"
    if scheme in {"http", "https", "urn"}:
        return entity_id
    return None


def _subject_code(code: str) -> dict[str, Any]:
    """An IPTC code such as 'medtop:20000232' as a ninjs subject with its NewsCodes URI."""
    scheme, _, value = code.partition(":")
    known = {"medtop": "mediatopic", "subj": "subjectcode"}
    subject: dict[str, Any] = {"name": code, "rel": "about", "literal": code}
    if scheme in known and value:
        subject["uri"] = f"http://cv.iptc.org/newscodes/{known[scheme]}/{value}"
    return subject


def _concept(entity: Entity) -> dict[str, Any]:
    concept: dict[str, Any] = {"name": entity.canonical or entity.text, "rel": "mentioned"}
    uri = entity_uri(entity.id)
    if uri:
        concept["uri"] = uri
    if entity.id:
        concept["literal"] = entity.id
    return concept


def _described(article: NormalizedArticle) -> dict[str, Any]:
    """The ninjs properties the article fills when it has them: headline, summary, place, creation
    date, keywords and subject codes, byline."""
    fields: dict[str, Any] = {}
    if article.title:
        fields["headlines"] = [{"role": "main", "value": article.title}]
    if article.standfirst:
        fields["descriptions"] = [{"role": "summary", "contentType": "text/plain", "value": article.standfirst}]
    if article.dateline:
        fields["located"] = article.dateline
    if article.published_at:
        fields["contentCreated"] = _timestamp(article.published_at)
    subjects = [{"name": tag, "rel": "keyword"} for tag in article.tags]
    subjects += [_subject_code(code) for code in article.subjects]
    if subjects:
        fields["subjects"] = subjects
    if article.byline.authors:
        fields["by"] = ", ".join(article.byline.authors)
    return fields


def to_ninjs(
    *,
    article_id: str,
    revision: int,
    content_sha256: str,
    article: NormalizedArticle,
    entities: list[Entity],
    published_at: datetime,
    publisher: str | None,
    source_url: str | None,
) -> dict[str, Any]:
    body = article.body
    document: dict[str, Any] = {
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "uri": f"urn:articleflow:article:{article_id}",
        "type": "text",
        "representationType": "full",
        "version": str(revision),
        "versionCreated": _timestamp(published_at),
        "pubStatus": "usable",
        "language": article.language,
        "bodies": [
            {
                "role": "main",
                "contentType": "text/plain",
                "value": body,
                "charCount": len(body),
                "wordCount": word_count(body),
            }
        ],
        "altIds": [{"role": "content-sha256", "value": content_sha256}],
    }
    document.update(_described(article))
    info_sources = [{"name": name, "role": "source"} for name in article.byline.sources]
    if publisher:
        info_sources.insert(0, {"name": publisher, "role": "publisher"})
    if info_sources:
        document["infoSources"] = info_sources
    if source_url:
        document["altIds"].append({"role": "source-url", "value": source_url})
    if article.captions:
        document["associations"] = [
            {
                "uri": f"urn:articleflow:article:{article_id}:picture:{index}",
                "name": f"picture {index + 1}",
                "rel": "illustration",
                "type": "picture",
                "descriptions": [{"role": "caption", "contentType": "text/plain", "value": caption.text}],
                **({"by": caption.credit} if caption.credit else {}),
            }
            for index, caption in enumerate(article.captions)
        ]
    for entity in entities:
        array = _NINJS_ARRAY.get(entity.type)
        if array:
            document.setdefault(array, []).append(_concept(entity))
    return document
