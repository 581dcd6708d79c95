"""The myopia classification (engine.py): hand-computed cases from the national definitions, and
the property that worse acuity or a more negative SE never makes a child less myopic."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from mofang.governance.vision import engine
from mofang.governance.vision.engine import HIGH, LOW, MODERATE, MYOPIA, NORMAL, POOR, Eye, classify


def eye(acuity, s=None, c=None):
    return Eye(D(acuity), None if s is None else D(s), None if c is None else D(c))


def test_se_is_sphere_plus_half_cylinder():
    assert eye("4.8", "-1.00", "-0.50").se == D("-1.25")
    assert eye("4.8", "-1.00").se == D("-1.00")
    assert eye("4.8").se is None


def test_good_acuity_is_not_myopia_whatever_the_refraction():
    assert classify(eye("5.0", "-1.00"), eye("5.1")).status == NORMAL


def test_poor_acuity_and_se_below_minus_half_is_screening_myopia():
    r = classify(eye("4.9", "-0.50", "-0.50"), eye("5.0"))  # SE −0.75
    assert r == engine.Result(MYOPIA, LOW)


def test_se_of_exactly_minus_half_is_not_myopia():
    assert classify(eye("4.8", "-0.50"), eye("5.0")).status == POOR


def test_poor_acuity_without_refraction_is_poor_vision_only():
    assert classify(eye("4.6"), eye("4.7")).status == POOR


def test_poor_acuity_with_hyperopic_refraction_is_poor_vision():
    assert classify(eye("4.8", "+1.50"), eye("5.0")).status == POOR


def test_ok_lenses_count_as_myopic_even_with_good_acuity():
    r = classify(eye("5.0"), eye("5.0"), engine.ORTHOK)
    assert r.status == MYOPIA and r.degree == ""


def test_degrees_by_the_more_myopic_eye():
    assert classify(eye("4.5", "-3.00"), eye("4.9", "-1.00")).degree == LOW
    assert classify(eye("4.5", "-3.25"), eye("4.9", "-1.00")).degree == MODERATE
    assert classify(eye("4.0", "-6.00"), eye("4.9", "-1.00")).degree == MODERATE
    assert classify(eye("4.0", "-5.75", "-0.75"), eye("4.9", "-1.00")).degree == HIGH  # SE −6.125
    # the left eye's −7 does not count: its acuity is 5.0, so it is not a screening-myopic eye
    assert classify(eye("4.8", "-1.00"), eye("5.0", "-7.00")).degree == LOW


def test_checks_of_the_values():
    assert engine.check_acuity(D("4.0")) == "" and engine.check_acuity(D("5.3")) == ""
    assert "4.0～5.3" in engine.check_acuity(D("5.4"))
    assert "4.0～5.3" in engine.check_acuity(D("3.9"))
    assert "0.1" in engine.check_acuity(D("4.85"))
    assert engine.check_diopter(D("-1.25"), 30, "球镜") == ""
    assert "0.25" in engine.check_diopter(D("-1.1"), 30, "球镜")
    assert engine.check_axis(180) == "" and engine.check_axis(181)


acuities = st.integers(40, 53).map(lambda n: D(n) / 10)
diopters = st.one_of(st.none(), st.integers(-60, 24).map(lambda n: D(n) / 4))
glasses = st.sampled_from(["none", "frame", "orthok", "contact"])


def severity(r):
    return (engine.RANK[r.status], engine.DEGREE_RANK[r.degree])


@given(acuities, diopters, diopters, acuities, diopters, glasses, st.integers(0, 13), st.integers(0, 24))
def test_worse_eyes_never_make_a_child_less_myopic(a, s, c, other, other_s, g, drop, minus):
    base = classify(Eye(a, s, c), Eye(other, other_s), g)
    worse_acuity = max(a - D(drop) / 10, engine.ACUITY_MIN)
    worse_s = None if s is None else s - D(minus) / 4
    worse = classify(Eye(worse_acuity, worse_s, c), Eye(other, other_s), g)
    assert severity(worse) >= severity(base)
    # and the eyes are interchangeable
    assert classify(Eye(other, other_s), Eye(a, s, c), g) == base
