# The last scheduled night of a bed trial, stored (it was computed): records() asks the database
# which nights lie inside a trial. Existing trials get start + len(arms) - 1.

from datetime import timedelta

from django.db import migrations, models


def fill_end(apps, schema_editor):
    BedTrial = apps.get_model("diary", "BedTrial")
    for trial in BedTrial.objects.all():
        trial.end = trial.start + timedelta(days=len(trial.arms) - 1)
        trial.save(update_fields=["end"])


class Migration(migrations.Migration):
    dependencies = [("diary", "0011_share_link_limits_per_address")]

    operations = [
        migrations.AddField(model_name="bedtrial", name="end", field=models.DateField(null=True)),
        migrations.RunPython(fill_end, migrations.RunPython.noop),
        migrations.AlterField(model_name="bedtrial", name="end", field=models.DateField()),
    ]
