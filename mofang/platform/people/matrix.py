"""Permission-matrix endpoints of people (see mofang/platform/matrix.py): guardians and binding
requests (matrix_guardians.py), the roll and year-end promotion (matrix_roll.py)."""

from . import matrix_guardians, matrix_roll


def make_objects(tree):
    return {**matrix_guardians.make_objects(tree), **matrix_roll.make_objects(tree)}


def endpoints(o):
    return matrix_guardians.endpoints(o) + matrix_roll.endpoints(o)
