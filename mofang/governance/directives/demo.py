"""The 政令一键智达 demo story (filled in below)."""


def build(ctx) -> None:
    ctx.log("政令一键智达：跳过")
