# Each reference row gets an English name (core.languages). Existing rows are given the one in
# fixtures/reference by the reference loader after this migration (agreements.reference: a row
# without an English name gets the file's; counties are kept equal to the file).

from django.db import migrations, models


def name_en(help_text, max_length):
    return models.CharField(
        default="",
        help_text=help_text,
        max_length=max_length,
        verbose_name="namn på engelska",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0008_organisation_registered_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="county",
            name="name_en",
            field=name_en("Så heter länet när engelska är valt, t.ex. Södermanland County.", 100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="organisationkind",
            name="name_en",
            field=name_en("Så heter typen när engelska är valt, t.ex. Company.", 100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="financingsource",
            name="name_en",
            field=name_en("Så heter källan när engelska är valt, t.ex. Private funds.", 200),
            preserve_default=False,
        ),
    ]
