"""督查清单 and 督学名册 pages of the county's 督导室: a list made on the pages is used for a visit; a
used list's items cannot change a past visit; bad input 400 with nothing saved; out of scope 404;
an inspector registered on the roster counts on the compliance page."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.models import Checklist, ChecklistItem, Inspector, InspectorAssignment, Visit
from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_user


def login(client, user):
    client.force_login(user)
    return client


def _make_list(client, items=("校门安保值守", "晨检记录", "课后服务签到")) -> Checklist:
    resp = client.post("/supervision/checklists/new/", {"name": "本县春季开学检查", "source": "县督导室2026年"})
    cl = Checklist.objects.get(name="本县春季开学检查")
    assert resp.status_code == 302 and resp["Location"] == f"/supervision/checklists/{cl.pk}/"
    for text in items:
        assert client.post(f"/supervision/checklists/{cl.pk}/", {"action": "add", "text": text}).status_code == 302
    return cl


@pytest.mark.django_db
def test_a_list_made_on_the_pages_is_used_for_a_visit(client, sup):
    login(client, sup.admin)
    cl = _make_list(client)
    items = services.checklist_items(cl)
    assert [i.text for i in items] == ["校门安保值守", "晨检记录", "课后服务签到"]
    page = client.get(f"/supervision/checklists/{cl.pk}/").content.decode()
    assert "晨检记录" in page and "上移" in page and "新增条目" in page and "县督导室2026年" in page
    # edit, move up, remove
    client.post(f"/supervision/checklists/{cl.pk}/", {"action": "edit", "item": items[1].pk, "text": "学生晨午检记录"})
    client.post(f"/supervision/checklists/{cl.pk}/", {"action": "up", "item": items[2].pk})
    client.post(f"/supervision/checklists/{cl.pk}/", {"action": "remove", "item": items[0].pk})
    assert [(i.order, i.text) for i in services.checklist_items(cl)] == [(1, "课后服务签到"), (2, "学生晨午检记录")]
    assert AuditEntry.objects.filter(summary__contains="本县春季开学检查").count() >= 6
    page = client.get("/supervision/checklists/").content.decode()
    assert "本县春季开学检查" in page and "责任督学进校督查20看" in page

    # the inspector of the county is offered the list and records a visit with it
    login(client, sup.inspector_user)
    page = client.get(f"/supervision/visits/new/?checklist={cl.pk}").content.decode()
    assert "课后服务签到" in page
    data = {"school": str(sup.tree.school.pk), "visited_on": timezone.localdate().isoformat(), "checklist": str(cl.pk)}
    data.update({f"item_{i.pk}": "ok" for i in services.checklist_items(cl)})
    resp = client.post("/supervision/visits/new/", data)
    visit = Visit.objects.get()
    assert resp.status_code == 302 and visit.checklist == cl and visit.results.count() == 2

    # another county's inspector is not offered it
    login(client, sup.other_inspector_user)
    services.add_inspector(
        sup.tree.other_county, "江山督学", full_time=True, user=sup.other_inspector_user, acting_user=None
    )
    assert "本县春季开学检查" not in client.get("/supervision/visits/new/").content.decode()


@pytest.mark.django_db
def test_a_used_list_keeps_its_items_and_is_copied_and_retired(client, sup):
    login(client, sup.admin)
    cl = _make_list(client, items=("校门安保值守",))
    item = services.checklist_items(cl)[0]
    results = {item.pk: {"result": "problem", "note": "无人值守"}}
    visit = services.record_visit(
        inspector=sup.inspector,
        school=sup.tree.school,
        visited_on=timezone.localdate(),
        checklist=cl,
        results=results,
        acting_user=sup.inspector_user,
    )
    for data in (
        {"action": "edit", "item": item.pk, "text": "改掉"},
        {"action": "remove", "item": item.pk},
        {"action": "add", "text": "新增项"},
    ):
        resp = client.post(f"/supervision/checklists/{cl.pk}/", data)
        assert resp.status_code == 400 and "已用于进校督查" in resp.content.decode()
    assert [i.text for i in services.checklist_items(cl)] == ["校门安保值守"]
    login(client, sup.inspector_user)
    assert "校门安保值守" in client.get(f"/supervision/visits/{visit.pk}/").content.decode()

    login(client, sup.admin)
    resp = client.post(f"/supervision/checklists/{cl.pk}/copy/")
    copy = Checklist.objects.get(name="本县春季开学检查（副本）")
    assert resp["Location"] == f"/supervision/checklists/{copy.pk}/"
    assert (
        client.post(
            f"/supervision/checklists/{copy.pk}/",
            {"action": "edit", "item": copy.items.get().pk, "text": "校门安保与护校队值守"},
        ).status_code
        == 302
    )
    assert ChecklistItem.objects.get(pk=item.pk).text == "校门安保值守"  # the past visit's item is unchanged
    # retire: no longer offered, refused for a new visit
    client.post(f"/supervision/checklists/{cl.pk}/", {"action": "retire"})
    login(client, sup.inspector_user)
    assert f'value="{cl.pk}"' not in client.get("/supervision/visits/new/").content.decode()
    cl.refresh_from_db()
    with pytest.raises(ValidationError, match="已停用"):
        services.record_visit(
            inspector=sup.inspector,
            school=sup.tree.school,
            visited_on=timezone.localdate(),
            checklist=cl,
            results=results,
            acting_user=sup.inspector_user,
        )
    # the shipped shared list is copied, never edited in place
    login(client, sup.admin)
    shared = sup.checklist
    assert client.get(f"/supervision/checklists/{shared.pk}/").status_code == 404
    client.post(f"/supervision/checklists/{shared.pk}/copy/")
    assert Checklist.objects.get(name="责任督学进校督查20看（副本）").items.count() == 20


@pytest.mark.django_db
def test_bad_input_is_400_and_nothing_is_saved(client, sup):
    login(client, sup.admin)
    resp = client.post("/supervision/checklists/new/", {"name": "  ", "source": "x"})
    assert resp.status_code == 400 and "清单名称：请填写" in resp.content.decode()
    resp = client.post("/supervision/checklists/new/", {"name": "名" * 101})
    assert resp.status_code == 400 and "清单名称：不能超过100字" in resp.content.decode()
    assert not Checklist.objects.filter(county=sup.tree.county).exists()
    cl = _make_list(client, items=("甲", "乙"))
    before = AuditEntry.objects.count()
    for data in (
        {"action": "add", "text": ""},
        {"action": "add", "text": "长" * 201},
        {"action": "edit", "item": "abc", "text": "x"},
        {"action": "up", "item": services.checklist_items(cl)[0].pk},
        {"action": "remove", "item": "999999"},
        {"action": "nonsense"},
    ):
        assert client.post(f"/supervision/checklists/{cl.pk}/", data).status_code == 400, data
    assert [i.text for i in services.checklist_items(cl)] == ["甲", "乙"]
    assert AuditEntry.objects.count() == before

    n = Inspector.objects.count()
    for data in (
        {"username": ""},
        {"username": "nobody"},
        {"username": sup.principal.username},
        {"username": sup.inspector_user.username},
        {"username": sup.other_inspector_user.username},
    ):
        resp = client.post("/supervision/inspectors/", data)
        assert resp.status_code == 400 and "账号：" in resp.content.decode(), data
    assert Inspector.objects.count() == n
    assert client.post(f"/supervision/inspectors/{sup.inspector.pk}/", {"action": "x"}).status_code == 400


@pytest.mark.django_db
def test_another_countys_admin_and_a_principal_get_404(client, sup):
    login(client, sup.admin)
    cl = _make_list(client, items=("甲",))
    other_admin = make_user("admin_js", "county_admin", sup.tree.other_county)
    for user in (other_admin, sup.principal, sup.inspector_user):
        login(client, user)
        assert client.get(f"/supervision/checklists/{cl.pk}/").status_code == 404
        assert client.post(f"/supervision/checklists/{cl.pk}/", {"action": "add", "text": "乙"}).status_code == 404
        assert client.post(f"/supervision/checklists/{cl.pk}/copy/").status_code == 404
        assert client.post(f"/supervision/inspectors/{sup.inspector.pk}/", {"action": "deactivate"}).status_code == 404
    assert cl.items.count() == 1 and Inspector.objects.get(pk=sup.inspector.pk).active
    login(client, other_admin)
    assert "本县春季开学检查" not in client.get("/supervision/checklists/").content.decode()
    assert "王督学" not in client.get("/supervision/inspectors/").content.decode()
    for user in (sup.principal, sup.inspector_user):
        login(client, user)
        assert client.get("/supervision/checklists/").status_code == 404
        assert client.get("/supervision/inspectors/").status_code == 404


@pytest.mark.django_db
def test_the_roster_changes_show_on_the_compliance_page(client, sup):
    login(client, sup.admin)

    def figures():
        page = client.get(f"/supervision/compliance/?county={sup.tree.county.pk}").content.decode()
        import re

        row = re.search(r"专职督学不少于 30%</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", page)
        total = re.search(r"按 1∶5 配备督学</td><td class=\"num\">\d+</td><td class=\"num\">(\d+)</td>", page)
        return int(total.group(1)), int(row.group(2))

    assert figures() == (1, 1)  # 王督学, full-time
    new_user = make_user("dx_cs2", "inspector", sup.tree.county, full_name="李督学")
    page = client.get("/supervision/inspectors/").content.decode()
    assert "王督学" in page and "dx_cs2" in page  # offered as a candidate
    resp = client.post("/supervision/inspectors/", {"username": "dx_cs2"})
    assert resp.status_code == 302
    li = Inspector.objects.get(user=new_user)
    assert li.name == "李督学" and not li.full_time
    assert figures() == (2, 1)
    client.post(f"/supervision/inspectors/{li.pk}/", {"action": "full_time"})
    assert figures() == (2, 2)
    services.assign_school(sup.inspector, sup.tree.school, acting_user=sup.admin)
    assert '<td class="num">1</td>' in client.get("/supervision/inspectors/").content.decode()
    client.post(f"/supervision/inspectors/{sup.inspector.pk}/", {"action": "deactivate"})
    assert figures() == (1, 1)
    assert not InspectorAssignment.objects.exists()
    assert AuditEntry.objects.filter(summary__contains="督学").count() >= 3
    # a deactivated inspector can no longer record visits
    login(client, sup.inspector_user)
    assert client.get("/supervision/visits/new/").status_code == 403
