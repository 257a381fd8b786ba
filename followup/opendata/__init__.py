"""Open data: each follow-up year as a Frictionless Data package of CSV files (CC0).

``tables.py`` declares the tables — what each column is, in Swedish and English, with its type
and keys — and which rows of the register and of the approved reports each holds;
``package.py`` writes them and their ``datapackage.json``; ``archive.py`` keeps each year's
package as a zip on disk for the public page /oppna-data/.
"""
