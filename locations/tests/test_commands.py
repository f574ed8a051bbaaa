"""The management commands: import_outlets, export_outlets and bootstrap."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from locations import gazetteer
from locations.models import OpeningRange, Outlet, PaymentMethod, Place, PostcodeArea, Service

from .factories import OutletFactory
from .outlet_files import csv_bytes, json_bytes, json_item, row


def run(*args) -> tuple[str, str]:
    """Run a command; its standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path, vocabularies):
    path = tmp_path / "outlets.csv"
    path.write_bytes(csv_bytes(row(code="AX-1"), row(code="AX-2")))
    return path


@pytest.fixture
def bad_file(tmp_path, vocabularies):
    path = tmp_path / "outlets.csv"
    path.write_bytes(
        csv_bytes(row(code="AX-1", kind="shop"), row(code="AX-2"), row(code="AX-3", name=""))
    )
    return path


# import_outlets -------------------------------------------------------------------------


def test_import_reports_what_it_created_and_updated(good_file):
    OutletFactory(code="AX-2")
    out, err = run("import_outlets", str(good_file))
    assert out == "1 outlet(s) created, 1 updated\n"
    assert err == ""
    assert list(Outlet.objects.values_list("code", "name")) == [
        ("AX-1", "AXIS Store Bandung Dago"),
        ("AX-2", "AXIS Store Bandung Dago"),
    ]


def test_import_failure_raises_and_writes_every_error_to_stderr(bad_file):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_outlets", str(bad_file), stdout=out, stderr=err)
    assert str(error.value) == f"2 error(s) in {bad_file}; nothing was imported"
    assert err.getvalue().splitlines() == [
        "line 2: kind: unknown kind 'shop' (store or kiosk)",
        "line 4: name: required",
    ]
    assert out.getvalue() == ""
    assert not Outlet.objects.exists()


def test_import_dry_run_reports_and_writes_nothing(good_file):
    OutletFactory(code="AX-2", name="Before")
    out, _ = run("import_outlets", str(good_file), "--dry-run")
    assert out == "1 outlet(s) would be created, 1 would be updated (dry run: nothing written)\n"
    assert list(Outlet.objects.values_list("code", "name")) == [("AX-2", "Before")]


def test_import_format_option_overrides_the_file_name(tmp_path, vocabularies):
    path = tmp_path / "outlets.txt"
    path.write_bytes(json_bytes(json_item(row(code="AX-JSON"))))
    out, _ = run("import_outlets", str(path), "--format", "json")
    assert out == "1 outlet(s) created, 0 updated\n"
    assert Outlet.objects.get().code == "AX-JSON"


def test_import_guesses_json_from_the_file_name(tmp_path, vocabularies):
    path = tmp_path / "outlets.json"
    path.write_bytes(json_bytes(json_item(row(code="AX-JSON"))))
    run("import_outlets", str(path))
    assert Outlet.objects.get().code == "AX-JSON"


def test_import_works_on_a_freshly_migrated_database_without_bootstrap(tmp_path, db):
    # No vocabularies fixture and no bootstrap: migrate wrote the services and payments.
    path = tmp_path / "outlets.csv"
    path.write_bytes(csv_bytes(row(code="AX-1", services="topup;new_sim")))
    out, err = run("import_outlets", str(path))
    assert (out, err) == ("1 outlet(s) created, 0 updated\n", "")
    outlet = Outlet.objects.get(code="AX-1")
    assert list(outlet.services.values_list("slug", flat=True)) == ["topup", "new_sim"]
    assert list(outlet.payment_methods.values_list("slug", flat=True)) == ["cash", "qris"]


def test_import_of_a_missing_file_is_a_command_error(tmp_path, db):
    with pytest.raises(CommandError, match=r"^cannot read .*missing\.csv: No such file"):
        run("import_outlets", str(tmp_path / "missing.csv"))


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


def test_import_draws_progress_on_a_terminal_stderr(good_file, monkeypatch):
    monkeypatch.setattr("locations.progress.INTERVAL", 0)  # draw on every row
    out, err = io.StringIO(), Terminal()
    call_command("import_outlets", str(good_file), stdout=out, stderr=err)
    # A line per stage, each ended when its stage is done.
    finished = [line.rsplit("\r", 1)[-1] for line in err.getvalue().split("\n")[:-1]]
    done = r": 2 / 2 rows · [\d,]+ rows/s · done in [\d.]+ s$"
    stages = ["reading", "saving outlets", "writing hours, services and payments"]
    assert len(finished) == len(stages)
    for line, stage in zip(finished, stages, strict=True):
        assert re.match(stage + done, line), line
    assert out.getvalue() == "2 outlet(s) created, 0 updated\n"


def test_import_prints_no_progress_when_output_is_not_a_terminal(good_file, monkeypatch):
    monkeypatch.setattr("locations.progress.INTERVAL", 0)
    out, err = run("import_outlets", str(good_file))
    assert (out, err) == ("2 outlet(s) created, 0 updated\n", "")


# export_outlets -------------------------------------------------------------------------


@pytest.fixture
def two_outlets(vocabularies):
    OutletFactory(code="AX-2", services=["topup"])
    OutletFactory(code="AX-1", payment_methods=["qris"])


def test_export_writes_csv_to_stdout_and_the_count_to_stderr(two_outlets):
    out, err = run("export_outlets")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["code"], r["services"], r["payment_methods"]) for r in rows] == [
        ("AX-1", "", "qris"),
        ("AX-2", "topup", ""),
    ]
    assert err == "2 outlet(s) exported\n"


def test_export_json_to_stdout_is_one_json_document(two_outlets):
    out, _ = run("export_outlets", "--format", "json")
    assert [item["code"] for item in json.loads(out)] == ["AX-1", "AX-2"]


def test_export_to_a_file_keeps_stdout_empty(two_outlets, tmp_path):
    path = tmp_path / "out.csv"
    out, err = run("export_outlets", "-o", str(path))
    assert out == ""
    assert err == f"2 outlet(s) exported to {path}\n"
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("code,kind,name,")


def test_export_guesses_geojson_from_the_output_name(two_outlets, tmp_path):
    path = tmp_path / "out.geojson"
    run("export_outlets", "-o", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in document["features"]] == ["AX-1", "AX-2"]


def test_export_then_import_gives_the_same_outlets(two_outlets, tmp_path):
    path = tmp_path / "out.csv"
    run("export_outlets", "-o", str(path))
    Outlet.objects.all().delete()
    out, _ = run("import_outlets", str(path))
    assert out == "2 outlet(s) created, 0 updated\n"


def test_export_to_an_unwritable_path_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"^cannot write "):
        run("export_outlets", "-o", str(tmp_path / "no-such-dir" / "out.csv"))


def test_export_to_stdout_draws_no_progress_among_the_rows(two_outlets, monkeypatch):
    monkeypatch.setattr("locations.progress.INTERVAL", 0)
    out, err = Terminal(), Terminal()
    call_command("export_outlets", stdout=out, stderr=err)
    assert "\r" not in out.getvalue() + err.getvalue()


def test_export_to_a_file_draws_progress_on_a_terminal_stderr(two_outlets, tmp_path, monkeypatch):
    monkeypatch.setattr("locations.progress.INTERVAL", 0)
    err = Terminal()
    call_command("export_outlets", "-o", str(tmp_path / "out.csv"), stderr=err)
    assert re.search(r"\r2 / 2 outlets · [\d,]+ outlets/s · done in [\d.]+ s\n", err.getvalue())


# bootstrap ------------------------------------------------------------------------------


def test_bootstrap_loads_the_gazetteer_and_demo_outlets_into_a_freshly_migrated_database(db):
    out, _ = run("bootstrap")
    assert Service.objects.count() == 7
    assert PaymentMethod.objects.count() == 5
    assert Outlet.objects.count() == 320
    assert PostcodeArea.objects.count() == len(list(gazetteer.read_postcodes()))
    reference, postcodes, demo = out.splitlines()
    # migrate already wrote the vocabularies.
    assert reference == "Reference data: 0 new service(s) and payment method(s)."
    assert re.fullmatch(r"Loaded \d{4} postcodes and \d+ places\.", postcodes)
    assert demo == "Loaded 320 demo outlets (sample data: real cities, invented outlets)."


def test_bootstrap_puts_back_vocabulary_entries_deleted_since_migrate(db):
    Service.objects.filter(slug="topup").delete()
    PaymentMethod.objects.filter(slug="qris").delete()
    out, _ = run("bootstrap", "--no-demo")
    assert out.startswith("Reference data: 2 new service(s) and payment method(s).\n")
    assert (Service.objects.count(), PaymentMethod.objects.count()) == (7, 5)
    assert Service.objects.get(slug="topup").name == "Top-up"


def test_bootstrap_twice_keeps_the_data_and_adds_nothing(db):
    run("bootstrap")
    Outlet.objects.filter(code="AX-ST-000002").update(name="Edited by staff")
    Service.objects.filter(slug="topup").update(name="Edited top-up")
    ranges = OpeningRange.objects.count()
    out, _ = run("bootstrap")
    assert out.splitlines() == [
        "Reference data: 0 new service(s) and payment method(s).",
        "Gazetteer already loaded (`load_postcodes` reloads it).",
        "Outlets already present: demo outlets not loaded.",
    ]
    assert (Service.objects.count(), PaymentMethod.objects.count()) == (7, 5)
    assert Outlet.objects.count() == 320
    assert OpeningRange.objects.count() == ranges
    assert Outlet.objects.get(code="AX-ST-000002").name == "Edited by staff"
    assert Service.objects.get(slug="topup").name == "Edited top-up"


def test_bootstrap_does_not_load_the_demo_when_outlets_exist(db):
    OutletFactory(code="AX-OWN")
    run("bootstrap")
    assert list(Outlet.objects.values_list("code", flat=True)) == ["AX-OWN"]
    assert Service.objects.count() == 7


def test_bootstrap_no_demo_loads_only_reference_data(db):
    out, _ = run("bootstrap", "--no-demo")
    assert (Service.objects.count(), PaymentMethod.objects.count()) == (7, 5)
    assert not Outlet.objects.exists()
    assert out.startswith("Reference data: 0 new service(s) and payment method(s).\nLoaded ")
    assert PostcodeArea.objects.exists()


POSTCODES_HEADER = "postcode,latitude,longitude,place,city,province,precision\n"
PLACES_HEADER = "kind,name,city,province,latitude,longitude,precision,rank,aliases\n"


def gazetteer_files(tmp_path, postcodes: str, places: str = ""):
    (tmp_path / "p.csv").write_text(POSTCODES_HEADER + postcodes, encoding="utf-8")
    (tmp_path / "n.csv").write_text(PLACES_HEADER + places, encoding="utf-8")
    return "--postcodes", str(tmp_path / "p.csv"), "--places", str(tmp_path / "n.csv")


def test_load_postcodes_replaces_the_gazetteer_and_indexes_every_name(db, tmp_path):
    PostcodeArea.objects.create(
        postcode="99999",
        latitude=0,
        longitude=0,
        place="Old",
        city="",
        province="",
        precision="city",
    )
    out, _ = run(
        "load_postcodes",
        *gazetteer_files(
            tmp_path,
            "40115,-6.91470,107.60980,Bandung Wetan,Kota Bandung,Jawa Barat,district\n",
            "city,Kota Yogyakarta,,DI Yogyakarta,-7.80,110.36,city,400000,Jogja;Yogya\n",
        ),
    )
    assert out == "Loaded 1 postcodes and 1 places.\n"
    assert list(PostcodeArea.objects.values_list("postcode", flat=True)) == ["40115"]
    assert sorted(Place.objects.values_list("key", flat=True)) == [
        "jogja",
        "kotayogyakarta",
        "yogya",
    ]


def test_load_postcodes_refuses_a_bad_row_and_keeps_what_was_loaded(db, tmp_path):
    run("load_postcodes", *gazetteer_files(tmp_path, "40115,-6.9,107.6,A,B,C,district\n"))
    with pytest.raises(CommandError, match=r"line 3: latitude: out of range: 95"):
        run(
            "load_postcodes",
            *gazetteer_files(
                tmp_path, "40116,-6.9,107.6,A,B,C,village\n40117,95,107.6,A,B,C,village\n"
            ),
        )
    assert list(PostcodeArea.objects.values_list("postcode", flat=True)) == ["40115"]


def test_load_postcodes_dry_run_writes_nothing(db, tmp_path):
    out, _ = run(
        "load_postcodes", "--dry-run", *gazetteer_files(tmp_path, "40115,-6.9,107.6,A,B,C,city\n")
    )
    assert "1 postcodes and 0 places are valid" in out
    assert not PostcodeArea.objects.exists()


# ensure_admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "secret-pass-123")
    return "secret-pass-123"


def test_ensure_admin_creates_a_superuser_who_can_sign_in(db, admin_password):
    out, _ = run("ensure_admin")
    assert out == "Superuser admin created.\n"
    user = authenticate(username="admin", password=admin_password)
    assert (user.is_active, user.is_staff, user.is_superuser) == (True, True, True)


def test_ensure_admin_resets_an_existing_account_in_one_line(db, admin_password):
    User.objects.create_user("siti", password="an-older-password-9", is_active=False)
    out, _ = run("ensure_admin", "--username", "siti")
    assert out == "User siti already exists: password reset, active superuser.\n"
    assert authenticate(username="siti", password=admin_password).is_superuser
    assert User.objects.count() == 1


def test_ensure_admin_dry_run_writes_nothing(db, admin_password):
    out, _ = run("ensure_admin", "--dry-run")
    assert out == "Dry run, nothing written. Superuser admin created.\n"
    assert not User.objects.exists()


def test_ensure_admin_without_a_password_or_a_terminal_says_what_to_set(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    with pytest.raises(CommandError, match=r"^No password: set DJANGO_SUPERUSER_PASSWORD"):
        run("ensure_admin")
    assert not User.objects.exists()


def test_ensure_admin_refuses_a_password_the_validators_reject(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="This password is too common"):
        run("ensure_admin")
    assert not User.objects.exists()
