"""一网通办's demo data: filled in below (register_demo)."""


def build(ctx):
    return None
