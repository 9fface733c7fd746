"""Filter policies end to end on the in-process moto: every feature moto supports, one queue each.

The publish queue, a filtered queue and pointers on `articleflow serve`: test_consumers_on_serve.py.
"""

from __future__ import annotations

import pytest

from articleflow_consumer import read_article
from articleflow_dev.local.embedded import EmbeddedPipeline
from tests.integration.fanout import receive_all, subscribe_queue, upload_samples

pytestmark = pytest.mark.integration


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


def languages(messages: list[dict]) -> list[str]:
    return sorted(read_article(message).text.language for message in messages)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # String.Array attributes: matches when any element matches.
        ({"entity_types": ["DATE"]}, ["ar", "en"]),
        ({"entity_ids": ["iso3166:EG"]}, ["ar"]),
        ({"publisher": [{"prefix": "EN"}]}, ["en"]),
        ({"language": [{"anything-but": ["ar"]}]}, ["en", "fr"]),
        ({"section": [{"exists": False}]}, ["ar", "en", "fr"]),  # no sample has a section
        ({"language": ["fr"], "payload": ["inline"]}, ["fr"]),  # keys combine with AND
        ({"$or": [{"language": ["fr"]}, {"entity_ids": ["iso3166:EG"]}]}, ["ar", "fr"]),
        ({"publisher": [{"equals-ignore-case": "en daily"}]}, ["en"]),
    ],
)
def test_filter_policy_features_moto_supports(pipeline, policy, expected):
    queue = subscribe_queue(pipeline, "team-filtered", policy)
    upload_samples(pipeline)
    assert languages(receive_all(queue.url)) == expected
