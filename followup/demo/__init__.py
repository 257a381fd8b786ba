"""Deterministic demo data for `python manage.py seed_demo`.

- names, texts: the Swedish vocabulary and texts
- organisations: public bodies, invented companies and associations with valid org numbers
- register, clusters, projects: one county's agreement, partnerships, clusters, projects
- reports: the follow-up round with county reports, observations and conclusions
- users: the demo users and how to log in
- wipe: what data exists, and removing it for --replace
- build: the whole build, county by county, in one transaction
"""
