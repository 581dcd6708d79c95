"""No input crashes the server: every form and API answers below 500 whatever is sent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import last_month, seed_month

junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "0", "-1", "1e309", "NaN", "9" * 40, "2026-02-30", "2026-10-15", "1.5", "１２", "<script>", "' OR 1=1 --"]
    ),
)
_settings = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_settings
@given(data=st.fixed_dictionaries({"kind": junk, "date": junk, "hours": junk, "reason": junk}))
def test_the_leave_form_and_api_never_crash(client, bank, people, data):
    client.force_login(people.teacher_user)
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    assert client.post("/timebank/my/leave/", data).status_code < 500
    assert client.post("/api/timebank/leave-requests/", data, content_type="application/json").status_code < 500


@_settings
@given(
    data=st.fixed_dictionaries(
        {"record_no": junk, "staff": junk, "absent": junk, "date": junk, "periods": junk, "note": junk}
    )
)
def test_the_work_forms_never_crash(client, bank, people, data):
    client.force_login(people.academic)
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    for url in (f"/timebank/banks/{bank.pk}/substitutions/new/", f"/timebank/banks/{bank.pk}/duties/new/"):
        assert client.post(url, data).status_code < 500


@_settings
@given(month=junk, year=junk, rate=junk, note=junk)
def test_the_bank_actions_never_crash(client, bank, people, month, year, rate, note):
    seed_month(bank, people, last_month()) if not bank.accounts.filter(entries__isnull=False).exists() else None
    client.force_login(people.principal)
    month, year, rate, note = (v.replace("\x00", "") for v in (month, year, rate, note))
    assert client.post(f"/timebank/banks/{bank.pk}/statements/run/", {"month": month}).status_code < 500
    assert client.get(f"/timebank/banks/{bank.pk}/export/", {"year": year}).status_code < 500
    assert (
        client.post(
            f"/timebank/banks/{bank.pk}/rates/",
            {"kind": "afterschool", "hours_per_period": rate, "effective_from": month},
        ).status_code
        < 500
    )
    assert client.post("/timebank/leaves/1/reject/", {"note": note}).status_code < 500
    for url in ("/timebank/accounts/", "/timebank/entries/", "/api/timebank/entries/", "/api/timebank/statements/"):
        assert (
            client.get(url, {"q": note, "page": year, "kind": month, "account": year, "month": month}).status_code < 500
        )


def test_huge_ids_are_404_not_500(client, bank, people):
    client.force_login(people.principal)
    for url in (
        "/timebank/banks/99999999999999999999/",
        "/timebank/accounts/99999999999999999999/",
        "/timebank/statements/99999999999999999999/",
        "/api/timebank/accounts/99999999999999999999/",
    ):
        assert client.get(url).status_code == 404
