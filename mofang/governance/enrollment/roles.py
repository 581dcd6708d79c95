"""入学早知道 permissions and which core roles hold them (imported from AppConfig.ready()).

The public look-up needs no permission at all. Bureau pages:
- county/city/province administrators see the warnings and 学区 of their subtree, import plans,
  学区 and the household-registration exchange, keep each school's plan and 分流, and (county
  administrators) set thresholds;
- a principal or 教务 sees the warnings of their own school.
"""

from mofang.platform.accounts.registry import allow_grant, grant, register_permissions, register_role

register_permissions(
    {
        "enrollment.view_warning": "查看入学预警",
        "enrollment.view_district": "查看学区划分",
        "enrollment.import_data": "导入学区、招生计划与户籍数据",
        "enrollment.set_policy": "设置入学预警阈值",
        "enrollment.change_plan": "维护招生计划与分流",
        "enrollment.register": "网上报名（本人）",
        "enrollment.view_registration": "查看入学报名",
    }
)

for _admin in ("county_admin", "city_admin", "province_admin"):
    grant(
        _admin,
        "enrollment.view_warning",
        "enrollment.view_district",
        "enrollment.import_data",
        "enrollment.change_plan",
    )
grant("county_admin", "enrollment.set_policy")
grant("principal", "enrollment.view_warning")
grant("academic", "enrollment.view_warning")
# 报名: parents register and see their own; schools and bureaus see the registrations naming
# their schools (public 学区 school or private choice).
grant("parent", "enrollment.register@own", "enrollment.view_registration@own")
for _role in ("county_admin", "city_admin", "province_admin", "principal", "academic"):
    grant(_role, "enrollment.view_registration")
# 电脑派位: the county administrator creates, runs and publishes the draw; the seed is drawn in
# public and entered by the notary (公证员, a member at the county), who sees the county's draws.
register_permissions(
    {
        "enrollment.run_draw": "创建与执行电脑派位",
        "enrollment.enter_seed": "录入派位随机种子",
        "enrollment.view_draw": "查看电脑派位",
        "enrollment.view_admission": "查看录取结果",
    }
)
register_role("notary", "公证员", rank=75)
# a county bureau appoints the notary who witnesses its lotteries (账号与权限管理's grant table)
allow_grant("province_admin", "notary", at=("county",))
allow_grant("city_admin", "notary", at=("county",))
allow_grant("county_admin", "notary", at=("county",))
grant("county_admin", "enrollment.run_draw")
grant("notary", "enrollment.enter_seed")
# the draw pages are shown with view_draw; the actions on them check run_draw / enter_seed
for _role in ("county_admin", "city_admin", "province_admin", "notary"):
    grant(_role, "enrollment.view_draw")
# 录取结果: bureaus see their counties' results, schools the children admitted to them.
for _role in ("county_admin", "city_admin", "province_admin", "principal", "academic"):
    grant(_role, "enrollment.view_admission")
# 放弃录取: the admitting school (principal, 教务) or the county bureau confirms or refuses a
# parent's request to give up a seat (waivers.py).
register_permissions({"enrollment.decide_waiver": "确认或退回放弃录取申请"})
for _role in ("county_admin", "principal", "academic"):
    grant(_role, "enrollment.decide_waiver")
