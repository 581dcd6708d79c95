"""A small 常山县 register, built through the import path, against a roll changed through people.roll."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from mofang.governance.dropout_control.importers import RegisterImporter
from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.imports.tests.conftest import csv_bytes
from mofang.platform.people import roll
from mofang.platform.testing import make_id_number, make_student, make_user

HEADER = ["姓名", "身份证号", "户籍地区划代码", "居住地区划代码", "出生日期", "性别"]


def run_import(user, org, tmp_path, rows, header=HEADER):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes(header, rows))
    return import_file(RegisterImporter(), str(path), "名册.csv", ImportContext(user=user, org=org))


def on_roll(school, name, idn):
    s = make_student(school, name)
    s.set_id_number(idn)
    s.save()
    return s


@pytest.fixture
def county(tree):
    """Eight children of 常山县 (born 2014–2017, of compulsory age for years to come), five out of school:
    甲 在读; 乙 无学籍; 丙 辍学; 丁 休学400天; 戊 休学30天; 己 转出; 庚 转出后转入江山; 辛 无学籍."""
    c = SimpleNamespace(tree=tree)
    c.admin = make_user("dc_admin", "county_admin", tree.county, full_name="常山县管理员")
    c.other_admin = make_user("dc_admin_js", "county_admin", tree.other_county, full_name="江山市管理员")
    c.city = make_user("dc_city", "city_admin", tree.city, full_name="衢州市管理员")
    today = timezone.localdate()
    births = {
        "甲": "20150301",
        "乙": "20160512",
        "丙": "20140720",
        "丁": "20151111",
        "戊": "20170101",
        "己": "20160202",
        "庚": "20141010",
        "辛": "20170303",
    }
    c.ids = {name: make_id_number(b, "M") for name, b in births.items()}
    s = {n: on_roll(tree.school, n, c.ids[n]) for n in ("甲", "丙", "丁", "戊", "己", "庚")}
    roll.record_dropout(s["丙"], acting_user=c.admin, reason="厌学")
    roll.suspend(s["丁"], acting_user=c.admin, reason="病休", occurred_on=today - dt.timedelta(days=400))
    roll.suspend(s["戊"], acting_user=c.admin, reason="病休", occurred_on=today - dt.timedelta(days=30))
    roll.transfer_out(s["己"], acting_user=c.admin, to_school="外县学校")
    roll.transfer_out(s["庚"], acting_user=c.admin, to_school="江山市实验小学")
    js_admin = make_user("dc_js_school", "county_admin", tree.other_county)
    roll.transfer_in(s["庚"], acting_user=js_admin, school=tree.other_school)
    c.students = s
    c.rows = [[n, c.ids[n], "330822", "330822101", "", ""] for n in births]
    return c
