"""A database server that restarts, or cannot be reached: words naming the server, never a
traceback; the next action after a restart connects again by itself."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import text

from digcomp_app.cli import main
from digcomp_app.services import learners
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ConnectionLost, DatabaseUnreachable
from tests.reliability.test_form_kept import terminate_connections
from tests.services.conftest import FAST_HASHER

pytestmark = pytest.mark.reliability


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
def test_a_connection_lost_in_the_middle_is_said_and_the_next_call_connects_again(
    postgres_url, school, db
):
    lost = pytest.raises(ConnectionLost, match="connection to the database server was lost")
    with lost, db.transaction() as session:
        session.execute(text("SELECT 1"))
        assert terminate_connections(postgres_url) >= 1
        session.execute(text("SELECT count(*) FROM learners"))
    assert len(learners.list_learners(db, school.coordinator)) == 2
    assert terminate_connections(postgres_url) >= 1  # between two calls: not even noticed
    assert len(learners.list_learners(db, school.coordinator)) == 2


@pytest.fixture
def database_url(postgres_url) -> str:
    return postgres_url


def test_an_unreachable_server_is_named(unused_port):
    url = f"postgresql://digcomp@127.0.0.1:{unused_port}/school"
    with pytest.raises(DatabaseUnreachable) as raised:
        Database(url, password_hasher=FAST_HASHER)
    assert str(raised.value).startswith(
        f"The database server 127.0.0.1:{unused_port}/school cannot be reached: check that it "
        "is running"
    )


def test_the_command_line_names_the_unreachable_server(unused_port, monkeypatch, capsys):
    monkeypatch.setenv("DIGCOMP_PASSWORD", "whatever")
    url = f"postgresql://digcomp@127.0.0.1:{unused_port}/school"
    assert main(["--database", url, "--user", "admin", "learners", "list"]) == 1
    err = capsys.readouterr().err
    assert f"The database server 127.0.0.1:{unused_port}/school cannot be reached" in err
    assert "Traceback" not in err


def test_the_window_names_the_unreachable_server(qtbot, unused_port):
    from digcomp_app.ui.main_window import MainWindow

    window = MainWindow(database_url=f"postgresql://digcomp@127.0.0.1:{unused_port}/school")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "cannot be reached" in window.problem_label.text(), timeout=10000)
    assert f"127.0.0.1:{unused_port}/school" in window.problem_label.text()
    assert window.db is None
