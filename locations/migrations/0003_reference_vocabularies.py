"""The service and payment vocabularies, so that ``import_outlets`` works right after
``migrate``; and the rules on an outlet's code and country, now also in the database."""

import django.core.validators
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import locations.models
from locations.reference import create_vocabularies


def create_reference_vocabularies(apps, schema_editor):
    create_vocabularies(
        apps.get_model("locations", "Service"),
        apps.get_model("locations", "PaymentMethod"),
        using=schema_editor.connection.alias,
    )


def capitalise_countries(apps, schema_editor):
    # Rows saved before the rule with "id" for "ID"; the constraint below needs capitals.
    Outlet = apps.get_model("locations", "Outlet")
    Outlet.objects.using(schema_editor.connection.alias).update(
        country=django.db.models.functions.text.Upper("country")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("locations", "0002_gazetteer_and_search_revision"),
    ]

    # Backwards, the vocabularies and capitals stay (outlets may use them).
    operations = [
        migrations.RunPython(create_reference_vocabularies, migrations.RunPython.noop),
        migrations.RunPython(capitalise_countries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outlet",
            name="code",
            field=models.CharField(
                help_text="The stable key used by imports: letters, digits, - and _, up to 32.",
                max_length=32,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Za-z0-9_-]{1,32}\\Z", "Letters, digits, - and _ only, 1 to 32."
                    ),
                    locations.models.validate_code_not_reserved,
                ],
            ),
        ),
        migrations.AlterField(
            model_name="outlet",
            name="country",
            field=models.CharField(
                default="ID",
                help_text="ISO 3166-1 alpha-2 code, e.g. ID.",
                max_length=2,
                validators=[locations.models.validate_country],
            ),
        ),
        migrations.AddConstraint(
            model_name="outlet",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    django.db.models.lookups.In(
                        django.db.models.functions.text.Lower("code"), ("clusters",)
                    ),
                    _negated=True,
                ),
                name="outlet_code_not_reserved",
            ),
        ),
        migrations.AddConstraint(
            model_name="outlet",
            constraint=models.CheckConstraint(
                condition=models.Q(("country__regex", "^[A-Z]{2}\\Z")),
                name="outlet_country_pattern",
            ),
        ),
    ]
