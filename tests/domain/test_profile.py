"""The profile's rules: what is accepted, and a wrong value refused with its field."""

from __future__ import annotations

from datetime import date

import pytest

from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.profile import age_on, check_profile

TODAY = date(2026, 12, 1)


def test_values_are_cleaned_up():
    assert check_profile({"name": "  Sam   Demo ", "birth_date": "1985-03-14", "goal": ""},
                         TODAY) == {"name": "Sam Demo", "birth_date": "1985-03-14", "goal": ""}
    assert age_on("1985-03-14", TODAY) == 41 and age_on("", TODAY) is None
    assert age_on("1985-12-02", TODAY) == 40  # the birthday is tomorrow


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"birth_date": "14.03.1985"}, "birth_date", "YYYY-MM-DD"),
    ({"birth_date": "2030-01-01"}, "birth_date", "check the year"),
    ({"birth_date": "1900-01-01"}, "birth_date", "check the year"),
    ({"goal": "bulk"}, "goal", "restore_fertility"),
    ({"name": "x" * 121}, "name", "longer than 120"),
    ({"shoe_size": "44"}, "shoe_size", "not part of the profile"),
])
def test_wrong_values_are_refused_with_their_field(values, field, words):
    with pytest.raises(ValidationError) as caught:
        check_profile(values, TODAY)
    assert caught.value.field == field and words in str(caught.value)
