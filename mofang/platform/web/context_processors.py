from .shell import personal_pages, public_tabs, viewer_stamp, watermark_text, workbench, works_from_phone


def shell(request):
    """The shell a user sees: the grouped menu of what their memberships grant, the tab bar of a
    phone role, and the watermark of a page with personal data."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "public_tabs": public_tabs()}
    unread = user.inbox.filter(read_at__isnull=True).count()
    return {
        "nav": workbench(user),
        "personal_pages": personal_pages(user),
        "phone_shell": works_from_phone(user),
        "watermark": watermark_text(request),
        "viewer_stamp": viewer_stamp,
        "unread_count": unread,
        "memberships": user.active_memberships(),
    }
