"""The Whoosh engine: its storage, schema, writer, postings and the searching Index."""
