"""The browser walk's tools: the demo built once for a whole test module behind a live server of
its own, signing in once per account, and the checks every page must pass (issue 14, "Proof").

A module-scoped demo cannot sit behind pytest-django's live_server: any test that uses live_server
gets transactional_db, which empties the database after every test. So the walk runs its own
LiveServerThread over the same test database, and empties the database itself when the module
ends, as a transactional test would."""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyotp

from mofang.platform.demo.story import DEMO_PASSWORD

from .conftest import login

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}

REPO = Path(__file__).resolve().parents[2]
# CI keeps this folder as the run's artifacts (.ci/run prints where it is)
SCREENSHOTS = Path(os.environ.get("MOFANG_SCREENSHOT_DIR") or REPO / "test-output" / "screenshots")


def readme_demo_accounts() -> list[tuple[str, str]]:
    """(username, 可以试试) for each row of README.md's demo table: the walk's list of accounts."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## 演示账号", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9_]+)` \|[^|]*\|[^|]*\| (.*) \|$", section, re.M)
    return rows


# Latin text a Chinese user is expected to read, each for a reason:
ALLOWED_WORDS = {
    "TOTP",  # the authenticator standard's name, as printed in the authenticator apps themselves
    "API",  # 数据交换 API: the name the province's data-exchange documents use
    "Excel",  # the file format officers know by this name (导入模板 Excel)
    "PDF",  # the file formats, by the names on the user's own files (成绩单 PDF, 照片 JPG/PNG)
    "JPG",
    "PNG",
    "CSV",  # and the import files' own formats and encodings, as 导入 pages and file names show them
    "csv",  # (名册.csv in the audit log)
    "xlsx",
    "GBK",
    "km",  # unit of distance on maps and school addresses
}
# Latin letters inside Chinese that are not English: N as "some number" (丽水's 一个平台 · 三个核心业务 ·
# N 个应用模块; 期限写作“N个工作日”), the pinyin-initials example of a school search box, and the
# letters of the official credit grades (信用等级 A（诚信）… D（失信）, A级).
ALLOWED_PHRASES = re.compile(r"(?<![A-Za-z])N ?个|拼音首字母，如 csdyxx|(?<![A-Za-z])[A-D](?=（|级)")
# A run of letters and digits with at least one digit is a code, not a word: 学校标识码, 统一社会信用代码
# (91330822MA…), masked 身份证号 ending in X, generated usernames (t3308220001005), 验证码.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]*")


def english_words(texts: list[str], usernames: set[str]) -> list[str]:
    """The English words among the page's visible texts (codes, usernames and ALLOWED_WORDS aside)."""
    found: list[str] = []
    for text in texts:
        text = ALLOWED_PHRASES.sub(" ", text)
        for token in TOKEN.findall(text):
            token = token.strip(".-_@+")
            if not re.search(r"[A-Za-z]", token) or re.search(r"\d", token):
                continue
            if token in ALLOWED_WORDS or token in usernames:
                continue
            if token not in found:
                found.append(token)
    return found


# The visible text of the page body: text nodes whose element is rendered (a phone menu folded
# behind its toggle is not visible), plus placeholders and button captions of visible controls.
# Text inside a <code> element is an identifier the reader types or matches as it is (an API path,
# a parameter or field name, a type, a request header), not an English word to translate: marking
# it <code> is the page's deliberate statement, so it is left out of the English check.
VISIBLE_TEXT_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const el = n.parentElement;
    const t = n.nodeValue.trim();
    if (!el || !t || !/[A-Za-z]/.test(t)) continue;
    if (el.closest('script, style, noscript, template')) continue;
    if (el.closest('code')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    out.push(t);
  }
  for (const el of document.querySelectorAll('[placeholder], input[type=submit][value], input[type=button][value]')) {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const t = (el.getAttribute('placeholder') || el.value || '').trim();
    if (/[A-Za-z]/.test(t)) out.push(t);
  }
  return out;
}"""

OWN_SCRIPT_JS = r"""() => [...document.scripts].some(s => s.src
  && !/\/static\/(vendor\/htmx\/|mofang\/confirm\.|afterschool\/roll\.)/.test(s.src))"""

# Horizontal overflow, and the outermost elements that stick out past the right edge (to name them).
OVERFLOW_JS = """() => {
  const w = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= w) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= w + 0.5 || r.width === 0) continue;
    if (el.parentElement && el.parentElement.getBoundingClientRect().right > w + 0.5
        && el.parentElement !== document.body) continue;
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    culprits.push(s + '(' + Math.round(r.right) + 'px)');
    if (culprits.length >= 3) break;
  }
  return {scrollWidth: sw, innerWidth: w, culprits};
}"""

# The links the page's own navigation renders: main menu, tab bar, header; whatever markup the shell
# chooses, a menu is a <nav> (or role=navigation) or sits in the header.
NAV_LINKS_JS = """(scope) => {
  const sel = scope === 'home'
    ? 'nav a[href], [role=navigation] a[href], header a[href], main a[href]'
    : 'nav a[href], [role=navigation] a[href], header a[href]';
  return [...document.querySelectorAll(sel)].map(a => a.getAttribute('href'));
}"""

SKIP_LINK = re.compile(
    r"^(#|javascript:|mailto:|tel:)|/static/|/media/|logout|/export|\.xlsx|\.pdf|\.csv|download|/attachments/"
)


def same_site_path(href: str, base: str) -> str | None:
    """The path (with query) of a link this walk should follow, or None."""
    if not href or SKIP_LINK.search(href):
        return None
    if href.startswith(base):
        href = href[len(base) :] or "/"
    if not href.startswith("/") or href.startswith("//"):
        return None
    return href.split("#", 1)[0]


def slug(path: str) -> str:
    s = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", path).strip("-")
    return (s or "home")[:120]


@dataclass
class PageRecord:
    """What one visit found: the problems, in words a reader of the failure can act on."""

    problems: list[str] = field(default_factory=list)


class Visitor:
    """Visits pages in one browser context, collecting console errors and 5xx answers per page."""

    def __init__(self, page, usernames: set[str]):
        self.page = page
        self.usernames = usernames
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"脚本异常：{str(e)[:200]}"))
        page.on("response", self._response)

    def _console(self, m) -> None:
        if m.type == "error":
            self.errors.append(f"控制台错误：{m.text[:200]}")

    def _response(self, r) -> None:
        # the page's own answer is reported by visit(); here what it loaded: htmx parts, data, files
        if r.status >= 400 and r.request.resource_type != "document":
            self.errors.append(f"HTTP {r.status}：{r.url}")

    def visit(self, path: str, *, account: str, size: str, phone: bool) -> tuple[list[str], int | None]:
        """Open path, wait for htmx to settle, check it; (problems, status)."""
        page = self.page
        self.errors = []
        problems: list[str] = []
        try:
            response = page.goto(path)
        except Exception as e:  # a download, or a page that never loads
            return ([f"打不开：{str(e).splitlines()[0][:160]}"], None)
        status = response.status if response else None
        try:
            page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=5000)
            # a page that draws itself with a script of its own (maps, charts, the API docs) is
            # judged once its data has arrived
            if page.evaluate(OWN_SCRIPT_JS):
                page.wait_for_load_state("networkidle", timeout=5000)
        except Exception:
            problems.append("页面 5 秒内未加载完")
        if status is not None and status >= 400:
            problems.append(f"HTTP {status}")
        if phone:
            overflow = page.evaluate(OVERFLOW_JS)
            if overflow:
                problems.append(
                    f"横向溢出：scrollWidth {overflow['scrollWidth']} > {overflow['innerWidth']}，"
                    f"超出的元素 {', '.join(overflow['culprits'])}"
                )
        words = english_words(page.evaluate(VISIBLE_TEXT_JS), self.usernames)
        if words:
            problems.append(f"英文：{', '.join(words[:12])}")
        problems.extend(dict.fromkeys(self.errors))
        shot = SCREENSHOTS / account / size / f"{slug(path)}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        # the page down to four screens: enough to judge the layout, and a 6,000-pixel list would
        # cost the walk more than the page itself
        height = min(page.evaluate("document.documentElement.scrollHeight"), 4 * page.viewport_size["height"])
        page.screenshot(
            path=str(shot),
            full_page=True,
            clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height},
        )
        return problems, status


def sign_in(page, username: str, otp_secrets: dict[str, str]) -> None:
    """Sign in with the demo password; 省级/市级管理员 enrol the authenticator on first sign-in and
    use the remembered secret afterwards."""
    login(page, username, DEMO_PASSWORD)
    if "/accounts/otp/" in page.url:
        secret_box = page.locator("#totp-secret")
        if secret_box.count():
            otp_secrets[username] = secret_box.inner_text().strip()
        page.fill("#id_token", pyotp.TOTP(otp_secrets[username]).now())
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)
