"""template.yaml: the tag stage's model and alias table (TaggerModelKey, AliasTableKey)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from articleflow.topology import STAGES_BY_NAME

pytestmark = pytest.mark.template

TAG = STAGES_BY_NAME["tag"].logical_id


def ref(logical_id: str) -> dict[str, str]:
    return {"Ref": logical_id}


@pytest.mark.parametrize("name", ["TaggerModelKey", "AliasTableKey"])
def test_model_parameters_default_empty_and_stay_under_models(template: dict[str, Any], name: str) -> None:
    param = template["Parameters"][name]
    assert param["Type"] == "String"
    assert param["Default"] == ""
    pattern = re.compile(param["AllowedPattern"])
    for ok in ("", "models/crf/ar-en.crfsuite", "models/aliases/publisher.csv"):
        assert pattern.fullmatch(ok), ok
    for bad in ("incoming/x", "crf/model", "models/", "models/a b"):
        assert not pattern.fullmatch(bad), bad


def test_tag_function_gets_bucket_model_and_alias_keys(template: dict[str, Any]) -> None:
    variables = template["Resources"][TAG]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "ARTICLE_BUCKET": ref("ArticleBucket"),
        "TAGGER_MODEL_KEY": ref("TaggerModelKey"),
        "ALIAS_TABLE_KEY": ref("AliasTableKey"),
    }


def test_no_other_function_gets_the_model_settings(template: dict[str, Any]) -> None:
    for name, stage in STAGES_BY_NAME.items():
        if name == "tag":
            continue
        variables = template["Resources"][stage.logical_id]["Properties"].get("Environment", {}).get("Variables", {})
        assert not {"ARTICLE_BUCKET", "TAGGER_MODEL_KEY", "ALIAS_TABLE_KEY"} & set(variables)


def test_crf_backend_requires_a_model_key(template: dict[str, Any]) -> None:
    rule = template["Rules"]["CrfNeedsModel"]
    assert rule["RuleCondition"] == {"Fn::Equals": [ref("TaggerBackend"), "crf"]}
    (assertion,) = rule["Assertions"]
    assert assertion["Assert"] == {"Fn::Not": [{"Fn::Equals": [ref("TaggerModelKey"), ""]}]}
