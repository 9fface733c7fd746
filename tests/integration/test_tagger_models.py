"""The tag function's model and alias table from S3 (moto): load, cache in /tmp, and a whole run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pycrfsuite")

from moto import mock_aws

from articleflow.adapters import tagger_models
from articleflow.adapters.aws import client, reset_clients
from articleflow.adapters.tagger_models import fetch_model
from articleflow.config import Settings
from articleflow.core.tagging.conll import read_corpora
from articleflow.core.tagging.crf import CrfTagger, train_model
from articleflow.runtime.tagger import load_tagger
from articleflow_dev.local.embedded import EmbeddedPipeline
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration
CORPORA = REPO_ROOT / "tests" / "fixtures" / "conll"
ALIASES = "alias,id,type,canonical\nHelen Marsh,pub:person/marsh,PERSON,Helen Marsh\n"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "all.crfsuite"
    train_model(read_corpora(sorted(CORPORA.glob("*-train.conll"))), path)
    return path


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        reset_clients()
        client("s3").create_bucket(Bucket="articles")
        yield client("s3")
    reset_clients()


def settings(**changes: str | None) -> Settings:
    return Settings(
        table_name="t",
        publish_topic_arn=None,
        max_upload_bytes=1,
        tagger_backend=changes.pop("tagger_backend") or "offline",
        deployment="dev",
        **changes,
    )


def test_crf_model_and_aliases_load_from_s3_once(s3: Any, model: Path, tmp_path: Path) -> None:
    s3.put_object(Bucket="articles", Key="models/crf/all.crfsuite", Body=model.read_bytes())
    s3.put_object(Bucket="articles", Key="models/aliases/pub.csv", Body=ALIASES.encode())
    conf = settings(
        tagger_backend="crf",
        tagger_model_key="models/crf/all.crfsuite",
        alias_table_key="models/aliases/pub.csv",
        article_bucket="articles",
    )
    tagger = load_tagger(conf, cache_dir=tmp_path)
    assert isinstance(tagger, CrfTagger)
    assert tagger.aliases is not None and len(tagger.aliases) == 1
    (cached,) = tmp_path.iterdir()
    assert cached.read_bytes() == model.read_bytes()
    mtime = cached.stat().st_mtime_ns
    assert fetch_model("articles", "models/crf/all.crfsuite", tmp_path) == cached  # same ETag: not downloaded again
    assert cached.stat().st_mtime_ns == mtime
    s3.put_object(Bucket="articles", Key="models/crf/all.crfsuite", Body=model.read_bytes() + b"\n")
    assert fetch_model("articles", "models/crf/all.crfsuite", tmp_path) != cached  # a new upload is fetched


def test_a_download_cut_short_leaves_no_partial_file(s3: Any, tmp_path: Path, monkeypatch: Any) -> None:
    s3.put_object(Bucket="articles", Key="models/crf/all.crfsuite", Body=b"x" * 4096)

    def connection_reset(source: Any, target: Any, length: int = 0) -> None:
        target.write(b"x" * 100)
        raise ConnectionResetError("connection reset by peer")

    monkeypatch.setattr(tagger_models.shutil, "copyfileobj", connection_reset)
    with pytest.raises(ConnectionResetError):
        fetch_model("articles", "models/crf/all.crfsuite", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_keys_outside_models_are_refused(s3: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="models/"):
        fetch_model("articles", "normalized/x.json", tmp_path)


def test_model_keys_need_the_bucket() -> None:
    with pytest.raises(RuntimeError, match="ARTICLE_BUCKET"):
        load_tagger(settings(tagger_backend="crf", tagger_model_key="models/crf/x.crfsuite"))


def test_offline_and_comprehend_take_the_alias_table(s3: Any, tmp_path: Path) -> None:
    s3.put_object(Bucket="articles", Key="models/aliases/pub.csv", Body=ALIASES.encode())
    for backend in ("offline", "comprehend"):
        tagger = load_tagger(
            settings(tagger_backend=backend, alias_table_key="models/aliases/pub.csv", article_bucket="articles")
        )
        assert getattr(tagger, "aliases", None) is not None


def test_run_with_a_model_and_aliases(model: Path, tmp_path: Path) -> None:
    aliases = tmp_path / "pub.csv"
    aliases.write_text(ALIASES, encoding="utf-8")
    sample = (REPO_ROOT / "samples" / "en-library-reopens.txt").read_bytes()
    with EmbeddedPipeline(tagger="crf", model=model, alias_table=aliases) as pipeline:
        assert "models/crf/all.crfsuite" in pipeline.keys("models/")
        pipeline.upload("library.txt", sample)
        pipeline.drain()
        (message,) = [m["body"] for m in pipeline.take_published()]
        assert not pipeline.dead_letters()
    entities = message["entities"]
    assert entities and {e["tagger"] for e in entities} == {"crf"}
    marsh = next(e for e in entities if e["id"] == "pub:person/marsh")
    assert marsh["type"] == "PERSON"
    leeds = next(e for e in entities if e["text"] == "Leeds")
    assert leeds["type"] == "LOCATION" and leeds["id"].startswith("geonames:")
