"""Adding a document to a Whoosh segment writer, a field at a time.

Whoosh's ``SegmentWriter.add_document`` hands each posting of each field to the pool in a
call of its own: for the ~130 postings of a typical document, that loop cost a sub-writer
about a tenth of its time. :func:`add_document` does what it does (same postings, stored
values, field lengths and columns, so the same segment, byte for byte:
``tests/test_postings.py``), handing the pool a field at a time
(:meth:`~index.whoosh.postings.TermGroupedPool.add_field`). Documents with boosts, and schemas with
spelling or vector fields, go to Whoosh's own method.
"""

from __future__ import annotations

from whoosh.multiproc import MpWriter
from whoosh.writing import SegmentWriter

from .postings import TermGroupedPool


def add_document(writer: SegmentWriter, fields: dict[str, object]) -> None:
    """``writer.add_document(**fields)``."""
    pool = writer.pool
    schema = writer.schema
    if (
        isinstance(writer, MpWriter)  # it hands documents on to its sub-writers
        or not (isinstance(pool, TermGroupedPool) and pool.whole_fields)  # decided once per writer
        or any(name.startswith("_") for name in fields)  # boosts, stored values of their own
    ):
        writer.add_document(**fields)
        return
    writer._check_state()
    fieldnames = sorted(fields)
    writer._check_fields(schema, fieldnames)
    perdocwriter = writer.perdocwriter
    docnum = writer.docnum
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                frequencies = pool.add_field(fieldname, docnum, field.index(value))
                if field.scorable:
                    length = frequencies
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1

