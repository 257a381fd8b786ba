"""The follow-up's reference data: the themes of the report (fixtures/reference/themes.csv)."""

from django.db import DEFAULT_DB_ALIAS

from agreements.reference import read_csv, sync_rows


def load_themes(sender=None, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """post_migrate receiver: create the report's themes that are missing, and give the English
    name to a theme that has none."""
    if apps is None:
        from django.apps import apps
    try:
        Theme = apps.get_model("followup", "Theme")
    except LookupError:
        return
    themes = [
        {
            "code": r["code"],
            "name": r["name"],
            "name_en": r["name_en"],
            "sort_order": int(r["sort_order"]),
            "description": r["description"],
            "phrase": r["phrase"],
        }
        for r in read_csv("themes.csv")
    ]
    sync_rows(
        Theme,
        "code",
        themes,
        ["name", "name_en", "sort_order", "description", "phrase"],
        using,
        update=False,
        fill=("name_en",),
    )
