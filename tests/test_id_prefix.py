"""``ingest.id_prefix`` on the Whoosh backend: two folders feed one index, each under its own
prefix, sharing its state file; each pass adds, changes and deletes its own ids only.
(Machines with their own state folders feeding one cluster: tests/test_opensearch.py.)"""

from __future__ import annotations

from pathlib import Path

from index import open_index
from index.config import load_config
from ingest import ingest_folder
from ingest.verify import verify_folder

from .test_pipeline import write


def _pass(source: Path, index: Path, prefix: str):
    return ingest_folder(source, index, settings=load_config(environ={"NORSEARCH__INGEST__ID_PREFIX": prefix}))


def test_two_prefixes_in_one_index_never_touch_each_other(tmp_path):
    oslo, bergen, index = tmp_path / "oslo", tmp_path / "bergen", tmp_path / "index"
    for folder, place in ((oslo, "Oslo"), (bergen, "Bergen")):
        write(folder, "budsjett.txt", f"Bystyret i {place} vedtok budsjettet for skolene.")
        write(folder, "sak/vei.txt", f"Veien til {place} stenges for vedlikehold i sommer.")
    assert _pass(oslo, index, "oslo/").added == 2
    assert _pass(bergen, index, "bergen/").added == 2  # the same names: other ids
    (oslo / "sak" / "vei.txt").unlink()
    write(bergen, "budsjett.txt", "Bystyret i Bergen utsatte budsjettet.")

    report = _pass(oslo, index, "oslo/")
    assert (report.deleted, report.unchanged, report.documents) == (1, 1, 3)
    report = _pass(bergen, index, "bergen/")
    assert (report.updated, report.deleted, report.unchanged, report.documents) == (1, 0, 1, 3)
    with open_index(index) as ix:
        assert sorted(ix.ids()) == ["bergen/budsjett.txt", "bergen/sak/vei.txt", "oslo/budsjett.txt"]
        assert [hit.id for hit in ix.search("utsatte")] == ["bergen/budsjett.txt"]
        assert [hit.id for hit in ix.search("vedlikehold")] == ["bergen/sak/vei.txt"]
    config = load_config(environ={"NORSEARCH__INGEST__ID_PREFIX": "bergen/"}).ingest
    verified = verify_folder(bergen, index, config)
    assert verified.accounted_for and sorted(verified.current) == ["bergen/budsjett.txt", "bergen/sak/vei.txt"]
