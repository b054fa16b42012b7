"""Ingest: read → decode → normalize → split → structure → metadata, each a module testable on a string."""
