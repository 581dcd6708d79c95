"""The public 电脑派位公示 index: anyone (no login) finds each county's seed as soon as the notary
enters it, before the run, and the link to re-verify the result after it; draft draws stay hidden."""

from mofang.governance.enrollment import draws


def test_public_index_lists_seeded_draws_with_their_seed_and_hides_drafts(client, district):
    year = district.years[0]
    seeded = draws.create_draw(district.tree.county, year, acting_user=district.admin)
    draft = draws.create_draw(district.tree.other_county, year, acting_user=None)
    draws.enter_seed(seeded, "20260815", acting_user=None)
    r = client.get("/enrollment/draws/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "20260815" in body and district.tree.county.name in body
    assert f"/enrollment/draws/{seeded.pk}/" in body
    assert f"/enrollment/draws/{draft.pk}/" not in body and district.tree.other_county.name not in body


def test_public_look_up_page_links_to_the_draw_index(client, db):
    assert 'href="/enrollment/draws/"' in client.get("/enrollment/").content.decode()
