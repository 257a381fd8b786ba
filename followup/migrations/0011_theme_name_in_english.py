# A theme gets an English name (core.languages). Existing themes are given the one in
# fixtures/reference/themes.csv by the reference loader after this migration
# (followup.reference: a theme without an English name gets the file's).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0010_comment_versions_report_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="name_en",
            field=models.CharField(
                default="",
                help_text="Så heter temat när engelska är valt, t.ex. Cluster work.",
                max_length=200,
                verbose_name="namn på engelska",
            ),
            preserve_default=False,
        ),
    ]
