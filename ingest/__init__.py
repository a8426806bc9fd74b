"""Ingest a folder of Norwegian documents into the search index and keep it in step.

    from ingest import ingest_folder
    report = ingest_folder("seeds", "var/index")
    print(report.added, report.updated, report.deleted, report.unchanged, report.failed)
"""

from .pipeline import Failure, IngestReport, SourceNotFoundError, ingest_folder

__all__ = ["Failure", "IngestReport", "SourceNotFoundError", "ingest_folder"]
