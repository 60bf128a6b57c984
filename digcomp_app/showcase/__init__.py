"""The demo school and the screenshot tool: what shows the application, not what a school
runs on.

- ``showcase.demo`` fills an empty database with the demo school, through the services'
  public functions only (``services.seeding`` for its one transaction on an empty
  database); it sits above services/ and below ui/, which offers "Try the demo school".
- ``showcase.screenshots`` opens the window offscreen on the demo school and saves a
  picture of every screen; it sits above ui/, below the commands (``digcomp-app
  screenshots``).

See docs/architecture.md and docs/decisions/0030-architecture-as-code.md.
"""
