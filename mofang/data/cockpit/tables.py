"""The league table's rows as HTML, built in one pass: a county has hundreds of schools and the
template engine's per-cell lookups were most of the page's time."""

from urllib.parse import urlencode

from django.utils.html import format_html_join


def _met(met) -> str:
    return "已达标" if met is True else "未达标" if met is False else "—"


def _fmt(v) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if isinstance(v, float) and round(v, 2) != round(v, 1) else (
        f"{v:.1f}" if isinstance(v, float) else str(v))


def league_rows(d: dict, *, refresh: int | None = None):
    unit = d["indicator"]["unit"] if d["indicator"] else ""
    base = {}
    if d["indicator"]:
        base = {"indicator": d["indicator"]["code"], "period": d["period"]}
    if refresh:
        base["refresh"] = refresh
    return format_html_join(
        "\n", '<tr data-org="{}"><td class="num">{}</td><td><a href="?{}">{}</a></td>'
              '<td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>',
        ((r["id"], "—" if r["rank"] is None else r["rank"], urlencode({"region": r["id"], **base}), r["name"],
          "—" if r["value"] is None else f"{_fmt(r['value'])}{unit}", "—" if r["target"] is None else _fmt(r["target"]),
          _met(r["met"])) for r in d["league"]))
