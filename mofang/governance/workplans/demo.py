"""The 清单管理 demo story (filled in below)."""


def build(ctx) -> None:
    ctx.log("清单管理：演示数据未生成")
