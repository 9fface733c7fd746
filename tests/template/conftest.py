"""Fixtures for the template tests: template.yaml as written, and as SAM transforms it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"


class OfflineManagedPolicyLoader:
    """Stands in for samtranslator's ManagedPolicyLoader, which calls IAM.

    SAM only consults it for managed policies named without an ARN; the template uses
    none, so an empty map is enough and the transform never touches the network.
    """

    def load(self) -> dict[str, str]:
        return {}


def _plain(value: Any) -> Any:
    """cfn-lint's decoder returns str/dict subclasses carrying line marks; make them plain."""
    return json.loads(json.dumps(value))


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    """template.yaml parsed with cfn-lint's decoder (short tags become Ref / Fn::* dicts)."""
    from cfnlint.decode import cfn_yaml

    return _plain(cfn_yaml.load(str(TEMPLATE_PATH)))


@pytest.fixture(scope="session")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """The template after the AWS::Serverless-2016-10-31 transform, done offline."""
    import os

    from samtranslator.translator.transform import transform

    document = copy.deepcopy(template)
    # `sam package` would upload the local code folders and put S3 URIs here; the
    # transform insists on S3 URIs, so stand in for that step.
    for resource in document["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
                properties[key] = f"s3://artifacts/{properties[key].strip('/')}.zip"

    saved = {name: os.environ.get(name) for name in ("AWS_DEFAULT_REGION", "AWS_REGION")}
    os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = "us-east-1"
    try:
        return _plain(transform(document, {}, OfflineManagedPolicyLoader()))  # type: ignore[arg-type]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
