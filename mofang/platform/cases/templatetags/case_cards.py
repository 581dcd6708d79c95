"""`rows|row_cards:headers` — a list page's rows as result-first cards for phones: the status first,
then the title (linked to the item), then the other non-empty columns."""

from django import template

register = template.Library()

TITLE_HEADERS = ("标题", "机构", "机构名称", "被举报对象")
STATUS_HEADERS = ("状态",)
ALERT_HEADERS = ("逾期",)
MAX_FIELDS = 6


@register.filter
def row_cards(rows, headers) -> list[dict]:
    names = [h for h, _num in headers]
    title_at = next((i for i, h in enumerate(names) if h in TITLE_HEADERS), 0)
    cards = []
    for row in rows:
        link = next((lk for _v, lk, _n in row if lk), None)
        card = {"title": row[title_at][0], "link": link, "status": "", "alert": False, "fields": []}
        for i, (value, _lk, _num) in enumerate(row):
            if i == title_at or value in (None, ""):
                continue
            if names[i] in STATUS_HEADERS:
                card["status"] = value
            elif names[i] in ALERT_HEADERS:
                card["alert"] = True
            elif len(card["fields"]) < MAX_FIELDS:
                card["fields"].append((names[i], value))
        cards.append(card)
    return cards
