"""The league table's rows as HTML, built in one pass: a county has hundreds of schools and the
template engine's per-cell lookups were most of the page's time."""

from urllib.parse import urlencode

from django.utils.html import format_html_join


def _met(met) -> str:
    return "已达标" if met is True else "未达标" if met is False else "—"


def league_rows(d: dict, *, refresh: int | None = None):
    base = {}
    if d["indicator"]:
        base = {"indicator": d["indicator"]["code"], "period": d["period"]}
    if refresh:
        base["refresh"] = refresh
    return format_html_join(
        "\n",
        '<tr data-org="{}"><td class="num">{}</td><td><a href="?{}">{}</a></td>'
        '<td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>',
        (
            (
                r["id"],
                "—" if r["rank"] is None else r["rank"],
                urlencode({"region": r["id"], **base}),
                r["name"],
                r["value_text"],
                r["target_text"],
                _met(r["met"]),
            )
            for r in d["league"]
        ),
    )
