"""Generate the JSON Schemas of what we publish: `python -m articleflow.models.schema DIR`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from articleflow.models.message import PublishedMessage, PublishedPointer

SCHEMA_FILES: dict[str, type[PublishedMessage] | type[PublishedPointer]] = {
    "published-message.schema.json": PublishedMessage,
    "published-pointer.schema.json": PublishedPointer,
}


def _open_to_additions(node: Any) -> Any:
    """The schema without `additionalProperties: false`: a consumer must accept added fields."""
    if isinstance(node, dict):
        return {
            key: _open_to_additions(value)
            for key, value in node.items()
            if not (key == "additionalProperties" and value is False)
        }
    if isinstance(node, list):
        return [_open_to_additions(value) for value in node]
    return node


def schema_for(model: type[PublishedMessage] | type[PublishedPointer], *, strict: bool = False) -> dict[str, Any]:
    """The published (consumer-facing, open) schema; `strict=True` is the producer's own check."""
    schema = model.model_json_schema(mode="serialization")
    if not strict:
        schema = _open_to_additions(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def render(model: type[PublishedMessage] | type[PublishedPointer]) -> str:
    return json.dumps(schema_for(model), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("schemas")
    target.mkdir(parents=True, exist_ok=True)
    for name, model in SCHEMA_FILES.items():
        (target / name).write_text(render(model), encoding="utf-8")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
