"""AMS scoring: totals, sub-scores and bands (Heinemann et al. 2003)."""

from __future__ import annotations

import pytest

from hpgjournal.domain.ams import ITEMS, SUBSCALES, decode, encode, score


def test_seventeen_items_each_in_exactly_one_subscale():
    numbers = sorted(n for items in SUBSCALES.values() for n in items)
    assert len(ITEMS) == 17 and numbers == list(range(1, 18))
    assert [len(v) for v in SUBSCALES.values()] == [5, 7, 5]


@pytest.mark.parametrize("answers, total, severity", [
    ([1] * 17, 17, "no"), ([5] * 17, 85, "severe"),
    ([1] * 8 + [2] * 9, 26, "no"), ([2] * 10 + [1] * 7, 27, "mild"),
    ([2] * 17 + [], 34, "mild"), ([3] * 3 + [2] * 14, 37, "moderate"),
    ([3] * 15 + [2] * 2, 49, "moderate"), ([3] * 16 + [2], 50, "severe"),
])
def test_totals_and_bands(answers, total, severity):
    result = score(answers)
    assert (result.total, result.severity) == (total, severity)


def test_subscores_add_the_right_items():
    answers = [1] * 17
    answers[5] = 5   # item 6, irritability: psychological
    answers[15] = 4  # item 16, morning erections: sexual
    result = score(answers)
    assert result.subscores == {"psychological": 9, "somato-vegetative": 7, "sexual": 8}


@pytest.mark.parametrize("answers", [[1] * 16, [1] * 16 + [6], [0] + [1] * 16])
def test_incomplete_or_wrong_answers_are_refused(answers):
    with pytest.raises(ValueError, match=r"question|questions"):
        score(answers)


def test_answers_round_trip():
    answers = [1, 2, 3, 4, 5] * 3 + [1, 2]
    assert decode(encode(answers)) == answers
