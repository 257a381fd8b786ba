"""A column of an open-data table: its name, type, and words in Swedish and English."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.text import capfirst


def in_both(text) -> tuple[str, str]:
    """A lazily translated text in Swedish and in English."""
    with translation.override("sv"):
        swedish = str(text)
    with translation.override("en"):
        english = str(text)
    return swedish, english


def bilingual(text, *, separator: str = "\n\nEnglish: ") -> str:
    swedish, english = in_both(text)
    return swedish if swedish == english else f"{swedish}{separator}{english}"


@dataclass(frozen=True)
class Column:
    """``name`` in the CSV file; ``type`` a Table Schema type (string, integer, number, date,
    datetime, boolean); ``title`` and ``description`` lazily translated texts (Swedish source);
    ``required``: never empty."""

    name: str
    type: str
    title: object
    description: object = ""
    required: bool = False
    enum: tuple[str, ...] = ()

    def descriptor(self) -> dict:
        field: dict = {
            "name": self.name,
            "type": self.type,
            "title": bilingual(capfirst(self.title), separator=" / "),
        }
        if self.description:
            field["description"] = bilingual(self.description)
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            field["constraints"] = constraints
        return field


def of(model, field_name: str, name: str | None = None, type: str | None = None, **kwargs):
    """A column that is the model's field ``field_name``: its verbose name and help text."""
    field = model._meta.get_field(field_name)
    kwargs.setdefault("title", field.verbose_name)
    if field.help_text:
        kwargs.setdefault("description", field.help_text)
    if type is None:
        type = _TYPES.get(field.get_internal_type(), "string")
    if field.choices and type == "string" and "enum" not in kwargs:
        kwargs["enum"] = tuple(str(value) for value, _label in field.flatchoices)
    kwargs.setdefault("required", not field.null and type != "string")
    return Column(name=name or field_name, type=type, **kwargs)


_TYPES = {
    "AutoField": "integer",
    "BigAutoField": "integer",
    "IntegerField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "SmallIntegerField": "integer",
    "DecimalField": "number",
    "DateField": "date",
    "DateTimeField": "datetime",
    "BooleanField": "boolean",
}
