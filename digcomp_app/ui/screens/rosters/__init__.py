"""Importing rosters (learners, staff) from the school register: the import wizard.

Not a screen of its own (no ``SCREEN``): the learners' and users' screens and the first
run's "next steps" open it with :func:`~digcomp_app.ui.screens.rosters.wizard.open_import_wizard`.
"""
