"""Readable text output of the ``reuse`` command (``--json`` prints the dicts as they are)."""

from __future__ import annotations


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def print_text(data: dict) -> None:
    if "report_id" in data:
        levels = ", ".join(f"{k} {_pct(v)}" for k, v in data["by_level"].items() if v)
        print(
            f"{data['report_id']}: {_pct(data['share'])} appeared earlier"
            + (f" ({levels})" if levels else "")
        )
        for p in data["passages"]:
            mark = " formula" if p["formula"] else ""
            print(
                f"  {p['start']}-{p['end']}\t{p['chars']} chars\t{p['similarity']:.3f}\t"
                f"{p['source_id']} {p['source_start']}-{p['source_end']}{mark}"
            )
    elif "passages" in data:
        a, b = data["a"], data["b"]
        print(f"A {a['id']} {a['title']}: {data['chars_a']} chars shared ({_pct(data['share_a'])})")
        print(
            f"B {b['id']} {b['title']}: {data['chars_b']} chars shared "
            f"({_pct(data['share_b'])}); earlier: {data['earlier'] or 'unknown'}"
        )
        for p in data["passages"]:
            mark = " [formula]" if p["formula"] else ""
            print(
                f"\nA {p['a_start']}-{p['a_end']} ~ B {p['b_start']}-{p['b_end']} "
                f"({p['similarity']:.3f}){mark}\n  A: {p['a_text']}\n  B: {p['b_text']}"
            )
    else:
        print(f"{data['total']} pairs share text (filters: {data['filters']})")
        for r in data["pairs"]:
            arrow = "->" if r["earlier"] else "~"  # unknown order: no arrow
            print(
                f"{r['chars_b']:>6} {r['a']['id']} ({r['a']['city']} {r['a']['year']}) {arrow} "
                f"{r['b']['id']} ({r['b']['city']} {r['b']['year']}) "
                f"{_pct(r['share_b'])}"
            )
        py = data["province_year"]
        if py:
            print(
                f"\n{py['province']} {py['year']}: what cities share with "
                + (", ".join(r["id"] for r in py["reports"]) or "no provincial report")
            )
            for c in py["cities"]:
                print(f"  {c['city']}\t{c['taken_chars']}\t{_pct(c['share'])}\t{c['id']}")
