"""Every page in each of the three languages: a label the page shows in English is shown
translated in Bahasa Indonesia and in Chinese, by the language the browser asks for or the
one the switcher chose."""

import re
from datetime import UTC, datetime, time
from html import unescape

import pytest
from django.conf import settings
from django.utils.translation import trans_real

from .factories import OpeningRangeFactory, OutletFactory, SpecialHoursFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LANGUAGES = ("en", "id", "zh-hans")
#: Thursday 2026-12-24, 12:00 WIB: Christmas is ahead, so the holiday notices show too.
NOW = datetime(2026, 12, 24, 5, 0, tzinfo=UTC)


@pytest.fixture
def braga(gazetteer):
    outlet = OutletFactory(
        code="AX-BDG-01",
        kind="store",
        name="AXIS Store Braga",
        province="Jawa Barat",
        city="Bandung",
        latitude=-6.917464,
        longitude=107.619123,
        services=["topup", "esim_activation"],
        closed_on_public_holidays=True,
    )
    for weekday in range(7):
        OpeningRangeFactory(outlet=outlet, weekday=weekday, opens=time(9), closes=time(21))
    SpecialHoursFactory(
        outlet=outlet,
        start_date=datetime(2026, 12, 31).date(),
        end_date=datetime(2026, 12, 31).date(),
        opens=time(9),
        closes=time(15),
        reason="",
    )
    OutletFactory(code="AX-BDG-02", kind="kiosk", province="Jawa Barat", city="Bandung")
    return outlet


PAGES = {
    "locator": lambda outlet: "/",
    "search": lambda outlet: "/?q=40115",
    "outlet": lambda outlet: outlet.get_absolute_url(),
    "provinces": lambda outlet: "/outlets/",
    "province": lambda outlet: "/outlets/jawa-barat/",
    "city": lambda outlet: "/outlets/jawa-barat/bandung/",
    "offline": lambda outlet: "/offline/",
    "not found": lambda outlet: "/outlets/jawa-barat/nowhere/",
}


def words(html: str) -> set[str]:
    """What a person reads or hears on the page: its text between tags and the values of
    its attributes (labels, titles, the wording scripts show), without its scripts' code
    and its styles."""
    html = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    found = {" ".join(unescape(text).split()) for text in re.split(r"<[^>]*>", html)}
    # Attributes read aloud or shown, and the wording for scripts (data-*, with a space).
    named = r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"'
    found |= {" ".join(unescape(value).split()) for value in re.findall(named, html)}
    for value in re.findall(r'\bdata-[a-z-]+="([^"]* [^"]*)"', html):
        found.add(" ".join(unescape(value).split()))
    # The switcher names each language in its own words.
    return found - {"", "English", "Bahasa Indonesia", "简体中文"}


def catalogue(language: str) -> dict[str, str]:
    """The translations the pages use in ``language`` (this project's and Django's), by
    English label; a label left untranslated is not in it."""
    catalog = trans_real.translation(language)._catalog
    return {
        key.split("\x04")[-1]: catalog[key]
        for key in catalog.keys()  # noqa: SIM118 (a TranslationCatalog has no __iter__)
        if isinstance(key, str) and "%(" not in key and "{" not in key
    }


def english_labels() -> set[str]:
    """Every label either translation has, as the English pages show it."""
    return {
        label
        for language in ("id", "zh-hans")
        for label, translation in catalogue(language).items()
        if len(label) > 1 and translation != label
    }


@pytest.mark.parametrize("language", ["id", "zh-hans"])
@pytest.mark.parametrize("name", PAGES)
def test_no_english_label_is_left_on_a_page(client, braga, name, language):
    path = PAGES[name](braga)
    english = words(client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == (404 if name == "not found" else 200)
    assert response["Content-Language"] == language
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    shown = english_labels() & english
    assert len(shown) >= 5, "the page shows labels from the catalogue"
    translated = catalogue(language)
    # Left in English: shown as it is in English, and not because it reads so in both.
    assert {label for label in shown & words(html) if translated.get(label) != label} == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_switcher_s_choice_wins_over_the_browser_s_language(client, braga, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    response = client.get("/outlets/", HTTP_ACCEPT_LANGUAGE="en" if language != "en" else "id")
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()


def test_the_switcher_offers_the_three_languages_each_in_its_own_words(client, braga):
    html = client.get("/").content.decode()
    offered = re.findall(
        r'<button type="submit" name="language" value="([^"]+)"[^>]*>([^<]+)<', html
    )
    assert offered == [("en", "English"), ("id", "Bahasa Indonesia"), ("zh-hans", "简体中文")]


def test_a_status_and_the_hours_read_in_chinese(client, braga):
    html = client.get(braga.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    status = re.search(r'data-state="open"[^>]*>(.*?)</', html, re.S)
    assert status and "营业中" in unescape(status[1])
    assert "圣诞节" in html  # the holiday that closes it, in the week's hours and the notice
