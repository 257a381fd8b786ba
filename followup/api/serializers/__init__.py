"""What the API answers: reference data, the register, and the follow-up. Read-only; names and
descriptions of fields come from the models (``verbose_name``, ``help_text``), so the schema
describes each field as the admin does."""
