"""The cold-start floor: what any Python Lambda handler using the AWS SDK and pydantic pays at init.

One botocore client (the handlers build their DynamoDB client at init) and one pydantic model
built, nothing else. `bench/cold_start.py` imports it like a handler, as the peer for the
handlers' cold imports: everything above it is powertools' logger and metrics and our own code.
"""

from __future__ import annotations

from botocore.config import Config
from botocore.session import get_session
from pydantic import BaseModel

dynamodb = get_session().create_client("dynamodb", config=Config(retries={"max_attempts": 5, "mode": "standard"}))


class ObjectRef(BaseModel):
    bucket: str
    key: str
    version_id: str | None = None
