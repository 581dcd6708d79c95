from mofang.platform.notifications.inbox import unread_count

from .shell import menu_for, public_tabs, shell_urls, viewer_stamp, watermark_text, works_from_phone


class _lazy:
    """A value the template computes on first use (Django templates call a callable variable), once:
    a page that never shows it — an htmx partial, a JSON answer — never pays for it. (Not
    functools.cache: building eight of its wrappers cost every request more than the values.)"""

    __slots__ = ("fn", "value")

    def __init__(self, fn):
        self.fn = fn

    def __call__(self):
        try:
            return self.value
        except AttributeError:
            self.value = self.fn()
            return self.value


def shell(request):
    """The shell a user sees: the grouped menu of what their memberships grant, the tab bar of a
    phone role, and the watermark of a page with personal data. Every value is lazy: an htmx
    partial renders none of them, so none is computed; a page gets the menu built once per
    permission set (web.shell), the memberships and the unread count from the cache (accounts.access,
    notifications.inbox)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "public_tabs": _lazy(public_tabs), "shell_urls": _lazy(shell_urls)}
    return {
        "shell_urls": _lazy(shell_urls),
        "nav": _lazy(lambda: menu_for(user).workbench),
        "nav_html": _lazy(lambda: menu_for(user).nav_html),
        "personal_pages": _lazy(lambda: menu_for(user).personal_pages),
        "phone_shell": _lazy(lambda: works_from_phone(user)),
        "watermark": _lazy(lambda: watermark_text(request)),
        "viewer_stamp": viewer_stamp,
        "unread_count": _lazy(lambda: unread_count(user)),
        "memberships": _lazy(user.active_memberships),
    }
