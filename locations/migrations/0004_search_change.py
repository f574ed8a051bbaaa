from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('locations', '0003_reference_vocabularies'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outlet_id', models.BigIntegerField(help_text='The outlet that changed; empty when anything may have.', null=True)),
                ('token', models.CharField(max_length=16)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.DeleteModel(
            name='SearchRevision',
        ),
        # Searches run in memory: no query reads these.
        migrations.RemoveIndex(
            model_name='outlet',
            name='outlet_lat_lng',
        ),
        migrations.RemoveIndex(
            model_name='outlet',
            name='outlet_kind_status',
        ),
    ]
