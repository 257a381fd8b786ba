"""A check constraint's message shown at the field it is about, not at the top of the form.

Django reports a failed ``CheckConstraint`` as an error of the whole form ("Ett lokalt
partnerskap måste ha en kommun." above everything), though the person has one field to correct.
A model names its constraints' fields in ``constraint_fields`` (constraint name → field); the
admin's forms, inlines and every other ``full_clean`` then put the message beside that field.
"""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import router


class ConstraintErrorsAtFields:
    constraint_fields: ClassVar[dict[str, str]] = {}

    def validate_constraints(self, exclude=None):
        errors: dict = {}
        using = router.db_for_write(type(self), instance=self)
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name)
                    if field is None and error.code == "unique" and len(constraint.fields) == 1:
                        field = constraint.fields[0]  # as Django itself does
                    if field is None:
                        errors = error.update_error_dict(errors)
                    else:
                        errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
