"""The seed ceremony: the page declares the seed's format (8 digits drawn in public), the notary
types it twice, a bad format or two different entries are a 400 naming the field with nothing
written, and the button asks for confirmation saying 公示后不可修改. The notary's home shows a
to-do for every draw waiting for its seed, linking to it."""

import pytest
from django.test import RequestFactory

from mofang.governance.enrollment import draws, menu
from mofang.governance.enrollment.models import DrawStatus
from mofang.platform.audit.models import AuditEntry

from .test_draw import setup  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_the_page_declares_the_format_and_asks_before_publishing(client, setup):  # noqa: F811
    client.force_login(setup.notary)
    page = client.get(f"/enrollment/manage/draws/{setup.draw.pk}/").content.decode()
    assert "8位数字（0–9），由公证员在派位现场公开摇出" in page
    assert 'name="seed_again"' in page and "公示后不可修改" in page
    assert 'data-confirm="确认录入并公布随机种子？种子公示后不可修改' in page


@pytest.mark.parametrize(
    "seed, again, message",
    [
        ("12ab", "12ab", "随机种子须为8位数字（0–9），您输入了“12ab”"),
        ("1234567", "1234567", "随机种子须为8位数字"),
        ("123456789", "123456789", "随机种子须为8位数字"),
        ("１２３４５６７８", "１２３４５６７８", "随机种子须为8位数字"),  # full-width digits are not the drawn balls
        ("20260615", "20260651", "再次输入随机种子：两次输入的随机种子不一致"),
        ("20260615", "", "再次输入随机种子：两次输入的随机种子不一致"),
    ],
)
def test_a_bad_or_mismatched_seed_is_refused_and_nothing_is_written(client, setup, seed, again, message):  # noqa: F811
    client.force_login(setup.notary)
    before = AuditEntry.objects.count()
    r = client.post(f"/enrollment/manage/draws/{setup.draw.pk}/", {"action": "seed", "seed": seed, "seed_again": again})
    assert r.status_code == 400 and message in r.content.decode()
    setup.draw.refresh_from_db()
    assert setup.draw.seed == "" and setup.draw.status == DrawStatus.DRAFT and AuditEntry.objects.count() == before


def test_the_service_refuses_a_bad_format_from_any_caller(setup):  # noqa: F811
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        draws.enter_seed(setup.draw, "公证种子", acting_user=None)
    assert "随机种子须为8位数字" in exc.value.messages[0]


def test_two_matching_entries_publish_the_seed(client, setup):  # noqa: F811
    client.force_login(setup.notary)
    url = f"/enrollment/manage/draws/{setup.draw.pk}/"
    assert client.post(url, {"action": "seed", "seed": " 04718263", "seed_again": "04718263 "}).status_code == 302
    setup.draw.refresh_from_db()
    assert setup.draw.seed == "04718263" and setup.draw.status == DrawStatus.SEEDED


def test_the_notary_has_a_todo_per_waiting_draw_linking_to_it(setup):  # noqa: F811
    request = RequestFactory().get("/")
    request.user = setup.notary
    [todo] = menu.todos(request)
    assert todo.url == f"/enrollment/manage/draws/{setup.draw.pk}/" and str(setup.draw) in todo.title
    request.user = setup.other_notary  # another county's notary: nothing
    assert menu.todos(request) == []
    request.user = setup.admin  # the administrator does not enter seeds
    assert not [t for t in menu.todos(request) if "随机种子" in t.title]
    draws.enter_seed(setup.draw, "04718263", acting_user=setup.notary)
    request.user = setup.notary
    assert menu.todos(request) == []
