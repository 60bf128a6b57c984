"""First run and user accounts from the command line."""

from __future__ import annotations

from digcomp_app.cli import main


def test_first_administrator_then_users(tmp_path, monkeypatch, capsys):
    database = str(tmp_path / "school.sqlite3")
    monkeypatch.setenv("DIGCOMP_NEW_PASSWORD", "first admin pw")
    assert main(["--database", database, "setup", "root", "--display-name", "Ruta"]) == 0
    assert "root" in capsys.readouterr().out
    assert main(["--database", database, "setup", "again"]) == 1  # only once
    assert "exists" in capsys.readouterr().err

    monkeypatch.setenv("DIGCOMP_PASSWORD", "first admin pw")
    monkeypatch.setenv("DIGCOMP_NEW_PASSWORD", "teacher pw 123")
    assert (
        main(
            [
                "--database",
                database,
                "--user",
                "root",
                "users",
                "add",
                "anna",
                "--role",
                "teacher",
                "--role",
                "coordinator",
            ]
        )
        == 0
    )
    assert main(["--database", database, "--user", "root", "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "anna" in out and "coordinator, teacher" in out and "Ruta" in out

    monkeypatch.setenv("DIGCOMP_PASSWORD", "wrong")
    assert main(["--database", database, "--user", "root", "users", "list"]) == 1
    assert "wrong" in capsys.readouterr().err  # "The user name or password is wrong."


def test_short_password_is_refused_with_a_reason(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGCOMP_NEW_PASSWORD", "short")
    assert main(["--database", str(tmp_path / "s.sqlite3"), "setup", "root"]) == 1
    assert "at least 8 characters" in capsys.readouterr().err


def test_users_list_shows_no_escape_sequences_or_bidi_overrides(tmp_path, monkeypatch, capsys):
    """A display name stored with a terminal escape (clear screen) and a right-to-left
    override (from an old version or a restored backup) is listed without them."""
    from sqlalchemy import create_engine, update

    from digcomp_app.storage.models import User

    database = tmp_path / "school.sqlite3"
    monkeypatch.setenv("DIGCOMP_NEW_PASSWORD", "first admin pw")
    assert main(["--database", str(database), "setup", "root", "--display-name", "Ruta"]) == 0
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(update(User).values(display_name="Ru\x1b[2Jta \u202eevil\x07\x9b31m"))
    engine.dispose()
    capsys.readouterr()
    monkeypatch.setenv("DIGCOMP_PASSWORD", "first admin pw")
    assert main(["--database", str(database), "--user", "root", "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "Ru[2Jta evil31m" in out
    assert not any(ch in out for ch in "\x1b\u202e\x07\x9b")
