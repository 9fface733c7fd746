"""The committed gazetteer files are exactly what `make gazetteer` builds from the pinned packages."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT

FILES = ("gazetteer.json", "gazetteer-names.txt", "gazetteer-names.i64", "gazetteer-prefixes.txt")


def test_committed_gazetteer_matches_a_fresh_build(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "build_gazetteer.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = REPO_ROOT / "shared" / "articleflow" / "data"
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), f"{name} is stale: make gazetteer"


def test_loaded_gazetteer_links_known_places():
    from articleflow.core.tagging.arabic import name_key
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    mask = gazetteer.all_languages_mask()
    tokyo = gazetteer.lookup(name_key("طوكيو"), mask)
    assert tokyo is not None
    assert (tokyo.id, tokyo.canonical) == ("geonames:1850147", "Tokyo")
