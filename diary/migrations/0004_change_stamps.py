import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0003_night_state_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="bed",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="profile",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="night",
            index=models.Index(fields=["user", "updated_at"], name="night_user_updated_idx"),
        ),
    ]
