"""govsearch core: ingest → analysis → index → query. Importable without Flask."""
