"""What the heaviest screens show and allow, decided without Qt.

A presenter takes the services' plain objects (a case, the register's certificates) and
returns plain answers: which buttons are enabled, what a label says, which choice a dialog
starts on, whether what was typed can be accepted. The widgets in ``ui/`` only put those
answers on the screen, so the rules are tested with plain pytest (``tests/presenters``).
This package sits between ``ui/`` and ``services/`` in the layers and never imports Qt
(docs/architecture.md).
"""
