"""The walk (issue 14, "Proof"): every demo account of README.md, at 1366×768 and 390×844, opens its
home and every page its own menu renders, following the menu as it changes; each page answers
without a 5xx or a console error, shows no English, and on a phone does not scroll sideways. A
screenshot of every page at every size lands under test-output/screenshots/ (MOFANG_SCREENSHOT_DIR).

Then each README story, scripted as a user would click it, must finish. The demo is built once
for this module (walk.py says why it needs a server of its own); the stories that change data
are written so that the order the tests run in does not matter."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from mofang.platform.accounts.models import User
from mofang.platform.demo.services import build_demo
from mofang.platform.demo.story import all_logins

from .walk import SIZES, Visitor, readme_demo_accounts, same_site_path, sign_in

pytestmark = pytest.mark.browser

ACCOUNTS = readme_demo_accounts()
PUBLIC_PAGES = [
    "/accounts/login/",
    "/enrollment/",
    "/enrollment/draws/",
    "/institutions/public/lists/",
    "/institutions/public/report/",
    "/institutions/public/query/",
    "/supervision/public/",
]
# per account and size: a menu longer than this is itself a finding (a county administrator's
# menu has about 68 entries now that 23 modules are in: grouping it by app is the next step)
MAX_PAGES = 100


@pytest.fixture(scope="module")
def site(request, django_db_setup, django_db_blocker, django_db_keepdb):
    """The demo (scale 0.02, seed 7, as the other browser tests) behind a live server of this module."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup
    from pytest_django.live_server_helper import LiveServer

    # pytest-django sets up the test database only if a selected test asks for it by marker or
    # fixture; these tests ask for neither (either would empty or roll back the demo per test)
    own_db = "default" not in _get_databases_for_setup(request.session.items)[0]
    with django_db_blocker.unblock():
        db_cfg = (
            setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=django_db_keepdb)
            if own_db
            else None
        )
        call_command("flush", interactive=False, verbosity=0)
        build_demo(scale=0.02, seed=7, log=lambda *_: None)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        state = {
            "url": server.url,
            "sessions": {},
            "otp": {},
            "usernames": set(User.objects.values_list("username", flat=True)),
        }
        try:
            yield state
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            if db_cfg is not None and not django_db_keepdb:
                teardown_databases(db_cfg, verbosity=0)


def open_as(browser, site, username: str | None, size: str):
    """A page at this size, signed in as username (one sign-in per account for the whole module)."""
    kwargs = {"storage_state": site["sessions"][username]} if username in site["sessions"] else {}
    context = browser.new_context(base_url=site["url"], locale="zh-CN", viewport=SIZES[size], **kwargs)
    page = context.new_page()
    page.set_default_timeout(15000)
    if username and username not in site["sessions"]:
        sign_in(page, username, site["otp"])
        site["sessions"][username] = context.storage_state()
    return context, page


def walk(browser, site, username: str | None, seeds: list[str]) -> list[str]:
    """Walk from seeds along the pages' own navigation at both sizes; one line per page with problems."""
    failures = []
    who = username or "未登录"
    for size in SIZES:
        context, page = open_as(browser, site, username, size)
        visitor = Visitor(page, site["usernames"])
        try:
            queue, seen = list(seeds), set(seeds)
            for n, path in enumerate(queue):
                if n >= MAX_PAGES:
                    failures.append(f"{who} {size}：菜单超过 {MAX_PAGES} 个页面，未走完")
                    break
                problems, status = visitor.visit(path, account=who, size=size, phone=size == "phone")
                if problems:
                    failures.append(f"{who} {size} {path}：{'；'.join(problems)}")
                if status is None or status >= 400:
                    continue
                scope = "home" if n == 0 and username else "nav"
                for href in page.evaluate(
                    """(scope) => [...document.querySelectorAll(scope === 'home'
                        ? 'nav a[href], [role=navigation] a[href], header a[href], main a[href]'
                        : 'nav a[href], [role=navigation] a[href], header a[href]')].map(a => a.href)""",
                    scope,
                ):
                    target = same_site_path(href, site["url"])
                    if target and target not in seen and not target.startswith("/accounts/login"):
                        seen.add(target)
                        queue.append(target)
        finally:
            context.close()
    return failures


def test_the_walk_covers_every_demo_account_of_the_readme():
    assert {u for u, _ in ACCOUNTS} == {d.username for d in all_logins()}


@pytest.mark.parametrize("username", [u for u, _ in ACCOUNTS])
def test_walk_every_menu_page(browser, site, username):
    failures = walk(browser, site, username, ["/"])
    assert not failures, f"{len(failures)} 个页面有问题：\n" + "\n".join(failures)


def test_walk_public_pages(browser, site):
    failures = walk(browser, site, None, PUBLIC_PAGES)
    assert not failures, f"{len(failures)} 个页面有问题：\n" + "\n".join(failures)


# --- the README stories, as a user clicks them --------------------------------------------------


@pytest.fixture
def as_user(browser, site):
    """as_user(username, size="desktop") -> a signed-in page; every context is closed after the test."""
    contexts = []

    def make(username, size="desktop"):
        context, page = open_as(browser, site, username, size)
        contexts.append(context)
        page.on("dialog", lambda d: d.accept())  # the confirmations (data-confirm) are answered yes
        return page

    yield make
    for c in contexts:
        c.close()


def shown_data(page) -> str:
    """The text of <main> without the choices of its filters (a list offers every region to everyone)."""
    return page.evaluate(
        "() => { const m = document.querySelector('main').cloneNode(true);"
        " m.querySelectorAll('select, datalist, option').forEach(s => s.remove()); return m.textContent; }"
    )


def test_story_admin_zj_sees_the_province_at_a_glance(as_user):
    page = as_user("admin_zj")  # the first sign-in enrols the authenticator (TOTP)
    page.goto("/cockpit/")
    expect(page.locator("h1")).to_have_text("浙江省教育智治一张图")
    league = page.locator(".league tbody")
    for city in ("杭州市", "衢州市", "丽水市"):
        expect(league).to_contain_text(city)


def test_story_admin_qz_drills_from_quzhou_to_a_school_and_reads_the_workplan_scorecard(as_user):
    page = as_user("admin_qz")
    page.goto("/cockpit/")
    expect(page.locator("h1")).to_have_text("衢州市教育智治一张图")
    counties = sorted(page.locator(".league tbody a").all_inner_texts())  # 衢州市's six counties
    assert counties == sorted(["柯城区", "衢江区", "江山市", "常山县", "开化县", "龙游县"]), counties
    page.locator(".league a", has_text="常山县").click()
    expect(page.locator("h1")).to_have_text("常山县教育智治一张图")
    page.locator(".league a", has_text="常山县第一小学").click()
    expect(page.locator("h1")).to_have_text("常山县第一小学教育智治一张图")
    page.goto("/workplans/")
    page.get_by_role("link", name="衢州市教育局2026年工作要点").click()
    page.get_by_role("link", name="成绩单", exact=True).click()
    expect(page.locator("main")).to_contain_text("成绩单")
    expect(page.locator("main")).to_contain_text("衢州市教育局")


def test_story_admin_cs_unlocks_a_teacher_who_then_signs_in(as_user, browser, site):
    page = as_user("admin_cs")
    page.goto("/")
    page.get_by_role("link", name=re.compile("待解锁账号")).first.click()
    page.get_by_role("link", name="teacher_cs1c").click()
    page.get_by_role("button", name="解锁账号").click()
    expect(page.get_by_role("button", name="解锁账号")).to_have_count(0)
    teacher = as_user("teacher_cs1c")  # the demo password works again
    assert "/accounts/login/" not in teacher.url
    # the account opened from the staff roll and never used: its temporary password went by SMS
    page.goto("/")
    page.get_by_role("link", name=re.compile("已开通但从未登录的账号")).first.click()
    expect(page.locator("main")).to_contain_text("teacher_cs1d")
    page.goto("/outbox/?q=临时密码")
    expect(page.locator("#list-body")).to_contain_text("teacher_cs1d")


def test_story_admin_cs_reads_the_county_institutions_lists_reports_and_the_forwarded_notice(as_user):
    page = as_user("admin_cs")
    page.goto("/institutions/")
    text = shown_data(page)
    assert "常山县青少年宫" in text and "江山" not in text
    page.goto("/institutions/lists/")
    expect(page.locator("main")).to_contain_text("黑名单")
    page.goto("/institutions/reports/")
    expect(page.locator("main")).to_contain_text("举报")
    page.goto("/directives/sent/")
    row = page.locator("tr", has_text="关于开展暑期防溺水安全教育的通知")
    expect(row).to_contain_text("衢州市")  # forwarded from the city's notice


def test_story_admin_js_sees_nothing_of_changshan(as_user):
    page = as_user("admin_js")
    for path in ("/", "/orgs/", "/students/", "/institutions/", "/cockpit/", "/timebank/accounts/"):
        page.goto(path)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        assert "常山" not in shown_data(page), f"admin_js 在 {path} 看到了常山县的数据"


def test_story_inspector_cs_reads_the_county_schools_and_students(as_user):
    page = as_user("inspector_cs")
    page.goto("/students/")
    text = shown_data(page)
    assert "常山县第一小学" in text and "江山" not in text
    assert int(page.locator(".total-count").inner_text()) > 0


def test_story_principal_cs1_signs_the_notice_reports_progress_and_runs_afterschool(as_user):
    page = as_user("principal_cs1")
    page.goto("/directives/deliveries/?mine=1")
    page.get_by_role("link", name="关于开展暑期防溺水安全教育的通知").click()
    page.locator("#sign button", has_text="签收").click()
    expect(page.locator("main")).not_to_contain_text("未签收")
    page.goto("/workplans/items/")
    page.get_by_role("link", name="加强学生管理工作").click()  # the item the school leads
    page.fill("#text", "本月按计划推进，已完成阶段任务。")
    page.fill("#percent", "60")
    page.locator("#report button", has_text="报送").click()
    expect(page.locator("#history")).to_contain_text("本月按计划推进")
    page.goto("/afterschool/terms/")
    page.locator("main table a").first.click()
    expect(page.locator("main")).to_contain_text("丛林穿越")
    for path in ("/timebank/", "/jobs/", "/audit/"):
        assert page.goto(path).status == 200, path


def test_story_academic_cs1_reveals_an_id_number_and_approves_a_leave(as_user):
    page = as_user("academic_cs1")
    page.goto("/students/")
    page.locator("#list-body a").first.click()
    masked = page.locator("#id-number").inner_text()
    page.get_by_role("button", name="显示完整").last.click()
    expect(page.locator("#id-number")).not_to_have_text(masked)
    assert re.fullmatch(r"\d{17}[\dX]", page.locator("#id-number").inner_text().strip())
    page.goto("/")
    page.get_by_role("link", name=re.compile("待审批抵假申请")).first.click()
    page.get_by_role("button", name="批准").first.click()
    expect(page.locator("main")).to_contain_text("已批准")


def test_story_auditor_cs1_reviews_entries_with_reversals(as_user):
    page = as_user("auditor_cs1")
    page.goto("/timebank/entries/?q=毛玉梅")
    page.locator("#list-body a", has_text="毛玉梅").first.click()
    expect(page.locator("#ledger")).to_contain_text("冲正")


def test_story_psych_cs1_sees_the_school_students_only(as_user):
    page = as_user("psych_cs1")
    page.goto("/students/")
    text = shown_data(page)
    assert "常山县第一小学" in text and "江山" not in text and int(page.locator(".total-count").inner_text()) > 0


def test_story_parent_and_class_teacher_bind_the_second_child(as_user):
    parent = as_user("parent_cs1", "phone")
    parent.goto("/students/")
    assert parent.locator(".total-count").inner_text() == "1"  # only their own child
    expect(parent.locator("main")).to_contain_text("一年级1班")
    parent.goto("/people/bind/")
    assert parent.locator("#my-children .child .name").count() == 1
    expect(parent.locator("#my-requests")).to_contain_text("待学校确认")
    parent.goto("/enrollment/my/")
    expect(parent.locator("main")).to_contain_text("已录取：常山县第一小学")
    teacher = as_user("head_cs1")
    teacher.goto("/")
    teacher.get_by_text("待确认的家长绑定申请").click()
    teacher.locator(".binding-row").first.get_by_role("button", name="确认绑定").click()
    teacher.wait_for_selector("text=暂无数据")
    parent.goto("/people/bind/")
    assert parent.locator("#my-children .child .name").count() == 2


def test_story_parent_cs1_chooses_an_afterschool_course_on_a_phone(as_user):
    from mofang.platform.people.models import Student
    from mofang.resources.afterschool.models import Selection

    page = as_user("parent_cs1", "phone")
    page.goto("/afterschool/select/")
    if not re.search(r"/afterschool/select/\d+/", page.url):  # two children once the binding is confirmed
        kids = Student.objects.filter(guardianships__guardian__user__username="parent_cs1")
        free = next(k for k in kids if not Selection.objects.filter(student=k).exists())  # the one yet to choose
        page.locator(f".as-big a[href$='/select/{free.pk}/']").click()
    card = page.locator("[id^=course-]", has=page.get_by_role("button", name="选课")).first
    name = card.locator("h3").inner_text()
    card.get_by_role("button", name="选课").click()
    expect(page.locator("main")).to_contain_text(f"选上“{name}”")


def test_story_maoyumei_reads_her_balance_of_12_hours_on_a_phone(as_user):
    page = as_user("maoyumei", "phone")
    page.goto("/timebank/my/")
    page.get_by_role("link", name=re.compile("对账单")).first.click()
    numbers = {
        k: page.locator(f"#{k}").inner_text()
        for k in ("earned-substitution", "earned-afterschool", "spent", "closing-balance")
    }
    assert numbers == {
        "earned-substitution": "2.0",
        "earned-afterschool": "14.0",
        "spent": "4.0",
        "closing-balance": "12.0",
    }


def test_story_teacher_cs1b_sees_the_monthly_balances_not_maoyumeis_details(as_user):
    from mofang.governance.timebank.models import Account

    page = as_user("teacher_cs1b")
    page.goto("/timebank/my/")
    assert "毛玉梅" not in shown_data(page)
    page.goto("/timebank/publications/")
    page.locator("main table a").first.click()
    expect(page.locator("main")).to_contain_text("毛玉梅")  # the published monthly balance
    theirs = Account.objects.get(staff__user__username="maoyumei")
    assert page.goto(f"/timebank/accounts/{theirs.pk}/").status in (403, 404)


def test_story_police_cs_claims_a_campus_safety_case(as_user):
    page = as_user("police_cs")
    page.goto("/")
    page.get_by_role("link", name=re.compile("待认领的校园安全隐患")).first.click()
    page.locator("main table a").first.click()
    page.locator("#case-actions button", has_text="认领").click()
    page.wait_for_selector("text=已认领")
    state = page.locator("#case-state").inner_text()  # however it is worded, no longer 待认领
    assert "待认领" not in state, f"police_cs 认领后案件状态仍为“{state}”"


def test_story_notary_cs_opens_the_published_draw(as_user):
    page = as_user("notary_cs")
    page.goto("/enrollment/manage/draws/")
    # 常山县 has the published 小学 draw and the 小升初 draw waiting for its seed
    row = page.locator("tr", has_text="常山县").filter(has_text="已公布结果")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="公示").click()
    expect(page.locator("main")).to_contain_text("种子")


def test_story_keji_cs_approves_the_science_centre(as_user):
    page = as_user("keji_cs")
    page.goto("/institutions/applications/")
    assert "常山县未来少儿科学馆" in shown_data(page), (
        "keji_cs 的办学审批列表中没有常山县未来少儿科学馆（README：待审批），无从审批"
    )
    page.get_by_role("link", name=re.compile("常山县未来少儿科学馆")).first.click()
    page.get_by_label("审批结果").select_option(label="批准")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # the decision is final
    page.get_by_role("button", name="提交审批结果").click()
    expect(page.locator(".messages")).to_contain_text("已批准")
    assert asked and "不可更改" in asked[0], "提交审批结果前没有确认"


def test_story_a_teacher_takes_roll_call_on_a_phone_and_the_hours_reach_the_time_bank(as_user):
    """教师在手机上点名，课后服务课时自动计入时间银行 (academic_cs1 may take any course's roll)."""
    from mofang.governance.timebank.models import AfterSchoolDuty
    from mofang.resources.afterschool.models import Course, Session

    course = Course.objects.filter(school__code="3308220001", name="丛林穿越").select_related("term").get()
    day = timezone.localdate()
    while day.isoweekday() != course.weekday or Session.objects.filter(course=course, date=day).exists():
        day -= dt.timedelta(days=1)
    assert day >= course.term.starts_on
    page = as_user("academic_cs1", "phone")
    page.goto(f"/afterschool/roll/{course.pk}/?date={day:%Y-%m-%d}")
    count = page.locator("#roll-count")
    n = page.locator(".as-roll li[data-name]").count()
    expect(count).to_have_text(f"实到 {n} · 应到 {n} · 缺勤 0")
    first = page.locator(".as-roll li[data-name]").first.get_attribute("data-name")
    page.fill("#roll-search", first)
    page.locator(".as-roll li:visible label").first.click()
    expect(count).to_have_text(f"实到 {n - 1} · 应到 {n} · 缺勤 1")
    page.locator(".as-submit").click()
    expect(page.locator("#roll-sheet")).to_contain_text(f"点名已提交：应到{n}人，缺勤1人")
    session = Session.objects.get(course=course, date=day)
    assert AfterSchoolDuty.objects.filter(record_no=f"KH-{session.pk}", account__staff=course.teacher).exists()
