"""Permission-matrix endpoints of people (see mofang/platform/matrix.py), in two parts each built on
its own tree: guardians and binding requests (matrix_guardians.py), the roll and year-end promotion
(matrix_roll.py), whose promotion preview counts every student in the subtree."""

from . import matrix_guardians, matrix_roll

PARTS = [matrix_guardians, matrix_roll]
