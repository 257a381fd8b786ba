"""Import of projects, financing lines and organisations from a county's Excel template.

- ``template``  writes the county's template (``export_template``, the admin's download button),
- ``reader``    opens an uploaded workbook defensively and reads its rows,
- ``validate``  turns rows into typed values, with a Swedish message per bad cell,
- ``plan``      decides per row: create, update or leave unchanged,
- ``services``  ``projects_import`` — the one write path (admin, command, review site),
- ``flow``      upload → preview → confirm, the steps of the admin's and the review site's pages.
"""
