"""Benchmarks of govsearch on the bench corpus (``make bench``) and the scale corpora
(``make bench-scale``).

Modules, in the order a run uses them: ``common`` (paths, statistics, formatting),
``procs`` (child processes, process-tree sampling, machine description), ``data`` (the
corpus, manifest and query set), ``oracle`` (brute force: the definition of right, written
without the engine's rules), ``measure`` (builds, query latency and exactness, baselines),
``children`` (the builds that run in their own process), ``web`` (load generators and the
served memory), ``quality`` (metadata and noise audit), ``profile`` (py-spy / cProfile),
``report`` (targets and the Markdown rendered from ``templates/benchmarks.md.j2``),
``scale`` (the 1× / 10× harness) and ``__main__`` (the command line).
"""
