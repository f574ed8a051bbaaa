"""The gazetteer's plain parts: folding text, and the Indonesian postcode pattern, whole
and inside text."""

import pytest

from locations.gazetteer import ID_POSTCODE, POSTCODE_IN_TEXT, _fold_any, fold


def test_five_ascii_digits_are_an_indonesian_postcode():
    assert ID_POSTCODE.fullmatch("40115")


@pytest.mark.parametrize("text", ["4011", "401150", "40115\n", " 40115", "4011a", "٤٠١١٥"])
def test_anything_but_exactly_five_ascii_digits_is_not_an_indonesian_postcode(text):
    assert ID_POSTCODE.fullmatch(text) is None


def test_a_postcode_inside_text_is_five_digits_that_are_not_part_of_a_longer_number():
    text = "Jl. Braga No. 123456, Bandung 40115"
    assert POSTCODE_IN_TEXT.findall(text) == ["40115"]


@pytest.mark.parametrize(
    "text", ["Jl. Braga No. 12, Bandung 40111", "Plaza Semanggi Lt.2", "Bau-Bau", "", " a\tB "]
)
def test_folding_ascii_text_by_table_reads_as_folding_it_character_by_character(text):
    assert fold(text) == _fold_any(text)


def test_folding_drops_accents_and_case():
    assert fold("Café  Ñusa, BALI") == "cafe nusa bali"
