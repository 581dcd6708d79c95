"""Every role × every endpoint × an in-scope and an out-of-scope object (SPEC §1.3).

For each case the object must be shown (listed, detailed, exported, counted, changed) exactly
when the role's declared permissions cover one of the object's org units.
"""

import io
import json
import re

import openpyxl
import pytest
from django.db import transaction
from django.test import Client

from mofang.platform.accounts.models import Role
from mofang.platform.accounts.registry import ROLES
from mofang.platform.matrix import expected_visible, matrix_id, matrix_modules, role_places
from mofang.platform.testing import build_tree, make_user

MODULES = list(matrix_modules())
PLACES = role_places()  # filled by the core's and every module's matrix.py


class CounterMissing(Exception):
    """A count endpoint's figure is not on the page: a renamed label must not read as 0."""


def _body_text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        except Exception:  # a download named .xlsx that is not a workbook: read it as text
            return raw.decode("utf-8", errors="replace")
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
        )
    return raw.decode("utf-8", errors="replace")


def _count(response, api: bool, label: str = "") -> int | None:
    """The figure on the page (or the API's count); None when the page does not show it."""
    if api:
        return json.loads(response.content)["count"]
    pattern = (
        rf'<div class="label">{re.escape(label)}</div><div class="value">([\d,]+)<'
        if label
        else r'class="total-count">([\d,]+)<'
    )
    m = re.search(pattern, response.content.decode())
    return int(m.group(1).replace(",", "")) if m else None


def _login(client: Client, user):
    client.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, confirmed=True, name="matrix")
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


def _no_place(role_codes) -> str:
    return "\n".join(
        f"role {code} ({ROLES[code].name}) has no place for its matrix user: call "
        f"register_matrix_place({code!r}, <a Tree attribute: 'county', 'school' …>) in the matrix.py of the app "
        f"that declares the role (see mofang/platform/matrix.py)"
        for code in role_codes
    )


def test_every_role_has_a_place_in_the_matrix():
    missing = sorted(set(ROLES) - set(PLACES))
    assert not missing, _no_place(missing)


@pytest.fixture(scope="module", params=MODULES, ids=matrix_id)
def world(request, django_db_setup, django_db_blocker):
    """One module's tree and objects, built once for all its roles: they stay in an outer
    transaction, each test runs in a savepoint inside it (the `db` fixture), and the whole is
    rolled back when pytest moves on to the next module."""
    module = request.param
    with django_db_blocker.unblock(), transaction.atomic():
        tree = build_tree()
        yield module, tree, module.make_objects(tree)
        transaction.set_rollback(True)


@pytest.mark.parametrize("role_code", sorted(ROLES))
def test_permission_matrix(world, db, role_code):
    if role_code not in PLACES:
        pytest.fail(_no_place([role_code]))
    module, tree, objs = world
    member_org = getattr(tree, PLACES[role_code])
    user = make_user(f"m_{role_code}", role_code, member_org)
    perms = set(Role.objects.get(code=role_code).permissions)
    failures = []
    for ep in module.endpoints(objs):
        client = Client()
        _login(client, user)
        expected = {
            side: expected_visible(perms, member_org, ep.perm, target.orgs, target.moved_from)
            for side, target in (("inside", ep.inside), ("outside", ep.outside))
        }
        if ep.kind == "count":
            r = client.get(ep.inside.url)
            want = sum(expected.values())
            got = _count(r, ep.api, ep.count_label) if r.status_code == 200 else 0
            if got is None:
                # a page may leave out a figure the role holds no subtree grant for (an "@own" grant
                # counts nothing the matrix user does not own), and a to-do at 0
                if want or (ep.perm in perms and not ep.hidden_at_zero):
                    failures.append(
                        f"{ep.name}: counter {ep.count_label or 'total-count'!r} not found on"
                        f" {ep.inside.url} (HTTP 200), expected {want}"
                    )
                    continue
                got = 0
            if got != want:
                failures.append(f"{ep.name}: count {got}, expected {want}")
            continue
        for side, target in (("inside", ep.inside), ("outside", ep.outside)):
            if ep.method == "POST":
                r = client.post(target.url, ep.data)
            else:
                r = client.get(target.url)
            if r.status_code >= 500:
                failures.append(f"{ep.name} {side}: HTTP {r.status_code}")
                continue
            # a change is "shown" when it is allowed; its marker (if any) must be in the answer
            shown = r.status_code < 400 and target.marker in _body_text(r)
            if shown != expected[side]:
                failures.append(
                    f"{ep.name} {side}: {'shown' if shown else 'hidden'} (HTTP {r.status_code}),"
                    f" expected {'shown' if expected[side] else 'hidden'}"
                )
    assert not failures, f"role {role_code} ({ROLES[role_code].name}):\n" + "\n".join(failures)
