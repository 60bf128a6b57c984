"""docs/school-setup.md done on the test PostgreSQL server by tools/school-server-setup.sh:
the guide's SQL, the program as a non-superuser role that owns its database (migrations
included), the machine-wide file of the 30 PCs, the first administrator, pg_dump."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import ROOT

PG_URL = os.environ.get("DIGCOMP_TEST_DATABASE_URL", "")
TOOLS = ("psql", "pg_dump", "pg_restore")


@pytest.mark.skipif(not PG_URL, reason="DIGCOMP_TEST_DATABASE_URL is not set")
def test_the_school_server_guide_works_on_a_real_server(tmp_path):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        if os.environ.get("DIGCOMP_REQUIRE_PG_TOOLS"):
            pytest.fail(f"missing: {', '.join(missing)} (postgresql-client)")
        pytest.skip(f"missing: {', '.join(missing)} (postgresql-client)")
    superuser = make_url(PG_URL).set(drivername="postgresql").render_as_string(False)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DIGCOMP_") or key == "DIGCOMP_TEST_DATABASE_URL"
    }
    env.update(SUPERUSER_URL=superuser, DIGCOMP_APP=f"{sys.executable} -m digcomp_app")
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / "school-server-setup.sh"), "--check"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "(not a superuser) owns database" in out
    assert "the program's tables belong to" in out
    assert "Backup written to" in out and "pg_dump:" in out
    role = out.split("role ", 1)[1].split()[0]
    check = subprocess.run(
        ["psql", superuser, "-Atc", f"SELECT count(*) FROM pg_roles WHERE rolname = '{role}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == "0"  # cleaned up


def test_without_check_the_script_explains_itself():
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / "school-server-setup.sh")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--check" in done.stdout
