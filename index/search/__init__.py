"""The query parsed once into a plan, then ranking, re-ranking, snippets and explain: the
parts of a search that do not depend on how the engine stores its postings."""
