"""Every role × every endpoint × an in-scope and an out-of-scope object (SPEC §1.3).

For each case the object must be shown (listed, detailed, exported, counted, changed) exactly
when the role's declared permissions cover one of the object's org units.
"""

import io
import json
import re

import openpyxl
import pytest
from django.test import Client

from mofang.platform.accounts.models import Role
from mofang.platform.accounts.registry import ROLES
from mofang.platform.matrix import ROLE_PLACES, expected_visible, matrix_modules
from mofang.platform.testing import build_tree, make_user

MODULES = list(matrix_modules())




def _body_text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        except Exception:  # a download named .xlsx that is not a workbook: read it as text
            return raw.decode("utf-8", errors="replace")
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
        )
    return raw.decode("utf-8", errors="replace")


def _count(response, api: bool, label: str = "") -> int:
    if api:
        return json.loads(response.content)["count"]
    pattern = (rf'<div class="label">{re.escape(label)}</div><div class="value">([\d,]+)<' if label
               else r'class="total-count">([\d,]+)<')
    m = re.search(pattern, response.content.decode())
    return int(m.group(1).replace(",", "")) if m else 0


def _login(client: Client, user):
    client.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, confirmed=True, name="matrix")
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


@pytest.mark.parametrize("role_code", sorted(ROLE_PLACES))
@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 2)[-2])
def test_permission_matrix(db, module, role_code):
    tree = build_tree()
    objs = module.make_objects(tree)
    member_org = getattr(tree, ROLE_PLACES[role_code])
    user = make_user(f"m_{role_code}", role_code, member_org)
    perms = set(Role.objects.get(code=role_code).permissions)
    failures = []
    for ep in module.endpoints(objs):
        client = Client()
        _login(client, user)
        expected = {
            side: expected_visible(perms, member_org, ep.perm, target.orgs)
            for side, target in (("inside", ep.inside), ("outside", ep.outside))
        }
        if ep.kind == "count":
            r = client.get(ep.inside.url)
            want = sum(expected.values())
            got = _count(r, ep.api, ep.count_label) if r.status_code == 200 else 0
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
