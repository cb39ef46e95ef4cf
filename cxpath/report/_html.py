"""One self-contained HTML page: inline CSS, figures embedded as PNG data, no network."""

from __future__ import annotations

import html

from ._blocks import Figure, Table, Text, cell_text, shown

__all__ = ["render_html"]

CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #2f6f9f; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02rem; margin: 1.2rem 0 .2rem; }
.meta, .how, figcaption, .skipped, .took { color: var(--muted); }
.how { margin: 0 0 .4rem; font-size: .92rem; }
.summary { background: #f0f6fb; border-left: 4px solid var(--accent); padding: .6rem 1.2rem; }
.summary li { margin: .3rem 0; }
p.text { margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; font-size: .9rem;
        table-layout: auto; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid var(--line); text-align: right;
         overflow-wrap: anywhere; vertical-align: top; }
th { background: #f5f7fa; font-weight: 600; }
td.label, th.label { text-align: left; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figure .scroll { overflow-x: auto; border: 1px solid var(--line); }
nav ol { columns: 2; }
.sources td, .sources th { text-align: left; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _is_label(values) -> bool:
    kind = getattr(getattr(values, "dtype", None), "kind", "O")
    return kind in "OUSM"


def _table(table: Table) -> str:
    names = list(table.columns)
    label = {n: _is_label(table.columns[n]) for n in names}
    head = "".join(f'<th class="{"label" if label[n] else "num"}" scope="col">'
                   f"{_e(table.headers.get(n, n).replace('_', ' '))}</th>" for n in names)
    rows = []
    for i in range(min(table.n_rows, table.max_rows)):
        cells = "".join(f'<td class="{"label" if label[n] else "num"}">'
                        f"{_e(cell_text(table, n, table.columns[n][i]))}</td>" for n in names)
        rows.append(f"<tr>{cells}</tr>")
    more = table.n_rows - min(table.n_rows, table.max_rows)
    title = f"<h3>{_e(table.title)}</h3>" if table.title else ""
    how = f'<p class="how">{_e(table.how_to_read)}</p>' if table.how_to_read else ""
    tail = f'<p class="how">… and {more:,} more rows</p>' if more > 0 else ""
    return (f"{title}{how}<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table>{tail}")


def _figure(figure: Figure, draw: bool) -> str:
    if figure.svg is not None:  # no matplotlib needed; scales to the page
        return (f'<figure class="svg"><div class="scroll">{figure.svg()}</div>'
                f"<figcaption>{_e(figure.caption)} (scroll sideways for the whole "
                "map)</figcaption></figure>")
    if not draw:
        return ""
    from ._figures import figure_png, png_data_uri

    uri = png_data_uri(figure_png(figure))
    return (f'<figure><img src="{uri}" alt="{_e(figure.caption)}">'
            f"<figcaption>{_e(figure.caption)}</figcaption></figure>")


def _section(section, draw: bool, anchor: str, show_ids: bool) -> str:
    parts = [f'<section id="{anchor}"><h2>{_e(section.title)}</h2>']
    if section.skipped is not None:
        parts.append(f'<p class="skipped">Skipped: {_e(section.skipped)}.</p></section>')
        return "".join(parts)
    for block in (shown(b, show_ids) for b in section.blocks):
        if isinstance(block, Text):
            if block.text.strip():
                parts.append(f'<p class="text">{_e(block.text)}</p>')
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Figure):
            parts.append(_figure(block, draw))
    parts.append(f'<p class="took">Computed in {section.seconds:.2f} s.</p></section>')
    return "".join(parts)


def render_html(report, *, figures: bool = True, show_ids: bool = False) -> str:
    """The report page; figures need matplotlib (else a note says they were left out); ids
    as ``#1`` … unless ``show_ids``."""
    from .. import _validate as v
    from ._figures import have_matplotlib

    figures = v.check_bool(figures, "figures", "Report.to_html")
    draw = figures and have_matplotlib()
    sources = "".join(f"<tr><td>{_e(s.role)}</td><td>{_e(s.path)}</td>"
                      f"<td>{s.rows:,} {_e(s.note)}</td></tr>" for s in report.inputs.sources)
    summary = "".join(f"<li>{_e(f)}</li>" for f in report.findings)
    anchors = [f"s-{s.key}" for s in report.sections]
    nav = "".join(f'<li><a href="#{a}">{_e(s.title)}</a></li>'
                  for a, s in zip(anchors, report.sections))
    note = "" if draw or not figures else \
        '<p class="meta">Figures left out: install the plot extra (matplotlib).</p>'
    body = [f"<h1>cxpath report</h1><p class=\"meta\">Generated {_e(report.generated)} by "
            f"cxpath {_e(report.version)}.</p>{note}",
            f'<table class="sources"><thead><tr><th>input</th><th>file</th><th>read</th>'
            f"</tr></thead><tbody>{sources}</tbody></table>",
            f'<h2>Summary</h2><ul class="summary">{summary}</ul>' if summary else "",
            f"<nav><ol>{nav}</ol></nav>"]
    body += [_section(s, draw, a, show_ids) for s, a in zip(report.sections, anchors)]
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>cxpath report</title><style>{CSS}</style></head><body>"
            + "".join(body) + "</body></html>\n")
