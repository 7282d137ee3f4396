"""Render a list of flat records (dicts of str / float / None) as text, CSV, JSON, Markdown or LaTeX."""
from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence

FORMATS = ("text", "csv", "json", "markdown", "latex")


def json_safe(value):
    """Recursively turn numpy scalars and arrays into JSON values; non-finite floats become None."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "tolist"):
        return json_safe(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(value) -> str:
    return json.dumps(json_safe(value), indent=2, ensure_ascii=False, allow_nan=False)


def render(records: Sequence[dict], fmt: str, columns: Sequence[str] | None = None,
           headers: Sequence[str] | None = None, caption: str = "") -> str:
    """``records`` rendered as ``fmt``; ``columns`` picks and orders the keys shown by the
    tabular formats, ``headers`` names them for people (text, Markdown, LaTeX)."""
    if fmt == "json":
        return to_json(list(records))
    columns = list(columns or (records[0].keys() if records else []))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _csv_cell(record.get(k)) for k in columns})
        return buffer.getvalue()
    headers = list(headers or columns)
    rows = [[_cell(record.get(k)) for k in columns] for record in records]
    if fmt == "text":
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
                  for i, h in enumerate(headers)]
        line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
        out = ([caption] if caption else []) + [line(headers), line(["-" * w for w in widths])]
        return "\n".join(out + [line(r) for r in rows]) + "\n"
    if fmt == "markdown":
        out = ([f"**{caption}**", ""] if caption else [])
        out += ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(out) + "\n"
    if fmt == "latex":
        out = ["\\begin{table}", "\\centering"]
        if caption:
            out.append(f"\\caption{{{latex_escape(caption)}}}")
        out += [f"\\begin{{tabular}}{{{'l' * len(headers)}}}", "\\toprule",
                " & ".join(latex_escape(h) for h in headers) + " \\\\", "\\midrule"]
        out += [" & ".join(latex_escape(c) for c in r) + " \\\\" for r in rows]
        out += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
        return "\n".join(out) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _csv_cell(value):
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return "" if value is None else value


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
          "µ": r"\textmu{}", "×": r"$\times$", "→": r"$\rightarrow$", "✓": "yes", "✗": "no",
          "≈": r"$\approx$", "…": r"\ldots{}", "≤": r"$\leq$", "≥": r"$\geq$", "−": "-",
          "–": "--", "—": "---", "·": r"$\cdot$", "°": r"\textdegree{}", "Ω": r"$\Omega$",
          "\u00a0": "~"}
_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
_SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))


def latex_escape(text: str) -> str:
    """``text`` as LaTeX that compiles with pdflatex: special characters escaped, super- and
    subscripts, Greek letters and symbols converted; the result is pure ASCII."""
    out = []
    for ch in str(text):
        if ch in _LATEX:
            out.append(_LATEX[ch])
        elif ch in _SUPERSCRIPT:
            out.append(rf"\textsuperscript{{{_SUPERSCRIPT[ch]}}}")
        elif ch in _SUBSCRIPT:
            out.append(rf"$_{{{_SUBSCRIPT[ch]}}}$")
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(_non_ascii(ch))
    return "".join(out)


def _non_ascii(ch: str) -> str:
    """A Greek letter as math (``τ`` → ``$\tau$``), an accented letter as its base letter."""
    import unicodedata

    name = unicodedata.name(ch, "")
    if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")):
        letter = name.rsplit(" ", 1)[1].lower()
        letter = {"lamda": "lambda"}.get(letter, letter)
        if name.startswith("GREEK CAPITAL"):
            letter = letter.capitalize()
        return f"${chr(92)}{letter}$"
    plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    return plain or "?"
