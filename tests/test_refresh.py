"""A long-lived Index (the web server's) follows every commit: additions, deletions, merges."""

from __future__ import annotations

from index import Document, IndexWriter, open_index

from .conftest import write_index


def _doc(doc_id: str, text: str = "Kommunen øker eiendomsskatten.") -> Document:
    return Document(id=doc_id, path=f"/data/{doc_id}", title="Skatt", text=text)


def test_an_open_index_sees_later_additions_deletions_and_merges(tmp_path):
    path = write_index(tmp_path / "index", [_doc("første.txt")])
    with open_index(path) as ix:
        assert ix.count() == 1
        for n in range(12):  # enough commits for the writer to merge segments
            with IndexWriter(path) as writer:
                writer.upsert(_doc(f"ny-{n}.txt"))
            assert ix.count() == n + 2
            assert ix.search("eiendomsskatten").total == n + 2
        with IndexWriter(path) as writer:
            writer.delete("ny-3.txt")
            writer.upsert(_doc("første.txt", "Ferja til Vardø går igjen."))
        assert ix.count() == 12
        assert ix.search("eiendomsskatten").total == 11
        assert ix.search("Vardø").total == 1 and ix.get("ny-3.txt") is None
        assert sorted(ix.ids()) == sorted(["første.txt", *(f"ny-{n}.txt" for n in range(12) if n != 3)])
