"""One rule per figure: 待解锁账号 and 已开通但从未登录的账号 (UserQuerySet.locked_out / never_used) are
counted alike by the administrator's home to-dos and the account list each opens — on data where a
stopped account, or one never logged in that was not handed an initial password, would count if a
copy of the rule drifted."""

from django.test import Client
from django.utils import timezone

from mofang.platform.accounts.models import User
from mofang.platform.testing import list_total, make_user, todo_count, todo_url


def test_the_account_to_dos_count_what_the_account_list_shows(tree):
    admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")

    def account(username, org=tree.school, **flags):
        user = make_user(username, "teacher", org)
        User.objects.filter(pk=user.pk).update(**flags)

    account("locked", locked_at=timezone.now())
    account("locked_stopped", locked_at=timezone.now(), is_active=False)
    account("unused", must_change_password=True)
    account("unused_stopped", must_change_password=True, is_active=False)
    account("no_initial_password")  # never logged in, but not handed an initial password to change
    account("unused_elsewhere", org=tree.other_school, must_change_password=True)

    c = Client()
    c.force_login(admin)
    for title in ("待解锁账号", "已开通但从未登录的账号"):
        assert todo_count(c, title) == 1, title
        assert list_total(c, todo_url(c, title)) == 1, title
