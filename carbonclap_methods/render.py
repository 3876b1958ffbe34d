"""Plain-text tables and CSV for the command line."""

from __future__ import annotations

import csv
import io
import json
import math

from .files import printable

# First characters that make a spreadsheet read a CSV cell as a formula
# (OWASP, "CSV Injection"): such text cells get a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def edition_line(result: dict) -> str:
    """``Edition: 2025.1 (sha256 0123456789ab...)``, with ``, draft edition`` for a draft."""
    status = f", {result['edition_status']}" if result.get("edition_status") else ""
    return f"Edition: {result['edition']} (sha256 {result['edition_sha256'][:12]}...{status})"


def _cell(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        # one convention in a column: thousands separated, one decimal from 1,000 up;
        # six significant digits below (factor values such as 0.00293)
        return f"{value:,.1f}" if abs(value) >= 1000 else f"{value:.6g}"
    return "" if value is None else printable(value)


def csv_cell(value):
    """A CSV cell safe to open in a spreadsheet: text starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return is prefixed with ``'`` (OWASP); numbers
    are left as they are, and a missing number (NaN) is an empty cell."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def text_table(rows: list[dict], columns: list[str], right: list[str] | None = None) -> str:
    """Rows as an aligned text table (numbers, and the ``right`` columns, right-aligned)."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [c in (right or ()) or all(isinstance(row.get(c), (int, float)) or row.get(c) is None
                                         for row in rows)
               for c in columns]

    def fmt(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    lines = [fmt(columns), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in cells]
    return "\n".join(lines) + "\n"


def csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def json_text(document) -> str:
    """JSON with NaN written as null (strict JSON has no NaN)."""
    return json.dumps(_no_nan(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _no_nan(node):
    if isinstance(node, float) and not math.isfinite(node):
        return None
    if isinstance(node, dict):
        return {k: _no_nan(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_no_nan(v) for v in node]
    return node


def json_records(frame) -> list[dict]:
    """A DataFrame's rows as plain-Python dicts (numpy scalars unwrapped)."""
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")]


def _method_lines(result: dict) -> list[str]:
    """GWP sets, biogenic CO2, the contrails switch and market-based electricity."""
    out = []
    if "gwp" in result:
        sets = ", ".join(f"{k} {v:,.1f}" for k, v in result["gwp"]["by_set"].items())
        flag = " (MIXED: " + result["gwp"]["note"] + ")" if result["gwp"]["mixed"] else ""
        out.append(f"GWP sets (kgCO2e): {sets}{flag}")
    if result.get("biogenic_co2", {}).get("lines"):
        out.append(f"Biogenic CO2, beside the total (not in it): "
                   f"{result['biogenic_co2']['kgco2']:,.1f} kgCO2")
    trails = result.get("contrails")
    if trails and trails["families_in_file"]:
        out.append(f"Contrails: {trails['setting']}; with {trails['total_with_contrails_kgco2e']:,.1f}"
                   f", without {trails['total_without_contrails_kgco2e']:,.1f} kgCO2e"
                   + ("; the file MIXES both families" if trails["mixed"] else "")
                   + (f"; no pair for {len(trails['unpaired_lines'])} line(s)"
                      if trails["unpaired_lines"] else ""))
    elec = result.get("electricity")
    if elec and elec["kwh"]:
        out.append(f"Electricity {elec['kwh']:,.0f} kWh: location-based "
                   f"{elec['location_based_kgco2e']:,.1f}, market-based "
                   f"{elec['market_based_kgco2e']:,.1f} kgCO2e")
    return out + ([""] if out else [])


def result_table(result: dict) -> str:
    """A computed assessment as readable text: totals, categories, phases, lines."""
    out = [printable(result.get('title') or result.get('source')),
           f"Total: {result['total_kgco2e']:,.1f} kgCO2e ({result['total_kgco2e'] / 1000:,.3f} tCO2e)",
           edition_line(result), ""]
    total = result["total_kgco2e"] or 1.0
    for title, key in (("By category", "by_category"), ("By phase", "by_phase"),
                       ("By GHG Protocol scope", "by_scope"),
                       ("By scope 3 category", "by_scope3_category"),
                       ("By BEGES item", "by_beges")):
        if key not in result:
            continue
        rows = [{title.split()[-1]: k, "kgCO2e": v, "%": 100 * v / total}
                for k, v in result[key].items() if v]
        out.append(title)
        out.append(text_table(rows, [title.split()[-1], "kgCO2e", "%"]))
    out += _method_lines(result)
    if result["indicators"]:
        out.append("Indicators (kgCO2e)")
        out.append(text_table([{"indicator": k, "kgCO2e": v}
                               for k, v in result["indicators"].items()], ["indicator", "kgCO2e"]))
    if result["equivalences"]:
        out.append("Equivalences")
        out.append(text_table([{"equivalence": k, "value": v["value"]}
                               for k, v in result["equivalences"].items()], ["equivalence", "value"]))
    if result.get("benchmark"):
        out.append("Against published figures")
        out += [f"  {entry['text_en']} [{entry['benchmark']}, {entry['confidence']}]"
                for entry in result["benchmark"].values()]
        out.append("")
    out.append("Lines")
    out.append(text_table(result["lines"], ["factor", "quantity", "unit", "phase", "category", "kgco2e"]))
    return "\n".join(out)
