"""`mofang enrollment match` and `verify`: the run round-trips, a tampered output is caught, and bad
input gives a Chinese error naming the field, never a traceback."""

import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

INPUT = {
    "schools": [
        {"id": "3301050001", "name": "拱宸桥小学", "capacity": 2},
        {"id": "3301050002", "name": "大关小学", "capacity": 3},
    ],
    "applicants": [
        {"id": "A001", "choices": [{"school": "3301050001", "category": 1}, {"school": "3301050002", "category": 3}]},
        {"id": "A002", "choices": [{"school": "3301050001", "category": 2, "sibling": True}]},
        {
            "id": "A003",
            "choices": [{"school": "3301050001", "category": 2}, {"school": "3301050002", "category": 1}],
            "group": "双胞胎-1",
        },
        {
            "id": "A004",
            "choices": [{"school": "3301050001", "category": 2}, {"school": "3301050002", "category": 1}],
            "group": "双胞胎-1",
        },
        {"id": "A005", "choices": [{"school": "3301050002", "category": 2}]},
    ],
}


def write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def match(tmp_path, data=INPUT, seed="20260715", name="out.json", *extra):
    out = tmp_path / name
    call_command("enrollment", "match", write(tmp_path / "in.json", data), "--seed", seed, "--output", str(out), *extra)
    return json.loads(out.read_text(encoding="utf-8"))


def test_match_writes_every_applicant_with_lottery_number_and_run_record(tmp_path):
    out = match(tmp_path)
    assert [r["applicant"] for r in out["assignments"]] == ["A001", "A002", "A003", "A004", "A005"]
    assert all(len(r["lottery"]) == 64 for r in out["assignments"])
    schools = {r["applicant"]: r["school"] for r in out["assignments"]}
    assert schools["A003"] == schools["A004"]  # twins together
    assert schools["A001"] == "3301050001"  # category 1 at its first choice
    rec = out["record"]
    assert rec["seed"] == "20260715" and rec["algorithm"] == "deferred-acceptance/single-lottery"
    assert len(rec["input_sha256"]) == len(rec["output_sha256"]) == 64


def test_shuffled_rows_give_the_same_file(tmp_path):
    shuffled = dict(INPUT, applicants=random.Random(3).sample(INPUT["applicants"], 5), schools=INPUT["schools"][::-1])
    assert match(tmp_path, INPUT, name="a.json") == match(tmp_path, shuffled, name="b.json")


def test_verify_confirms_the_output(tmp_path, capsys):
    match(tmp_path)
    call_command("enrollment", "verify", str(tmp_path / "in.json"), str(tmp_path / "out.json"))
    assert "核验通过" in capsys.readouterr().out


def test_verify_catches_a_tampered_output(tmp_path):
    out = match(tmp_path)
    row = next(r for r in out["assignments"] if r["applicant"] == "A005")
    row["school"] = None if row["school"] else "3301050002"
    write(tmp_path / "out.json", out)
    with pytest.raises(CommandError, match="核验未通过"):
        call_command("enrollment", "verify", str(tmp_path / "in.json"), str(tmp_path / "out.json"))


def test_verify_catches_changed_input(tmp_path):
    match(tmp_path)
    changed = json.loads(json.dumps(INPUT))
    changed["schools"][1]["capacity"] = 4
    with pytest.raises(CommandError, match="输入数据的哈希"):
        call_command("enrollment", "verify", write(tmp_path / "in.json", changed), str(tmp_path / "out.json"))


def test_boston_is_a_policy_option(tmp_path):
    out = match(tmp_path, INPUT, "20260715", "boston.json", "--mechanism", "boston")
    assert out["record"]["algorithm"] == "immediate-acceptance/boston"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["applicants"][1]["choices"][0].update(category=0), "学生 A002 的第 1 志愿的 category"),
        (
            lambda d: d["applicants"][0]["choices"][1].update(school="9999"),
            "学生 A001 的第 2 志愿：学校 '9999' 不在 schools 中",
        ),
        (lambda d: d["applicants"][4].update(id="A001"), "学生 A001：id 重复"),
        (lambda d: d["schools"][0].update(capacity=-1), "学校 3301050001 的 capacity"),
        (lambda d: d["applicants"][3]["choices"].pop(), "学生 A004：与同一绑定组 双胞胎-1"),
        (lambda d: d["applicants"][2]["choices"][0].update(sibling="是"), "sibling"),
        (lambda d: d.pop("schools"), "字段 schools"),
    ],
)
def test_bad_input_names_the_field_in_chinese(tmp_path, mutate, message):
    data = json.loads(json.dumps(INPUT))
    mutate(data)
    with pytest.raises(CommandError, match=message):
        match(tmp_path, data)


def test_a_file_that_is_not_json_is_reported_with_its_line(tmp_path):
    (tmp_path / "in.json").write_text('{"schools": [\n  {"id": 1,}\n]}', encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command(
            "enrollment", "match", str(tmp_path / "in.json"), "--seed", "1", "--output", str(tmp_path / "o.json")
        )
    with pytest.raises(CommandError, match="不存在"):
        call_command(
            "enrollment", "match", str(tmp_path / "nope.json"), "--seed", "1", "--output", str(tmp_path / "o.json")
        )


def test_a_round_without_applicants_writes_an_empty_list(tmp_path):
    out = match(tmp_path, {"schools": INPUT["schools"], "applicants": []})
    assert out["assignments"] == [] and out["summary"]["applicants"] == 0
