"""Insight: what the exact counts of the query layer add up to — grids, maps, panels.

Everything here reads the index through :class:`search.engine.Engine`'s public methods and
returns plain data; the CLI and the web render it.
"""
