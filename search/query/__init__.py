"""The query engine: snapshot of an index generation, execution, ranking, results."""
