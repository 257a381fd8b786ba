"""How the schema describes each operation (DRF's ``DEFAULT_SCHEMA_CLASS``; a module of its
own, which defines no view, so that DRF can import it while it makes the views)."""

from drf_spectacular.openapi import AutoSchema


class ApiAutoSchema(AutoSchema):
    """Each resource described by its view's ``schema_description`` (Swedish, translated)."""

    def get_description(self):
        described = getattr(self.view, "schema_description", None)
        return str(described) if described else super().get_description()
