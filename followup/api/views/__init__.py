"""The API's views: reference data and the register (``register.py``), the follow-up
(``reports.py``), the schema and its documentation page (``schema.py``)."""
