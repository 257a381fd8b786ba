"""The read-only REST API at /api/v1/ (Django REST framework, drf-spectacular).

The same rules as the site: every queryset through ``core.access``, the site's FilterSets
(``followup.filters``) where a list has one, a returned report read as last submitted by those
who do not write it, another county's object answering 404 like a missing one. Machines
authenticate with personal tokens (``authentication.py``), throttled per token in the database
(``throttling.py``); every call is written to the security log (``middleware.py``).
"""
