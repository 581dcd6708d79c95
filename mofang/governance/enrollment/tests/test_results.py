"""录取结果: a parent downloads their own child's 录取通知书 (PDF, one page, name and school in it)
and nobody else's; a school lists, exports and downloads the notices of the children admitted
to it by a PUBLISHED draw, never another school's; before publication there is nothing."""

import io
import re

import openpyxl
import pytest

from mofang.governance.enrollment import draws, notices, services
from mofang.governance.enrollment.models import Admission
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_user

from .conftest import born
from .test_registration import _submit, child_id


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


_FONT = re.compile(rb"\d+ 0 obj\s*<<(?:(?!endobj).)*?/Name /(F\d+\+\d+)(?:(?!endobj).)*?/ToUnicode (\d+) 0 R", re.S)
_SHOW = re.compile(rb"/(F\d+(?:\+\d+)?) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def _unescape(raw: bytes) -> bytes:
    def one(m):
        c = m.group(1)
        return bytes([int(c, 8)]) if c[:1].isdigit() else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(c, c)

    return _ESCAPE.sub(one, raw)


def pdf_text(data: bytes) -> str:
    """The text drawn in an uncompressed PDF, one line per text-showing operation: the embedded
    TrueType subsets' codes read back through their ToUnicode maps (other fonts' bytes as they are)."""
    maps = {}
    for name, ref in _FONT.findall(data):
        found = re.search(rb"\n" + ref + rb" 0 obj.*?stream(.*?)endstream", data, re.S)
        assert found is not None, ref
        stream = found.group(1)
        maps[name] = {
            int(a, 16): chr(int(b, 16)) for a, b in re.findall(rb"<([0-9A-Fa-f]{2})> <([0-9A-Fa-f]{4})>", stream)
        }
    lines, current = [], {}
    for font, shown in _SHOW.findall(data):
        if font:
            current = maps.get(font, {})
        else:  # a code the subset maps to nothing is plain ASCII
            lines.append("".join(current.get(b, "\0").strip("\0") or chr(b) for b in _unescape(shown)))
    return "\n".join(lines)


def pdf_has(data: bytes, text: str) -> bool:
    """Whether `text` is drawn in the notice (within one line of it)."""
    return any(text in line for line in pdf_text(data).split("\n"))


@pytest.fixture
def results(district):
    """常山县: 常山县第一小学 (2 seats, 儿童101 and 儿童103) and 杭州小学 (1 seat, two applicants from
    its own 学区, so one is not admitted); a draw run but not yet published."""
    d, year = district, district.years[0]
    d.year = year
    hz_community = services.save_community(d.tree.county, "杭州花园", primary_schools=[d.hz], acting_user=None)
    services.set_intake_plan(d.primary, year, "primary", classes=1, class_size=2, acting_user=None)
    services.set_intake_plan(d.hz, year, "primary", classes=1, class_size=1, acting_user=None)
    d.regs, d.numbers = {}, {}
    for n, name, community, school in [
        (101, "儿童101", d.community, d.primary),
        (103, "儿童103", d.community, d.primary),
        (105, "杭州甲", hz_community, d.hz),
        (107, "杭州乙", hz_community, d.hz),
    ]:
        d.numbers[name] = child_id(born("primary", year), f"{n:03d}")
        [d.regs[name]] = _submit(
            d, parent_user_for(f"1390000{n:04d}"), d.numbers[name], name=name, community=community, public_school=school
        )
    d.draw = draws.create_draw(d.tree.county, year, acting_user=None)
    draws.enter_seed(d.draw, "20260601", acting_user=None)
    d.draw = draws.run_draw(d.draw, acting_user=None)
    d.principal = make_user("p_cs1", "principal", d.primary, full_name="第一小学校长")
    d.hz_principal = make_user("p_hz", "principal", d.hz, full_name="杭州小学校长")
    return d


def _publish(d):
    d.draw = draws.publish_draw(d.draw, acting_user=None)


def test_parent_downloads_their_own_childs_notice(client, results):
    _publish(results)
    reg = results.regs["儿童101"]
    adm = Admission.objects.get(registration=reg)
    client.force_login(reg.owner)
    r = client.get(f"/enrollment/my/{reg.pk}/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    data = r.content
    assert data.startswith(b"%PDF") and pdf_pages(data) == 1
    for text in ["录取通知书", "儿童101", "常山县第一小学", reg.id_number_masked, "常山县教育局", f"{results.year}年"]:
        assert pdf_has(data, text), text
    assert adm.lottery_number[:16].encode() in data and adm.lottery_number[:17].encode() not in data
    number = results.numbers["儿童101"]
    assert not pdf_has(data, number) and number.encode() not in data
    # 我的报名 links the notice
    page = client.get("/enrollment/my/").content.decode()
    assert f"/enrollment/my/{reg.pk}/notice.pdf" in page


def test_another_parent_gets_404_for_someone_elses_notice(client, results):
    _publish(results)
    reg = results.regs["儿童101"]
    client.force_login(results.regs["儿童103"].owner)
    assert client.get(f"/enrollment/my/{reg.pk}/notice.pdf").status_code == 404
    client.force_login(results.principal)  # staff cannot use the parents' address either
    assert client.get(f"/enrollment/my/{reg.pk}/notice.pdf").status_code == 404


def test_no_notice_before_publication_or_without_admission(client, results):
    reg = results.regs["儿童101"]
    client.force_login(reg.owner)
    r = client.get(f"/enrollment/my/{reg.pk}/notice.pdf")
    assert r.status_code == 404 and "派位结果尚未公布" in r.content.decode()
    assert f"/enrollment/my/{reg.pk}/notice.pdf" not in client.get("/enrollment/my/").content.decode()
    _publish(results)
    [refused] = [
        r
        for r in (results.regs["杭州甲"], results.regs["杭州乙"])
        if Admission.objects.get(registration=r).school is None
    ]
    client.force_login(refused.owner)
    r = client.get(f"/enrollment/my/{refused.pk}/notice.pdf")
    assert r.status_code == 404 and "未被派位录取" in r.content.decode()


def _count(body: str) -> int:
    found = re.search(r'class="total-count">(\d+)<', body)
    assert found is not None, body
    return int(found.group(1))


def test_principal_lists_and_exports_only_their_schools_admitted_children(client, results):
    _publish(results)
    client.force_login(results.principal)
    body = client.get("/enrollment/manage/admitted/").content.decode()
    assert _count(body) == 2 and "儿童101" in body and "儿童103" in body and "杭州" not in body.split("list-body")[1]
    masked = results.regs["儿童101"].id_number_masked
    assert masked in body and results.numbers["儿童101"] not in body and "户籍" in body
    assert _count(client.get("/enrollment/manage/admitted/?q=儿童103").content.decode()) == 1
    export = client.get("/enrollment/manage/admitted/?export=xlsx")
    assert export.status_code == 200
    cells = [
        str(v)
        for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert (
        "儿童101" in cells
        and "儿童103" in cells
        and masked in cells
        and not any("杭州甲" in c or "杭州乙" in c for c in cells)
    )
    # the other school sees its one admitted child only
    client.force_login(results.hz_principal)
    body = client.get("/enrollment/manage/admitted/").content.decode()
    assert _count(body) == 1 and "儿童101" not in body
    # the menu offers 录取名单 to a school
    assert 'href="/enrollment/manage/admitted/"' in client.get("/").content.decode()


def test_a_parent_cannot_open_the_school_list(client, results):
    _publish(results)
    client.force_login(results.regs["儿童101"].owner)
    assert client.get("/enrollment/manage/admitted/").status_code == 404
    assert client.get("/enrollment/manage/admitted/notices.pdf").status_code == 404


def test_unpublished_draw_shows_nothing_to_schools_or_the_bureau(client, results):
    for user in (results.principal, results.admin):
        client.force_login(user)
        assert _count(client.get("/enrollment/manage/admitted/").content.decode()) == 0
        r = client.get("/enrollment/manage/admitted/notices.pdf")
        assert r.status_code == 404 and "没有已公布的录取结果" in r.content.decode()


def test_school_downloads_all_its_notices_as_one_audited_pdf(client, results, monkeypatch):
    _publish(results)
    client.force_login(results.principal)
    r = client.get("/enrollment/manage/admitted/notices.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert pdf_pages(r.content) == 2
    assert pdf_has(r.content, "儿童101") and pdf_has(r.content, "儿童103") and not pdf_has(r.content, "杭州甲")
    entry = AuditEntry.objects.filter(action="export", actor=results.principal).latest("at")
    assert "录取通知书2份" in entry.summary and entry.org == results.primary
    # the county bureau gets all three admitted children of its county, searchable by school
    client.force_login(results.admin)
    assert pdf_pages(client.get("/enrollment/manage/admitted/notices.pdf").content) == 3
    one = client.get("/enrollment/manage/admitted/notices.pdf?q=杭州小学").content
    assert pdf_pages(one) == 1 and not pdf_has(one, "儿童101")
    # too many pages for one request: a Chinese 400 asking to search by school
    monkeypatch.setattr(notices, "MAX_NOTICES", 2)
    r = client.get("/enrollment/manage/admitted/notices.pdf")
    assert r.status_code == 400 and "请先按学校搜索" in r.content.decode()
    # another county's administrator has nothing
    client.force_login(results.other_admin)
    assert client.get("/enrollment/manage/admitted/notices.pdf").status_code == 404


def test_without_an_embeddable_chinese_font_the_notice_is_a_chinese_503(client, results, monkeypatch):
    from mofang.platform.pdf import FontMissing

    def missing():
        raise FontMissing("缺少可嵌入的中文字体，无法生成PDF。请安装 Debian 软件包 fonts-wqy-microhei")

    _publish(results)
    reg = results.regs["儿童101"]
    client.force_login(reg.owner)
    monkeypatch.setattr(notices, "cjk_font", missing)
    r = client.get(f"/enrollment/my/{reg.pk}/notice.pdf")
    assert r.status_code == 503 and "缺少可嵌入的中文字体" in r.content.decode()
