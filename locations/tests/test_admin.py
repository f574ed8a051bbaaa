"""The staff screens: outlet list and form with hours inlines, actions, import and export."""

import csv
import io
import re
import sys
from datetime import UTC, date, datetime, time

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from locations.columns import COLUMN_GUIDE
from locations.models import HolidayDate, Outlet, PendingImport, Service, SpecialHours

from .factories import (
    HolidayDateFactory,
    OpeningRangeFactory,
    OutletFactory,
    SpecialHoursFactory,
)
from .outlet_files import csv_bytes, row
from .test_importers import spreadsheet_csv

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:locations_outlet_changelist")
ADD = reverse("admin:locations_outlet_add")
IMPORT = reverse("admin:locations_outlet_import")
EXPORT = reverse("admin:locations_outlet_export")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The admin user's password hashes fast (static storage is set in conftest.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def outlets(vocabularies):
    """Three outlets that differ in every searched and filtered field."""
    OutletFactory(
        code="AX-BDG-1",
        kind=Outlet.Kind.STORE,
        name="AXIS Store Braga",
        city="Bandung",
        province="Jawa Barat",
        postcode="40111",
        services=["topup", "esim_activation"],
    )
    OutletFactory(
        code="AX-SBY-1",
        kind=Outlet.Kind.KIOSK,
        name="AXIS Kiosk Tunjungan",
        city="Surabaya",
        province="Jawa Timur",
        postcode="60261",
        status=Outlet.Status.TEMPORARILY_CLOSED,
        services=["topup"],
    )
    OutletFactory(
        code="AX-MKS-1",
        kind=Outlet.Kind.STORE,
        name="AXIS Store Losari",
        city="Makassar",
        province="Sulawesi Selatan",
        postcode="90111",
        latitude=-5.1477,
        longitude=119.4327,
        timezone="Asia/Makassar",
        closed_on_public_holidays=True,
        services=["sim_replacement"],
    )


def listed_codes(client, **query) -> list[str]:
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return [outlet.code for outlet in response.context["cl"].result_list]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Changelist ----------------------------------------------------------------------------


def test_changelist_lists_outlets_by_code(admin_client, outlets):
    assert listed_codes(admin_client) == ["AX-BDG-1", "AX-MKS-1", "AX-SBY-1"]


def test_changelist_shows_each_outlets_status_now(admin_client, vocabularies):
    always = OutletFactory(code="AX-24")
    for weekday in range(7):
        OpeningRangeFactory(outlet=always, weekday=weekday, opens=time(0), closes=time(0))
    OutletFactory(code="AX-NO-HOURS")
    content = admin_client.get(CHANGELIST).content.decode()
    assert '<td class="field-status_now">Open 24 hours</td>' in content
    assert '<td class="field-status_now">Closed</td>' in content


@pytest.mark.parametrize(
    ("search", "codes"),
    [
        ("AX-SBY", ["AX-SBY-1"]),
        ("losari", ["AX-MKS-1"]),
        ("Bandung", ["AX-BDG-1"]),
        ("60261", ["AX-SBY-1"]),
        ("AXIS Store", ["AX-BDG-1", "AX-MKS-1"]),
    ],
    ids=["code", "name", "city", "postcode", "several"],
)
def test_changelist_search_finds_by_code_name_city_and_postcode(
    admin_client, outlets, search, codes
):
    assert listed_codes(admin_client, q=search) == codes


def test_changelist_filters_by_kind(admin_client, outlets):
    assert listed_codes(admin_client, kind__exact="kiosk") == ["AX-SBY-1"]


def test_changelist_filters_by_province(admin_client, outlets):
    assert listed_codes(admin_client, province="Sulawesi Selatan") == ["AX-MKS-1"]


def test_changelist_filters_by_status(admin_client, outlets):
    assert listed_codes(admin_client, status__exact="active") == ["AX-BDG-1", "AX-MKS-1"]


def test_changelist_filters_by_service(admin_client, outlets):
    topup = Service.objects.get(slug="topup")
    assert listed_codes(admin_client, services__id__exact=topup.pk) == ["AX-BDG-1", "AX-SBY-1"]


def test_changelist_queries_do_not_grow_with_the_outlets(
    admin_client, outlets, django_assert_max_num_queries
):
    admin_client.get(CHANGELIST)  # the session and user, loaded once
    with django_assert_max_num_queries(20) as few:
        admin_client.get(CHANGELIST)
    for number in range(20):
        OutletFactory(code=f"AX-MORE-{number}", closed_on_public_holidays=number % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(CHANGELIST)


# Change form with hours inlines ---------------------------------------------------------


def form_data(outlet_fields: dict, ranges=(), special_hours=(), initial_ranges=0) -> dict:
    """The POST of the outlet form: fields, then the two inlines' rows."""
    data = {
        "code": "AX-NEW",
        "kind": "store",
        "name": "AXIS Store Dago",
        "address": "Jl. Ir. H. Juanda No. 8",
        "city": "Bandung",
        "province": "Jawa Barat",
        "postcode": "40132",
        "country": "ID",
        "latitude": "-6.8915",
        "longitude": "107.6107",
        "timezone": "",
        "phone": "",
        "status": "active",
        **outlet_fields,
    }
    for prefix, rows, initial in (
        ("opening_ranges", ranges, initial_ranges),
        ("special_hours", special_hours, 0),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(initial),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, fields in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def test_add_form_has_the_inline_management_forms(admin_client, vocabularies):
    content = admin_client.get(ADD).content.decode()
    assert 'name="opening_ranges-TOTAL_FORMS"' in content
    assert 'name="special_hours-TOTAL_FORMS"' in content


def test_change_form_saves_the_outlet_with_its_inlines(admin_client, vocabularies):
    outlet = OutletFactory(code="AX-1", name="Old name")
    monday = OpeningRangeFactory(outlet=outlet, weekday=0, opens=time(9), closes=time(17))
    topup = Service.objects.get(slug="topup")
    data = form_data(
        {"code": "AX-1", "name": "New name", "services": [topup.pk]},
        ranges=[
            {"id": monday.pk, "weekday": "0", "opens": "09:00", "closes": "21:00"},
            {"weekday": "1", "opens": "22:00", "closes": "02:00"},
        ],
        special_hours=[{"start_date": "2026-12-25", "end_date": "2026-12-25", "reason": "Natal"}],
        initial_ranges=1,
    )
    response = admin_client.post(reverse("admin:locations_outlet_change", args=[outlet.pk]), data)
    assert response.status_code == 302
    outlet.refresh_from_db()
    assert (outlet.name, outlet.slug, outlet.timezone) == (
        "New name",
        "new-name--ax-1",
        "Asia/Jakarta",
    )
    assert list(outlet.services.values_list("slug", flat=True)) == ["topup"]
    assert list(outlet.opening_ranges.values_list("weekday", "opens", "closes")) == [
        (0, time(9), time(21)),
        (1, time(22), time(2)),
    ]
    assert list(outlet.special_hours.values_list("start_date", "opens", "reason")) == [
        (date(2026, 12, 25), None, "Natal")
    ]


def test_add_form_derives_a_blank_timezone(admin_client, vocabularies):
    data = form_data({"latitude": "-2.5337", "longitude": "140.7181", "postcode": "99111"})
    assert admin_client.post(ADD, data).status_code == 302
    assert Outlet.objects.get(code="AX-NEW").timezone == "Asia/Jayapura"


def test_overlapping_weekly_ranges_are_refused_and_nothing_saved(admin_client, vocabularies):
    data = form_data(
        {},
        ranges=[
            {"weekday": "0", "opens": "09:00", "closes": "12:00"},
            {"weekday": "0", "opens": "11:00", "closes": "13:00"},
        ],
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "Mo: ranges overlap at 11:00" in response.content.decode()
    assert not Outlet.objects.exists()


def test_closed_special_row_and_row_with_hours_on_the_same_dates_are_refused(
    admin_client, vocabularies
):
    day = {"start_date": "2026-12-24", "end_date": "2026-12-24"}
    data = form_data({}, special_hours=[day, {**day, "opens": "10:00", "closes": "15:00"}])
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert (
        "2026-12-24: a closed row and rows with hours cover the same dates."
        in response.content.decode()
    )
    assert not Outlet.objects.exists()


def test_special_hours_reason_with_a_double_quote_is_refused(admin_client, vocabularies):
    day = {"start_date": "2026-12-24", "end_date": "2026-12-24", "reason": 'Malam "Natal"'}
    response = admin_client.post(ADD, form_data({}, special_hours=[day]))
    assert response.status_code == 200
    assert "A reason cannot contain a double quote" in response.content.decode()
    assert not Outlet.objects.exists()


def test_country_in_lower_case_is_refused_naming_the_capitals(admin_client, vocabularies):
    response = admin_client.post(ADD, form_data({"country": "id"}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "country": ["Write the country code in capitals: “ID”."]
    }
    assert not Outlet.objects.exists()


def test_unknown_country_is_refused(admin_client, vocabularies):
    response = admin_client.post(ADD, form_data({"country": "XX", "postcode": ""}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "country": ["“XX” is not an ISO 3166-1 alpha-2 country code such as ID."]
    }
    assert not Outlet.objects.exists()


def test_code_that_names_another_api_endpoint_is_refused(admin_client, vocabularies):
    response = admin_client.post(ADD, form_data({"code": "Clusters"}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "code": ["“Clusters” is reserved: /api/v1/outlets/Clusters/ is another endpoint."]
    }
    assert not Outlet.objects.exists()


def test_change_form_shows_the_hours_in_osm_syntax(admin_client, vocabularies):
    outlet = OutletFactory(closed_on_public_holidays=True)
    for weekday in range(5):
        OpeningRangeFactory(outlet=outlet, weekday=weekday)
    response = admin_client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    assert "Mo-Fr 09:00-17:00; PH off" in response.content.decode()


# Actions --------------------------------------------------------------------------------


def test_mark_temporarily_closed_action_changes_only_the_selected(admin_client, outlets):
    selected = Outlet.objects.filter(code__in=["AX-BDG-1", "AX-SBY-1"])
    response = admin_client.post(
        CHANGELIST,
        {"action": "mark_temporarily_closed", "_selected_action": [o.pk for o in selected]},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["2 outlets marked temporarily closed."]
    assert dict(Outlet.objects.values_list("code", "status")) == {
        "AX-BDG-1": "temporarily_closed",
        "AX-MKS-1": "active",
        "AX-SBY-1": "temporarily_closed",
    }


def test_mark_active_action_reopens_the_selected(admin_client, outlets):
    kiosk = Outlet.objects.get(code="AX-SBY-1")
    admin_client.post(CHANGELIST, {"action": "mark_active", "_selected_action": [kiosk.pk]})
    kiosk.refresh_from_db()
    assert kiosk.status == Outlet.Status.ACTIVE


def test_export_selected_action_returns_only_the_selected_as_csv(admin_client, outlets):
    selected = Outlet.objects.filter(code__in=["AX-SBY-1", "AX-MKS-1"])
    response = admin_client.post(
        CHANGELIST, {"action": "export_selected", "_selected_action": [o.pk for o in selected]}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["code"] for r in rows] == ["AX-MKS-1", "AX-SBY-1"]


# Import screen --------------------------------------------------------------------------


def upload(data: bytes, name: str = "outlets.csv") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "format": ""}


def token_in(page: str) -> str:
    """The token of the file that a preview's form confirms or cancels."""
    match = re.search(r'<input type="hidden" name="token" value="([^"]+)">', page)
    assert match, "the preview's form carries no token"
    return match.group(1)


def preview(client, data: bytes, name: str = "outlets.csv") -> str:
    """Upload a file as a tab does; the token of its preview."""
    response = client.post(IMPORT, upload(data, name))
    assert "result" in response.context
    return token_in(response.content.decode())


def confirm(client, token: str):
    return client.post(IMPORT, {"confirm": "Confirm import", "token": token})


@pytest.fixture
def existing(vocabularies):
    return OutletFactory(code="AX-EXISTING", name="Before")


def test_import_page_shows_the_upload_form(admin_client, db):
    response = admin_client.get(IMPORT)
    assert response.status_code == 200
    assert 'type="file" name="file"' in response.content.decode()


def test_import_of_a_bad_file_shows_every_error_and_writes_nothing(admin_client, existing):
    data = csv_bytes(
        row(code="AX-EXISTING", name="After"), row(kind="shop"), row(code="AX-2", latitude="91")
    )
    response = admin_client.post(IMPORT, upload(data))
    assert response.status_code == 200
    assert response.context["errors"] == [
        "line 3: kind: unknown kind 'shop' (store or kiosk)",
        "line 4: latitude: 91 is out of range (-90 to 90)",
    ]
    content = response.content.decode()
    assert "The file has 2 errors; nothing was imported." in content
    assert "line 3: kind: unknown kind &#x27;shop&#x27; (store or kiosk)" in content
    assert list(Outlet.objects.values_list("code", "name")) == [("AX-EXISTING", "Before")]
    assert not PendingImport.objects.exists()


def test_import_of_a_good_file_shows_a_preview_and_writes_nothing(admin_client, existing):
    data = csv_bytes(row(code="AX-EXISTING", name="After"), row(code="AX-NEW"))
    response = admin_client.post(IMPORT, upload(data))
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.updated) == (["AX-NEW"], ["AX-EXISTING"])
    assert [(r.code, is_new) for r, is_new in response.context["preview"]] == [
        ("AX-EXISTING", False),
        ("AX-NEW", True),
    ]
    content = response.content.decode()
    assert "1 outlet will be created,\n      1 outlet updated." in content
    assert "<td>AX-NEW</td>" in content
    assert 'name="confirm"' in content
    assert token_in(content) == response.context["token"] == PendingImport.objects.get().token
    assert list(Outlet.objects.values_list("code", "name")) == [("AX-EXISTING", "Before")]


def test_confirming_the_preview_writes_the_import_and_returns_to_the_list(admin_client, existing):
    data = csv_bytes(row(code="AX-EXISTING", name="After"), row(code="AX-NEW"))
    response = confirm(admin_client, preview(admin_client, data))
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert messages_of(response) == ["Imported outlets.csv: 1 created, 1 updated."]
    assert list(Outlet.objects.values_list("code", "name")) == [
        ("AX-EXISTING", "After"),
        ("AX-NEW", "AXIS Store Bandung Dago"),
    ]
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("token", [None, "unknown"])
def test_confirm_without_a_pending_import_warns_and_writes_nothing(admin_client, existing, token):
    form = {"confirm": "Confirm import"} | ({"token": token} if token else {})
    response = admin_client.post(IMPORT, form)
    assert response.status_code == 302
    assert response["Location"] == IMPORT
    assert messages_of(response) == ["Nothing to import: upload the file again."]
    assert Outlet.objects.count() == 1


def test_import_reads_the_format_from_the_file_name(admin_client, vocabularies):
    data = b'[{"code": "AX-J", "kind": "kiosk", "name": "Kiosk", "latitude": -6.2,'
    data += b' "longitude": 106.8, "opening_hours": "24/7"}]'
    confirm(admin_client, preview(admin_client, data, "outlets.json"))
    assert Outlet.objects.get().code == "AX-J"


# Export screen --------------------------------------------------------------------------


def test_export_returns_every_outlet_as_a_csv_attachment(admin_client, outlets):
    response = admin_client.get(EXPORT, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="outlets-')
    assert response["Content-Disposition"].endswith('.csv"')
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "code,kind,name,address,city,province,postcode,country,latitude,longitude,timezone,"
        "phone,services,payment_methods,opening_hours,status"
    )
    assert [line.split(",")[0] for line in lines[1:]] == ["AX-BDG-1", "AX-MKS-1", "AX-SBY-1"]


def test_export_geojson_is_a_feature_collection(admin_client, outlets):
    response = admin_client.get(EXPORT, {"format": "geojson"})
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    assert response.json()["type"] == "FeatureCollection"


def test_import_and_export_need_permissions(client, outlets):
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(EXPORT).status_code == 403
    assert client.get(IMPORT).status_code == 403


# No GDAL --------------------------------------------------------------------------------


def test_admin_pages_load_without_gdal(admin_client, outlets):
    outlet = Outlet.objects.get(code="AX-BDG-1")
    for url in (
        reverse("admin:index"),
        CHANGELIST,
        ADD,
        reverse("admin:locations_outlet_change", args=[outlet.pk]),
        IMPORT,
    ):
        assert admin_client.get(url).status_code == 200, url
    assert "leaflet.admin" not in sys.modules
    assert not [name for name in sys.modules if name.startswith("django.contrib.gis")]


# The map under the coordinates ---------------------------------------------------------


def map_element(content: str) -> str:
    """The opening tag of the outlet form's map."""
    found = re.search(r'<div id="outlet-map"[^>]*>', content)
    assert found, "no map on the form"
    return found.group(0)


def test_change_form_has_the_map_at_the_outlets_coordinates(admin_client, vocabularies):
    outlet = OutletFactory(latitude=-6.9175, longitude=107.6191)
    content = admin_client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    content = content.content.decode()
    tag = map_element(content)
    assert 'data-latitude="-6.917500"' in tag
    assert 'data-longitude="107.619100"' in tag
    assert 'data-latitude-field="id_latitude"' in tag
    assert 'aria-label="Map of the outlet’s location"' in tag
    assert "Click the map or drag the pin" in content
    assert 'src="/static/locations/admin-map.js"' in content
    assert 'src="/static/leaflet/leaflet.js"' in content
    assert "callback: window.axisfinderAdminMap" in content


def test_map_sits_after_the_fieldset_with_the_coordinates(admin_client, vocabularies):
    content = admin_client.get(ADD).content.decode()
    assert content.index('name="longitude"') < content.index('id="outlet-map"')
    assert content.index('id="outlet-map"') < content.index('name="services"')


def test_add_form_has_the_map_without_a_pin(admin_client, vocabularies):
    content = admin_client.get(ADD).content.decode()
    assert "data-latitude=" not in map_element(content)
    assert 'src="/static/locations/admin-map.js"' in content


def test_map_writes_coordinates_with_a_dot_in_indonesian(admin_client, vocabularies):
    outlet = OutletFactory(latitude=-6.9175, longitude=107.6191)
    admin_client.cookies["django_language"] = "id"
    response = admin_client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    assert response["Content-Language"] == "id"
    assert 'data-latitude="-6.917500"' in map_element(response.content.decode())


def test_map_for_staff_who_may_only_view_says_what_the_pin_marks(client, vocabularies):
    outlet = OutletFactory()
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outlet"))
    client.force_login(viewer)
    content = client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    content = content.content.decode()
    assert 'data-latitude="-6.917500"' in map_element(content)
    assert "The pin marks the outlet’s latitude and longitude." in content
    assert "Click the map" not in content


# Spreadsheet files, the column guide and the template ---------------------------------

IMPORT_TEMPLATE = reverse("admin:locations_outlet_import_template")


def test_import_accepts_a_semicolon_file_with_decimal_commas(admin_client, vocabularies):
    data = spreadsheet_csv(row(latitude="-6.917464", longitude="107.619123"))
    confirm(admin_client, preview(admin_client, data))
    outlet = Outlet.objects.get()
    assert (outlet.code, outlet.latitude, outlet.longitude) == ("AX-NEW", -6.917464, 107.619123)


def test_import_page_lists_every_column_with_an_example(admin_client, db):
    content = admin_client.get(IMPORT).content.decode()
    table = content[content.index('id="import-columns"') :]
    for column in COLUMN_GUIDE:
        assert f"<td><code>{column.name}</code></td>" in table
    assert "<td><code>-6.917464</code></td>" in table
    assert f'href="{IMPORT_TEMPLATE}"' in content
    assert "Download a template" in content


def test_template_download_is_a_csv_with_the_header_and_one_example_row(admin_client, db):
    response = admin_client.get(IMPORT_TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="outlets-template.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    examples = {column.name: column.example for column in COLUMN_GUIDE}
    # The phone number starts with +, which a spreadsheet would run: it gets a quote.
    assert rows == [{**examples, "phone": "'" + examples["phone"]}]


def test_template_download_needs_the_import_permissions(client, db):
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_outlet"))
    client.force_login(clerk)
    assert client.get(IMPORT_TEMPLATE).status_code == 403
    client.logout()
    assert client.get(IMPORT_TEMPLATE).status_code == 302  # to the sign-in page


# Export of what the list shows ----------------------------------------------------------


def exported_codes(response) -> list[str]:
    assert response.status_code == 200
    return [r["code"] for r in csv.DictReader(io.StringIO(response.content.decode()))]


def test_export_takes_the_lists_filter(admin_client, outlets):
    response = admin_client.get(EXPORT, {"format": "csv", "kind__exact": "kiosk"})
    assert exported_codes(response) == ["AX-SBY-1"]


def test_export_takes_the_lists_search(admin_client, outlets):
    response = admin_client.get(EXPORT, {"format": "csv", "q": "Store", "kind__exact": "store"})
    assert exported_codes(response) == ["AX-BDG-1", "AX-MKS-1"]


def test_export_geojson_takes_the_lists_filter(admin_client, outlets):
    response = admin_client.get(EXPORT, {"format": "geojson", "province": "Jawa Timur"})
    assert [f["id"] for f in response.json()["features"]] == ["AX-SBY-1"]


def test_export_with_an_unknown_filter_is_refused(admin_client, outlets):
    assert admin_client.get(EXPORT, {"format": "csv", "colour": "red"}).status_code == 400


def test_changelist_export_links_carry_the_lists_filters(admin_client, outlets):
    content = admin_client.get(CHANGELIST, {"kind__exact": "kiosk", "q": "Kiosk"}).content.decode()
    assert f'href="{EXPORT}?kind__exact=kiosk&amp;q=Kiosk&amp;format=csv"' in content
    assert f'href="{EXPORT}?kind__exact=kiosk&amp;q=Kiosk&amp;format=geojson"' in content


# Holiday screen and the outlet's coming weeks --------------------------------------------

HOLIDAYS = reverse("admin:locations_holidaydate_changelist")
ADD_HOLIDAY = reverse("admin:locations_holidaydate_add")
#: 06:30 WIB on Tuesday 1 December 2026, still 30 November on the server's clock (UTC).
MORNING_IN_JAKARTA = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


@pytest.fixture
def jakarta_morning(monkeypatch):
    monkeypatch.setattr("locations.admin.timezone.now", lambda: MORNING_IN_JAKARTA)


def calendar_rows(response, country="ID") -> dict[date, dict]:
    return {
        day["date"]: day
        for code, days in response.context["calendar_holidays"]
        if code == country
        for day in days
    }


def test_holiday_screen_lists_the_calendars_holidays_of_the_next_twelve_months(
    admin_client, jakarta_morning
):
    response = admin_client.get(HOLIDAYS)
    days = calendar_rows(response)
    assert days[date(2026, 12, 25)]["name"] == "Christmas Day"
    assert days[date(2027, 8, 17)]["name"] == "Independence Day"
    assert min(days) >= date(2026, 12, 1)
    assert max(days) <= date(2027, 12, 1)
    assert "Eid al-Fitr (estimated)" in response.content.decode()


def test_holiday_screen_lists_the_countries_of_the_outlets(admin_client, jakarta_morning):
    OutletFactory(code="AX-SG-1", country="SG", timezone="Asia/Singapore")
    response = admin_client.get(HOLIDAYS)
    assert [code for code, days in response.context["calendar_holidays"]] == ["ID", "SG"]


def test_holiday_screen_marks_the_staffs_additions_and_removals(admin_client, jakarta_morning):
    removed = HolidayDateFactory(date=date(2026, 12, 25), name="", is_holiday=False)
    added = HolidayDateFactory(date=date(2026, 12, 24), name="Cuti bersama", is_holiday=True)
    response = admin_client.get(HOLIDAYS)
    days = calendar_rows(response)
    assert days[date(2026, 12, 25)]["correction"] == removed
    assert days[date(2026, 12, 25)]["in_calendar"]
    assert days[date(2026, 12, 24)]["correction"] == added
    assert not days[date(2026, 12, 24)]["in_calendar"]
    content = response.content.decode()
    assert "<del>Christmas Day</del>" in content
    assert "Cuti bersama" in content
    assert "removed by staff" in content
    assert "added by staff" in content


def test_holiday_with_an_unknown_country_is_refused(admin_client, db):
    response = admin_client.post(
        ADD_HOLIDAY, {"country": "QQ", "date": "2027-01-04", "name": "Made up", "is_holiday": "on"}
    )
    assert response.status_code == 200
    assert "country" in response.context["adminform"].form.errors
    assert not HolidayDate.objects.exists()


def test_holiday_with_a_known_country_is_saved(admin_client, db):
    response = admin_client.post(
        ADD_HOLIDAY, {"country": "ID", "date": "2027-01-04", "name": "Cuti", "is_holiday": "on"}
    )
    assert response.status_code == 302
    assert HolidayDate.objects.get().country == "ID"


def test_outlet_change_page_shows_its_status_now_in_its_zone(
    admin_client, vocabularies, jakarta_morning
):
    outlet = OutletFactory(timezone="Asia/Makassar")
    for weekday in range(7):
        OpeningRangeFactory(outlet=outlet, weekday=weekday, opens=time(7), closes=time(21))
    content = admin_client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    content = content.content.decode()
    assert "At the outlet it is 07:30 WITA:" in content
    assert "<strong>Open · closes 21:00 WITA</strong>" in content


def test_outlet_change_page_shows_its_next_holiday_closure_and_special_hours(
    admin_client, vocabularies, jakarta_morning
):
    outlet = OutletFactory(closed_on_public_holidays=True)
    OpeningRangeFactory(outlet=outlet, weekday=4)
    SpecialHoursFactory(
        outlet=outlet,
        start_date=date(2026, 12, 31),
        end_date=date(2026, 12, 31),
        opens=time(9),
        closes=time(12),
        reason="Year end",
    )
    response = admin_client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    upcoming = [(days.first, days.reason) for days in response.context["outlet_upcoming"]]
    assert upcoming == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 31), "Year end"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2027, 1, 5), "Isra' and Mi'raj"),
    ]
    content = response.content.decode()
    assert 'data-start="2026-12-25"' in content
    assert "(Christmas Day)" in content


def test_outlet_change_page_leaves_out_closures_beyond_sixty_days(
    admin_client, vocabularies, jakarta_morning
):
    outlet = OutletFactory()
    SpecialHoursFactory(outlet=outlet, start_date=date(2027, 3, 1), end_date=date(2027, 3, 1))
    response = admin_client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    assert response.context["outlet_upcoming"] == []
    assert "No holiday closures or special hours in the next 60 days." in (
        response.content.decode()
    )


def test_outlet_add_page_has_no_status_box(admin_client, vocabularies):
    assert 'id="outlet-now"' not in admin_client.get(ADD).content.decode()


# Hours in the outlet's own zone -----------------------------------------------------------


def test_hours_inlines_use_plain_inputs_without_the_servers_clock(admin_client, vocabularies):
    outlet = OutletFactory(timezone="Asia/Makassar")
    OpeningRangeFactory(outlet=outlet, weekday=0, opens=time(9), closes=time(17))
    SpecialHoursFactory(outlet=outlet)
    content = admin_client.get(
        reverse("admin:locations_outlet_change", args=[outlet.pk])
    ).content.decode()
    assert "vTimeField" not in content
    assert "vDateField" not in content
    assert "DateTimeShortcuts.js" not in content
    assert "server time" not in content
    assert 'type="time" name="opening_ranges-0-opens" value="09:00"' in content
    assert 'type="date" name="special_hours-0-start_date" value="2026-03-20"' in content


def test_hours_inlines_name_the_outlets_zone(admin_client, vocabularies):
    outlet = OutletFactory(timezone="Asia/Jayapura")
    content = admin_client.get(
        reverse("admin:locations_outlet_change", args=[outlet.pk])
    ).content.decode()
    assert "Weekly hours, local time WIT (" in content
    assert "Special hours, local time WIT (" in content
    assert "In local time WIT." in content


def test_hours_inlines_of_a_new_outlet_name_its_local_time_in_words(admin_client, vocabularies):
    content = admin_client.get(ADD).content.decode()
    assert "Weekly hours, the outlet’s local time (" in content


def test_hours_from_the_browsers_time_input_are_saved_in_indonesian(admin_client, vocabularies):
    data = form_data({}, ranges=[{"weekday": "0", "opens": "08:30", "closes": "21:00"}])
    response = admin_client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 302
    ranges = Outlet.objects.get(code="AX-NEW").opening_ranges.all()
    assert [(r.opens, r.closes) for r in ranges] == [(time(8, 30), time(21))]


def test_holiday_form_has_a_plain_date_input(admin_client, db):
    content = admin_client.get(ADD_HOLIDAY).content.decode()
    assert 'type="date" name="date"' in content
    assert "vDateField" not in content


def test_export_file_is_stamped_with_the_time_in_jakarta(admin_client, outlets, jakarta_morning):
    response = admin_client.get(EXPORT, {"format": "csv"})
    assert response["Content-Disposition"] == (
        'attachment; filename="outlets-2026-12-01-0630-WIB.csv"'
    )


# Closing outlets for dates, and details checked ----------------------------------------


def close_for_dates(client, outlets, **fields):
    data = {
        "action": "close_for_dates",
        "_selected_action": [outlet.pk for outlet in outlets],
        "apply": "1",
        "start_date": "2027-03-20",
        "end_date": "2027-03-24",
        "reason": "Idul Fitri",
        **fields,
    }
    return client.post(CHANGELIST, data)


def special_rows(code):
    return list(
        SpecialHours.objects.filter(outlet__code=code).values_list(
            "start_date", "end_date", "opens", "closes", "reason"
        )
    )


def test_close_for_dates_asks_for_the_dates_first(admin_client, outlets, jakarta_morning):
    selected = Outlet.objects.filter(code__in=["AX-BDG-1", "AX-SBY-1"])
    response = admin_client.post(
        CHANGELIST,
        {"action": "close_for_dates", "_selected_action": [o.pk for o in selected]},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "2 outlets will be closed all day on these dates" in content
    assert 'type="date"' in content
    assert content.count('name="_selected_action"') == 2
    assert not SpecialHours.objects.exists()


def test_close_for_dates_writes_a_closed_rule_for_each_selected_outlet(
    admin_client, outlets, jakarta_morning
):
    selected = Outlet.objects.filter(code__in=["AX-BDG-1", "AX-MKS-1"])
    makassar = Outlet.objects.get(code="AX-MKS-1")
    OpeningRangeFactory(outlet=makassar, weekday=0, opens=time(9), closes=time(17))
    response = close_for_dates(admin_client, selected)
    assert response.status_code == 302
    assert messages_of(response) == [
        "2 outlets closed March 20, 2027 to March 24, 2027 (Idul Fitri)."
    ]
    closed = [(date(2027, 3, 20), date(2027, 3, 24), None, None, "Idul Fitri")]
    assert special_rows("AX-BDG-1") == closed
    assert special_rows("AX-MKS-1") == closed
    assert special_rows("AX-SBY-1") == []
    # Each outlet's history says so, and searches see it at once.
    history = LogEntry.objects.filter(object_id=str(selected[0].pk)).get()
    assert history.get_change_message() == "Closed March 20, 2027 to March 24, 2027: Idul Fitri."
    # Monday noon in Makassar: open on a usual Monday, closed on this one.
    assert makassar.status_at(datetime(2027, 3, 15, 4, tzinfo=UTC)).open_now
    assert not makassar.status_at(datetime(2027, 3, 22, 4, tzinfo=UTC)).open_now
    for day, listed in (("15", ["AX-MKS-1"]), ("22", [])):
        answer = admin_client.get(
            "/api/v1/outlets/", {"open_now": "true", "at": f"2027-03-{day}T12:00:00+08:00"}
        )
        assert [outlet["code"] for outlet in answer.json()["results"]] == listed


def test_close_for_dates_applies_to_every_outlet_the_filtered_list_holds(
    admin_client, outlets, jakarta_morning
):
    response = admin_client.post(
        f"{CHANGELIST}?kind__exact=store",
        {
            "action": "close_for_dates",
            "select_across": "1",
            "_selected_action": [Outlet.objects.get(code="AX-BDG-1").pk],
            "apply": "1",
            "start_date": "2027-03-20",
            "end_date": "2027-03-20",
            "reason": "Nyepi",
        },
    )
    assert response.status_code == 302
    assert set(SpecialHours.objects.values_list("outlet__code", flat=True)) == {
        "AX-BDG-1",
        "AX-MKS-1",
    }


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"end_date": "2027-03-19"}, "end_date", "The end date is before the start date."),
        ({"reason": ""}, "reason", "This field is required."),
        ({"reason": 'Idul "Fitri"'}, "reason", "A reason cannot contain a double quote"),
        ({"start_date": "2026-11-01", "end_date": "2026-11-30"}, "end_date", "have passed"),
        ({"start_date": "2027-01-01", "end_date": "2028-01-05"}, "end_date", "at most 366 days"),
        ({"start_date": "20-03-2027"}, "start_date", "Enter a valid date."),
    ],
)
def test_close_for_dates_refuses_bad_dates_and_reasons_and_writes_nothing(
    admin_client, outlets, jakarta_morning, fields, field, message
):
    response = close_for_dates(admin_client, Outlet.objects.all(), **fields)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert not SpecialHours.objects.exists()


def test_close_for_dates_refuses_clashing_special_hours_naming_the_outlets(
    admin_client, outlets, jakarta_morning
):
    braga = Outlet.objects.get(code="AX-BDG-1")
    SpecialHoursFactory(
        outlet=braga,
        start_date=date(2027, 3, 18),
        end_date=date(2027, 3, 21),
        opens=time(9),
        closes=time(17),
        reason="Sale",
    )
    response = close_for_dates(admin_client, Outlet.objects.all())
    assert response.status_code == 200
    assert "already set on these dates for 1 of the outlets: AX-BDG-1" in (
        response.content.decode()
    )
    assert special_rows("AX-BDG-1") == [
        (date(2027, 3, 18), date(2027, 3, 21), time(9), time(17), "Sale")
    ]
    assert special_rows("AX-MKS-1") == []


def test_close_for_dates_may_replace_special_hours_on_those_dates_only(
    admin_client, outlets, jakarta_morning
):
    braga = Outlet.objects.get(code="AX-BDG-1")
    # Around the closure, inside it, and after it (untouched).
    SpecialHoursFactory(
        outlet=braga,
        start_date=date(2027, 3, 15),
        end_date=date(2027, 3, 27),
        opens=time(9),
        closes=time(17),
        reason="Ramadan",
    )
    response = close_for_dates(admin_client, [braga], replace="on")
    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "Special hours replaced on those dates: 1 rows shortened, 0 removed."
    )
    assert sorted(special_rows("AX-BDG-1")) == [
        (date(2027, 3, 15), date(2027, 3, 19), time(9), time(17), "Ramadan"),
        (date(2027, 3, 20), date(2027, 3, 24), None, None, "Idul Fitri"),
        (date(2027, 3, 25), date(2027, 3, 27), time(9), time(17), "Ramadan"),
    ]
    braga.hours.validate()


def test_staff_who_may_only_view_outlets_get_no_actions_that_change_them(client, outlets):
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outlet"))
    client.force_login(viewer)
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "export_selected" in actions
    for name in ("close_for_dates", "mark_temporarily_closed", "mark_active", "mark_checked"):
        assert name not in actions
    kiosk = Outlet.objects.get(code="AX-SBY-1")
    client.post(CHANGELIST, {"action": "mark_active", "_selected_action": [kiosk.pk]})
    kiosk.refresh_from_db()
    assert kiosk.status == Outlet.Status.TEMPORARILY_CLOSED


def test_mark_checked_sets_todays_date_at_the_head_office(admin_client, outlets, jakarta_morning):
    braga = Outlet.objects.get(code="AX-BDG-1")
    response = admin_client.post(
        CHANGELIST, {"action": "mark_checked", "_selected_action": [braga.pk]}
    )
    assert messages_of(response) == ["1 outlet marked checked on Dec. 1, 2026."]
    assert dict(Outlet.objects.values_list("code", "checked_on")) == {
        "AX-BDG-1": date(2026, 12, 1),
        "AX-MKS-1": None,
        "AX-SBY-1": None,
    }


def test_changelist_filters_outlets_not_checked_for_six_months(
    admin_client, outlets, jakarta_morning
):
    Outlet.objects.filter(code="AX-BDG-1").update(checked_on=date(2026, 11, 2))
    Outlet.objects.filter(code="AX-MKS-1").update(checked_on=date(2026, 5, 1))
    assert listed_codes(admin_client, checked="recent") == ["AX-BDG-1"]
    assert listed_codes(admin_client, checked="stale") == ["AX-MKS-1", "AX-SBY-1"]
    assert listed_codes(admin_client, checked="never") == ["AX-SBY-1"]
    content = admin_client.get(CHANGELIST).content.decode()
    assert "Details checked on" in content
    assert "Not for 6 months, or never" in content


def test_change_page_shows_when_the_outlet_was_created_on_its_own_clock(admin_client, vocabularies):
    outlet = OutletFactory(timezone="Asia/Jayapura")
    Outlet.objects.filter(pk=outlet.pk).update(
        created_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
        updated_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
    )
    content = admin_client.get(reverse("admin:locations_outlet_change", args=[outlet.pk]))
    content = content.content.decode()
    assert "2026-12-01 08:30 WIT" in content
    assert "2026-12-01 10:00 WIT" in content


# Import: one token per uploaded file ---------------------------------------------------


def test_a_preview_in_each_tab_confirms_its_own_file(admin_client, vocabularies):
    tab_a = preview(admin_client, csv_bytes(row(code="AX-A")), "a.csv")
    tab_b = preview(admin_client, csv_bytes(row(code="AX-B")), "b.csv")
    assert tab_a != tab_b
    response = confirm(admin_client, tab_a)
    assert messages_of(response)[-1:] == ["Imported a.csv: 1 created, 0 updated."]
    assert list(Outlet.objects.values_list("code", flat=True)) == ["AX-A"]
    # B waits for its own confirmation.
    assert list(PendingImport.objects.values_list("token", "name")) == [(tab_b, "b.csv")]
    response = confirm(admin_client, tab_b)
    assert messages_of(response)[-1:] == ["Imported b.csv: 1 created, 0 updated."]
    assert list(Outlet.objects.values_list("code", flat=True)) == ["AX-A", "AX-B"]


def test_a_confirmed_file_cannot_be_confirmed_again(admin_client, vocabularies):
    token = preview(admin_client, csv_bytes(row(code="AX-A")))
    confirm(admin_client, token)
    response = confirm(admin_client, token)
    assert messages_of(response)[-1:] == ["Nothing to import: upload the file again."]


def test_the_preview_has_a_cancel_button_for_its_file(admin_client, vocabularies):
    content = admin_client.post(IMPORT, upload(csv_bytes(row()))).content.decode()
    form = content[content.index('<input type="hidden" name="token"') :]
    assert form.index('name="confirm"') < form.index('name="cancel"') < form.index("</form>")


def test_cancel_discards_that_file_only_and_returns_to_the_import_page(admin_client, vocabularies):
    tab_a = preview(admin_client, csv_bytes(row(code="AX-A")), "a.csv")
    tab_b = preview(admin_client, csv_bytes(row(code="AX-B")), "b.csv")
    response = admin_client.post(IMPORT, {"cancel": "Cancel", "token": tab_a})
    assert response.status_code == 302
    assert response["Location"] == IMPORT
    assert messages_of(response)[-1:] == ["Discarded a.csv; nothing was imported."]
    assert list(PendingImport.objects.values_list("token", flat=True)) == [tab_b]
    assert messages_of(confirm(admin_client, tab_a))[-1:] == [
        "Nothing to import: upload the file again."
    ]
    assert not Outlet.objects.exists()


def test_cancelling_a_file_no_longer_kept_says_so(admin_client, vocabularies):
    response = admin_client.post(IMPORT, {"cancel": "Cancel", "token": "unknown"})
    assert response["Location"] == IMPORT
    assert messages_of(response)[-1:] == ["Nothing to discard: that file is no longer kept."]


def test_only_the_five_newest_previews_are_kept(admin_client, vocabularies):
    tokens = [preview(admin_client, csv_bytes(row(code=f"AX-{n}"))) for n in range(6)]
    assert sorted(PendingImport.objects.values_list("token", flat=True)) == sorted(tokens[1:])
    assert messages_of(confirm(admin_client, tokens[0]))[-1:] == [
        "Nothing to import: upload the file again."
    ]
    confirm(admin_client, tokens[5])
    assert list(Outlet.objects.values_list("code", flat=True)) == ["AX-5"]


def test_a_preview_left_for_over_a_day_is_forgotten(admin_client, vocabularies):
    old = preview(admin_client, csv_bytes(row(code="AX-OLD")))
    PendingImport.objects.filter(token=old).update(created_at=datetime(2020, 1, 1, tzinfo=UTC))
    new = preview(admin_client, csv_bytes(row(code="AX-NEW")))
    assert list(PendingImport.objects.values_list("token", flat=True)) == [new]


def test_another_staff_member_cannot_confirm_my_file(client, admin_client, vocabularies):
    token = preview(admin_client, csv_bytes(row(code="AX-A")))
    colleague = User.objects.create_superuser("colleague", password="pw")
    client.force_login(colleague)
    assert messages_of(confirm(client, token)) == ["Nothing to import: upload the file again."]
    assert not Outlet.objects.exists()
    assert PendingImport.objects.get().token == token


def test_a_file_over_the_size_limit_is_refused_naming_the_limit_and_its_size(
    admin_client, vocabularies, settings
):
    data = csv_bytes(*(row(code=f"AX-{n}") for n in range(10)))
    settings.IMPORT_MAX_BYTES = 2000
    assert len(data) > 2000
    response = admin_client.post(IMPORT, upload(data))
    assert response.status_code == 200
    assert "result" not in response.context
    size = f"{len(data) / 1024:.1f}\xa0KB"
    assert response.context["form"].errors["file"] == [
        f"outlets.csv is {size}; a file to import may be at most 2.0\xa0KB."
    ]
    assert f"outlets.csv is {size}; a file to import may be at most 2.0\xa0KB." in (
        response.content.decode()
    )
    assert not PendingImport.objects.exists()
    settings.IMPORT_MAX_BYTES = len(data)
    assert "result" in admin_client.post(IMPORT, upload(data)).context


def test_the_upload_form_names_the_size_limit(admin_client, db):
    content = admin_client.get(IMPORT).content.decode()
    assert "CSV, JSON or GeoJSON, as export_outlets writes it; at most 50.0\xa0MB." in content
