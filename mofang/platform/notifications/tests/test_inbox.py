"""我的消息: a message about an item links to it; a link that would leave the site is not rendered."""

from django.test import Client

from mofang.platform.notifications.services import notify_inbox
from mofang.platform.testing import make_user


def test_the_inbox_links_each_message_to_its_item_and_never_off_site(tree):
    from mofang.platform.accounts.roles import sync_roles

    sync_roles()
    user = make_user("inbox_user", "county_admin", tree.county, full_name="收信人")
    notify_inbox(user, "新案件待认领", "XA2026000001「校门口拥堵」请及时认领。", "/cases/7/")
    notify_inbox(user, "外链", "不应成为链接", "//evil.example/")
    notify_inbox(user, "外链2", "也不应成为链接", "https://evil.example/")
    c = Client()
    c.force_login(user)
    page = c.get("/inbox/").content.decode()
    assert '<a href="/cases/7/" class="inbox-open"><strong>新案件待认领</strong>' in page
    assert "evil.example" not in page
