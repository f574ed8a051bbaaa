"""The services' and payment methods' names in Chinese, the site's third language; the
reference entries get theirs from fixtures/reference.json."""

from django.db import migrations, models

from locations.reference import add_chinese_names


def name_the_reference_entries(apps, schema_editor):
    add_chinese_names(
        apps.get_model("locations", "Service"),
        apps.get_model("locations", "PaymentMethod"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("locations", "0007_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentmethod",
            name="name_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Blank: the English name.",
                max_length=80,
                verbose_name="name (Chinese)",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="name_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Blank: the English name.",
                max_length=80,
                verbose_name="name (Chinese)",
            ),
        ),
        # Backwards, the field goes and its names with it.
        migrations.RunPython(name_the_reference_entries, migrations.RunPython.noop),
    ]
