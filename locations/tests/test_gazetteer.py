"""The gazetteer's plain parts: the Indonesian postcode pattern, whole and inside text."""

import pytest

from locations.gazetteer import ID_POSTCODE, POSTCODE_IN_TEXT


def test_five_ascii_digits_are_an_indonesian_postcode():
    assert ID_POSTCODE.fullmatch("40115")


@pytest.mark.parametrize("text", ["4011", "401150", "40115\n", " 40115", "4011a", "٤٠١١٥"])
def test_anything_but_exactly_five_ascii_digits_is_not_an_indonesian_postcode(text):
    assert ID_POSTCODE.fullmatch(text) is None


def test_a_postcode_inside_text_is_five_digits_that_are_not_part_of_a_longer_number():
    text = "Jl. Braga No. 123456, Bandung 40115"
    assert POSTCODE_IN_TEXT.findall(text) == ["40115"]
