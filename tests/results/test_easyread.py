"""Easy-read results (pure): "n of m said yes", the people drawn, and the change only where the run chart shows it."""
import pytest

from survey.results.easyread import Answer, change


def test_ten_or_fewer_are_drawn_as_the_real_people():
    answer = Answer(said=6, answered=8)
    assert answer.exact and answer.out_of == (6, 8)
    assert answer.people == [True] * 6 + [False] * 2


@pytest.mark.parametrize(("said", "answered", "of_ten"), [(17, 23, 7), (5, 11, 5), (1, 40, 0), (39, 40, 10),
                                                          (35, 70, 5)])
def test_more_than_ten_are_said_as_the_nearest_n_of_ten(said, answered, of_ten):
    answer = Answer(said=said, answered=answered)
    assert not answer.exact and answer.out_of == (of_ten, 10)
    assert answer.people.count(True) == of_ten and len(answer.people) == 10


def test_a_shift_that_includes_the_newest_period_is_a_change():
    low, high = [0.2, 0.25, 0.2, 0.3, 0.25, 0.2, 0.3, 0.25], [0.7, 0.75, 0.8, 0.7, 0.75, 0.8, 0.7, 0.75]
    assert change(low + high) == "more"  # 16 points: a run of 8 on one side of the median is longer than 7
    assert change(high + low) == "fewer"


def test_too_few_crossings_ending_in_a_run_are_a_change():
    assert change([0.2] * 6 + [0.8] * 6) == "more"  # 12 points, one crossing where at least 3 are expected
    assert change([0.8] * 6 + [0.2] * 6) == "fewer"


def test_ups_and_downs_are_about_the_same():
    assert change([0.4, 0.6] * 5) == "same"


def test_too_few_periods_say_nothing():
    assert change([0.2, 0.9]) is None
    assert change([0.5, None, 0.6, None, 0.7]) is None
    assert change([]) is None


def test_a_signal_that_the_newest_period_is_not_part_of_says_nothing():
    assert change([0.2] * 8 + [0.8, 0.1, 0.8]) is None
    assert change([0.8] * 5 + [0.2] * 6 + [0.8]) is None  # few crossings, but the newest point stands alone
