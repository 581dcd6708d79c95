"""The 教师积分记录 import: every bad row reported with its column, nothing written unless all rows
are good; the same file twice changes nothing; a number re-used with other content is refused."""

from mofang.governance.teacher_dev.models import ActivityRecord

from .conftest import lines, run_import, sheet


def test_every_bad_row_is_reported_and_nothing_is_written(td):
    no = td.mao.staff_no
    result = run_import(
        sheet(
            [
                ["JF-1", no, "毛玉梅", "家访", "2026-03-02", "1", "家访"],
                ["JF-2", "T99999999", "", "家访", "2026-03-02", "1", "家访"],
                ["JF-3", no, "王五", "家访", "2026-03-02", "1", "家访"],
                ["JF-4", no, "", "额外代课", "2026-03-02", "2", "代课"],
                ["JF-5", no, "", "公开课", "2099-03-02", "1", "公开课"],
                ["JF-6", no, "", "继续教育", "2026-03-02", "-3", "培训"],
                ["JF-7", td.outsider.staff_no, "", "家访", "2026-03-02", "1", "家访"],
                ["JF-1", no, "", "家访", "2026-03-03", "1", "重复编号"],
            ]
        ),
        td.academic,
        td.tree.school,
    )
    got = lines(result)
    assert any(x.startswith("第3行“教师工号”：教师工号不存在或不在您的数据范围内") for x in got), got
    assert any(x.startswith("第4行“姓名”：姓名与工号不一致") for x in got), got
    assert any(x.startswith("第5行“类别”：代课与托管由时间银行记录计分") for x in got), got
    assert any(x.startswith("第6行“日期”：日期不能晚于今天") for x in got), got
    assert any(x.startswith("第7行“数量”：数量应大于0") for x in got), got
    assert any(x.startswith("第8行“教师工号”") for x in got), got  # another county's teacher
    assert any(x.startswith("第9行") for x in got), got  # the same 记录编号 twice
    assert ActivityRecord.objects.count() == 0


def test_the_same_file_twice_changes_nothing_and_a_changed_row_is_refused(td):
    no = td.mao.staff_no
    rows = [["JF-1", no, "毛玉梅", "家访", "2026-03-02", "1", "家访"]]
    assert run_import(sheet(rows), td.academic, td.tree.school)["created"] == 1
    again = run_import(sheet(rows), td.academic, td.tree.school)
    assert again["errors"] == [] and ActivityRecord.objects.count() == 1
    changed = run_import(
        sheet([["JF-1", no, "毛玉梅", "家访", "2026-03-02", "2", "家访"]]), td.academic, td.tree.school
    )
    assert "已导入且内容不同" in " ".join(lines(changed))
