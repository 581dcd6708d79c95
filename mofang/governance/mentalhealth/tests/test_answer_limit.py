"""The answering pages need no account, so guessing one-time codes is slowed: 20 wrong codes per
network per hour, then every code (even a right one) waits, in Chinese, with a 429."""

from mofang.governance.mentalhealth.views import CODE_MISSES


def test_wrong_codes_are_refused_and_the_21st_guess_waits(mh, client):
    for i in range(CODE_MISSES.rates[0].count):
        r = client.post("/mentalhealth/answer/", {"code": f"ZZZZ{i:04d}"})
        assert r.status_code == 400 and "作答码无效" in r.content.decode()
    r = client.post("/mentalhealth/answer/", {"code": "ZZZZ9999"})
    assert r.status_code == 429 and "作答码错误次数过多" in r.content.decode()
    # a right code is no answer to a guesser either: it waits too, on both pages
    r = client.post("/mentalhealth/answer/", {"code": mh.code[mh.a.pk]})
    assert r.status_code == 429
    r = client.get(f"/mentalhealth/answer/{mh.code[mh.a.pk]}/")
    assert r.status_code == 429 and "作答码错误次数过多" in r.content.decode()


def test_right_codes_do_not_count_against_the_network(mh, client):
    """A class answering from the school's one network: right codes are never counted."""
    for _ in range(CODE_MISSES.rates[0].count + 5):
        r = client.post("/mentalhealth/answer/", {"code": mh.code[mh.a.pk]})
        assert r.status_code == 302
    assert client.get(f"/mentalhealth/answer/{mh.code[mh.a.pk]}/").status_code == 200


def test_another_network_is_not_held_back_by_a_guesser(mh, client):
    for i in range(CODE_MISSES.rates[0].count):
        client.post("/mentalhealth/answer/", {"code": f"ZZZZ{i:04d}"}, REMOTE_ADDR="10.0.0.9")
    r = client.post("/mentalhealth/answer/", {"code": mh.code[mh.a.pk]}, REMOTE_ADDR="10.0.0.10")
    assert r.status_code == 302
