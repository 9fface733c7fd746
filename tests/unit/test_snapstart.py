"""SnapStart: init once before the snapshot, then every restored environment works on its own.

The snapshot is simulated the way Lambda takes it: a process that ran init and the before-snapshot
hooks is forked (the same memory, twice), and each copy runs the after-restore hooks and an event.
The hook module (`snapshot_restore_py`, shipped by Lambda's runtime) is replaced by a recorder.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT, handler_env

CHILD = r"""
import json, os, random, sys, types

hooks = {"before": [], "after": []}
fake = types.ModuleType("snapshot_restore_py")
fake.register_before_snapshot = lambda fn, *a, **k: hooks["before"].append(fn)
fake.register_after_restore = lambda fn, *a, **k: hooks["after"].append(fn)
sys.modules["snapshot_restore_py"] = fake

from moto import mock_aws

mock_aws().start()
from articleflow.adapters import storage
from articleflow.adapters.aws import client
from articleflow.runtime.stage import Outcome, StageRuntime

s3 = client("s3")
s3.create_bucket(Bucket="bucket")
s3.put_bucket_versioning(Bucket="bucket", VersioningConfiguration={"Status": "Enabled"})
versions = {
    key: s3.put_object(Bucket="bucket", Key=key, Body=key.encode())["VersionId"]
    for key in ("incoming/a.txt", "incoming/b.txt")
}
client("dynamodb").create_table(
    TableName=os.environ["TABLE_NAME"], BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
)

builds = []
read = []
def process(ref, ctx):
    read.append(storage.get_bytes(ref.bucket, ref.key, ref.version_id).decode())
    return Outcome.WRITTEN

runtime = StageRuntime("ingest", process)
expensive = runtime.prepared(lambda: builds.append("built") or "the tagger")
registered = runtime.snapstart
for hook in reversed(hooks["before"]):  # Lambda runs before-snapshot hooks in reverse order
    hook()
snapshot_s3 = client("s3")

def event(key):
    body = {"detail-type": "Object Created", "source": "aws.s3", "detail": {
        "bucket": {"name": "bucket"}, "object": {"key": key, "size": 1, "version-id": versions[key]}}}
    return {"Records": [{"messageId": key, "body": json.dumps(body)}]}

context = types.SimpleNamespace(function_name="f", memory_limit_in_mb=256, aws_request_id="r",
    function_version="3", invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:f:live",
    get_remaining_time_in_millis=lambda: 30_000)

def environment(key, restore):
    read_end, write_end = os.pipe()
    snapshot_random = random.getstate()
    if os.fork() == 0:
        # fork re-seeds `random` in the child (os.register_at_fork); a snapshot restore does not.
        random.setstate(snapshot_random)
        if restore:
            for hook in hooks["after"]:
                hook()
        draw = random.random()  # before the event: moto itself draws from `random`
        response = runtime.handler(event(key), context)
        report = {"draw": draw, "fresh_client": client("s3") is not snapshot_s3,
                  "builds": len(builds), "failures": response["batchItemFailures"], "read": read,
                  "value": expensive.get()}
        os.write(write_end, json.dumps(report).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        report = json.loads(pipe.read())
    os.wait()
    return report

print(json.dumps({
    "registered": registered, "hooks": {k: len(v) for k, v in hooks.items()},
    "builds_before_snapshot": len(builds),
    "restored": [environment("incoming/a.txt", True), environment("incoming/b.txt", True)],
    "not_restored": [environment("incoming/a.txt", False), environment("incoming/b.txt", False)],
}))
"""


def test_restored_environments_work_and_differ_where_they_must():
    env = handler_env(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["registered"] is True
    assert result["hooks"] == {"before": 1, "after": 1}
    assert result["builds_before_snapshot"] == 1  # the expensive init ran before the snapshot
    first, second = result["restored"]
    for copy, key in ((first, "incoming/a.txt"), (second, "incoming/b.txt")):
        assert copy["failures"] == []  # each restored copy processes its event
        assert copy["read"] == [key]
        assert copy["builds"] == 1 and copy["value"] == "the tagger"  # not rebuilt after restore
        assert copy["fresh_client"]  # credentials and connections are not the snapshot's
    assert first["draw"] != second["draw"]  # re-seeded: the copies do not share a random sequence
    # Without the after-restore hook the copies would: the same state, the same draws.
    unrestored = result["not_restored"]
    assert unrestored[0]["draw"] == unrestored[1]["draw"]
    assert not unrestored[0]["fresh_client"]


def test_without_a_snapshot_runtime_values_are_built_on_the_first_event(monkeypatch):
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails, as outside Lambda
    monkeypatch.setenv("TABLE_NAME", "articleflow-test-state")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    from articleflow.runtime.stage import Outcome, StageRuntime

    runtime = StageRuntime("publish", lambda ref, ctx: Outcome.IGNORED)
    builds: list[int] = []
    value = runtime.prepared(lambda: builds.append(1) or len(builds))
    assert runtime.snapstart is False and builds == []
    context = type(
        "Context",
        (),
        {
            "function_name": "f",
            "memory_limit_in_mb": 128,
            "aws_request_id": "r",
            "invoked_function_arn": "arn",
            "function_version": "$LATEST",
        },
    )()
    for _ in range(2):
        assert runtime.handler({"Records": []}, context) == {"batchItemFailures": []}
    assert builds == [1] and value.get() == 1
