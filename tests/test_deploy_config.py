"""deploy/ as installed: nginx accepts the site with a real (self-signed) certificate, and systemd accepts the units
with their paths pointing at this checkout (each ExecStart must exist after `make setup`)."""
import getpass
import grp
import os
import shutil
import subprocess

import pytest

from tests.server import ROOT, nginx_config, nginx_test, self_signed_certificate

UNITS = ROOT / "deploy" / "systemd"


def test_nginx_accepts_the_site_with_a_real_certificate(tmp_path):
    conf, _ports = nginx_config(tmp_path, ["127.0.0.1:8001", "127.0.0.1:8002"], *self_signed_certificate(tmp_path))
    checked = nginx_test(tmp_path, conf)
    assert checked.returncode == 0 and "test is successful" in checked.stderr, checked.stderr


def test_nginx_refuses_the_site_without_its_certificate(tmp_path):
    certificate, key = self_signed_certificate(tmp_path)
    conf, _ports = nginx_config(tmp_path, ["127.0.0.1:8001"], certificate, key)
    key.unlink()
    checked = nginx_test(tmp_path, conf)
    assert checked.returncode != 0 and "site.key" in checked.stderr  # the check above can fail


def installed_units(folder, root=ROOT) -> list[str]:
    """Write the units as installed on a machine with the code in `root` (this checkout) and this user; return the
    names to verify (survey@8001 for the template)."""
    user, group = getpass.getuser(), grp.getgrgid(os.getgid()).gr_name
    for unit in UNITS.glob("*.service"):
        text = unit.read_text().replace("/opt/survey", str(root)).replace(
            "/etc/survey/survey.env", str(ROOT / "deploy" / "survey.env.example"))
        text = text.replace("User=survey", f"User={user}").replace("Group=survey", f"Group={group}")
        (folder / unit.name.replace("@.", "@8001.")).write_text(text)
    return sorted(str(p) for p in folder.glob("*.service"))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_units_and_their_programs_exist(tmp_path):
    checked = subprocess.run(["systemd-analyze", "verify", *installed_units(tmp_path)], capture_output=True,
                             text=True, cwd=tmp_path, check=False)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr  # unknown keys only warn: none either


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_refuses_a_unit_whose_program_is_missing(tmp_path):
    checked = subprocess.run(["systemd-analyze", "verify", *installed_units(tmp_path, tmp_path / "nowhere")],
                             capture_output=True, text=True, cwd=tmp_path, check=False)
    assert checked.returncode != 0 and "is not executable" in checked.stderr
