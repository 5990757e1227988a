"""Untrusted input, files and outputs (issue 11, items 1, 2, 4, 5): templates only from inside
their folder, only regular files read and never more than the cap, no output over an input, a
device, a FIFO or a folder, a full disk reported cleanly, permissions kept.

Device nodes are made in the test's own temporary folder with os.mknod (as root), never the
machine's /dev; the full disk is a small tmpfs."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.errors import OutputError, PlanLoadError, RulePackError, TemplateError
from qunce.engine.output.templating import environment, render
from qunce.engine.output.write import write_atomic

from conftest import EXAMPLES, FIXTURES, ROOT

PLAN = EXAMPLES / "reading-club.yaml"
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="os.mknod of a device needs root")


def _run(*args: str, **kwargs) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), **kwargs)
    return result.exit_code, result.output


def _device(path, minor: int) -> str:
    """A copy of /dev/zero (1,5) or /dev/full (1,7), made in the test's folder."""
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return str(path)


# ---- 1. templates ----------------------------------------------------------------------------


def _plan_with_template(tmp_path, body: str | bytes, name: str = "plan.md.j2") -> tuple[int, str]:
    folder = tmp_path / "tdir"
    folder.mkdir(exist_ok=True)
    target = folder / name
    target.write_bytes(body if isinstance(body, bytes) else body.encode())
    return _run("plan", str(PLAN), "--templates", str(folder))


def test_a_link_to_the_root_cannot_include_the_environment(tmp_path, monkeypatch):
    """`root -> /` plus an include of root/proc/self/environ: refused at the include's line, and
    no byte of the environment reaches the output."""
    monkeypatch.setenv("QUNCE_TEST_SECRET", "tok-3f9a1c")
    (tmp_path / "tdir").mkdir()
    os.symlink("/", tmp_path / "tdir" / "root")
    code, out = _plan_with_template(tmp_path, 'x\n{% include "root/proc/self/environ" %}\n')
    assert code == 2 and "template-refused" in out and "plan.md.j2:2" in out
    assert "tok-3f9a1c" not in out


def test_a_template_that_is_a_link_to_a_file_outside_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password-xyz")
    (tmp_path / "tdir").mkdir()
    os.symlink(secret, tmp_path / "tdir" / "plan.md.j2")
    code, out = _run("plan", str(PLAN), "--templates", str(tmp_path / "tdir"))
    assert code == 2 and "template-refused" in out and "password-xyz" not in out


@pytest.mark.parametrize("name", ["/etc/hostname", "../secret.txt", "sub/../../secret.txt"])
def test_absolute_names_and_dotdot_are_refused(tmp_path, name):
    (tmp_path / "secret.txt").write_text("password-xyz")
    code, out = _plan_with_template(tmp_path, f'{{% include "{name}" %}}')
    assert code == 2 and "template-refused" in out and "password-xyz" not in out


def test_a_link_inside_the_folder_is_allowed(tmp_path):
    """Links are resolved, not banned: one that stays inside the folder works."""
    folder = tmp_path / "tdir"
    folder.mkdir()
    (folder / "real.md.j2").write_text("REAL {{ 1 + 1 }}\n")
    os.symlink("real.md.j2", folder / "plan.md.j2")
    code, out = _run("plan", str(PLAN), "--templates", str(folder))
    assert code == 0 and out.startswith("REAL 2")


def test_a_missing_templates_folder_is_an_error(tmp_path):
    code, out = _run("plan", str(PLAN), "--templates", str(tmp_path / "nope"))
    assert code == 2 and "templates-missing" in out


def test_a_non_utf8_template_is_a_located_error(tmp_path):
    code, out = _plan_with_template(tmp_path, b"line one\nab\xffcd\n")
    assert code == 2 and "template-not-utf8" in out and "plan.md.j2:2:3" in out


def test_a_template_over_the_cap_is_refused(tmp_path):
    from qunce.engine.output.templating import MAX_TEMPLATE_BYTES

    code, out = _plan_with_template(tmp_path, "x" * (MAX_TEMPLATE_BYTES + 1))
    assert code == 2 and "template-too-large" in out


@root_only
def test_a_template_that_is_a_device_or_a_fifo_is_refused(tmp_path):
    folder = tmp_path / "tdir"
    folder.mkdir()
    _device(folder / "plan.md.j2", 5)
    os.mkfifo(folder / "sop_session.md.j2")
    env = environment("md", folder)
    for name in ("plan.md.j2", "sop_session.md.j2"):
        with pytest.raises(TemplateError) as err:
            render(env, name, {})
        assert err.value.code == "not-regular"


# ---- 4. only regular files, at most cap + 1 bytes --------------------------------------------


@root_only
def test_a_link_to_a_zero_device_is_refused_and_the_good_file_keeps_its_result(tmp_path):
    """`ln -s zero evil.yaml; qunce check ok.yaml evil.yaml`: evil.yaml is refused at once, and
    ok.yaml is still checked (one bad file never costs the others their results)."""
    os.symlink(_device(tmp_path / "zero", 5), tmp_path / "evil.yaml")
    code, out = _run("check", str(PLAN), str(tmp_path / "evil.yaml"), "--format", "json", "-j", "1")
    report = json.loads(out)
    by_path = {f["path"]: f for f in report["files"]}
    assert by_path[str(PLAN)]["valid"] is True and by_path[str(PLAN)]["findings"]
    assert by_path[str(tmp_path / "evil.yaml")]["errors"][0]["code"] == "not-regular"
    assert code == 2


def test_a_fifo_does_not_hang_the_run(tmp_path):
    """A FIFO with no writer would block a plain open(); here it is refused immediately."""
    os.mkfifo(tmp_path / "pipe.yaml")
    proc = subprocess.run([sys.executable, "-m", "qunce", "check", str(PLAN), str(tmp_path / "pipe.yaml"),
                           "-j", "1"], capture_output=True, text=True, timeout=60, cwd=ROOT.parent)
    assert proc.returncode == 2 and "not-regular" in proc.stdout


def test_reads_stop_at_the_cap_whatever_st_size_says(tmp_path):
    """A file that grows while read (st_size says little) is cut at cap + 1 bytes: reading a
    FIFO-like endless source is simulated by a file bigger than the cap."""
    from qunce.engine.load.files import read_regular

    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 1000)
    with pytest.raises(PlanLoadError) as err:
        read_regular(big, 100)
    assert err.value.code == "too-large"
    assert read_regular(big, 5000) == big.read_bytes()


@root_only
def test_a_device_as_a_rule_pack_is_refused(tmp_path):
    code, out = _run("check", str(PLAN), "--rules", _device(tmp_path / "zero", 5))
    assert code == 2 and "not-regular" in out
    os.mkfifo(tmp_path / "fifo.yaml")
    code, out = _run("check", str(PLAN), "--rules", str(tmp_path / "fifo.yaml"))
    assert code == 2 and "not-regular" in out


def test_a_rule_pack_over_the_cap_is_refused(tmp_path):
    from qunce.engine.load.yaml import MAX_BYTES
    from qunce.engine.rules.pack import load_rules

    pack = tmp_path / "big.yaml"
    pack.write_bytes(b"#" * (MAX_BYTES + 10))
    with pytest.raises(RulePackError) as err:
        load_rules([pack])
    assert err.value.code == "too-large"


# ---- 2. never over an input ------------------------------------------------------------------


def _plans_folder(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "club.yaml").write_bytes(PLAN.read_bytes())
    return folder


def test_check_cannot_overwrite_a_plan_found_in_a_folder(tmp_path):
    folder = _plans_folder(tmp_path)
    before = (folder / "club.yaml").read_bytes()
    code, out = _run("check", str(folder), "--format", "json", "-o", str(folder / "club.yaml"))
    assert code == 2 and "output-is-input" in out
    assert (folder / "club.yaml").read_bytes() == before


def test_a_hard_link_to_an_input_is_refused(tmp_path):
    folder = _plans_folder(tmp_path)
    os.link(folder / "club.yaml", tmp_path / "report.json")
    code, out = _run("check", str(folder), "--format", "json", "-o", str(tmp_path / "report.json"))
    assert code == 2 and "output-is-input" in out
    assert (folder / "club.yaml").read_bytes() == PLAN.read_bytes()


def test_a_symlink_to_an_input_is_refused(tmp_path):
    folder = _plans_folder(tmp_path)
    os.symlink(folder / "club.yaml", tmp_path / "report.json")
    code, out = _run("check", str(folder / "club.yaml"), "--format", "json", "-o", str(tmp_path / "report.json"))
    assert code == 2 and "output-is-input" in out


def test_the_rule_pack_and_the_template_are_inputs(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_bytes((FIXTURES / "packs" / "good.yaml").read_bytes())
    code, out = _run("check", str(PLAN), "--rules", str(pack), "-o", str(pack))
    assert code == 2 and "output-is-input" in out
    assert pack.read_bytes() == (FIXTURES / "packs" / "good.yaml").read_bytes()
    folder = tmp_path / "tdir"
    folder.mkdir()
    (folder / "plan.md.j2").write_text("T\n")
    code, out = _run("plan", str(PLAN), "--templates", str(folder), "-o", str(folder / "plan.md.j2"))
    assert code == 2 and "output-is-input" in out and (folder / "plan.md.j2").read_text() == "T\n"


@pytest.mark.parametrize("command", ["plan", "sop"])
def test_the_plan_given_to_a_document_command_is_an_input(tmp_path, command):
    plan = tmp_path / "club.yaml"
    plan.write_bytes(PLAN.read_bytes())
    os.link(plan, tmp_path / "out.md")
    code, out = _run(command, str(plan), "-o", str(tmp_path / "out.md"))
    assert code == 2 and "output-is-input" in out and plan.read_bytes() == PLAN.read_bytes()


def test_write_atomic_takes_inputs_as_paths(tmp_path):
    """The library seam: write_atomic(..., inputs=...) refuses; there is no other way to write."""
    source = tmp_path / "a.yaml"
    source.write_text("x")
    with pytest.raises(OutputError) as err:
        write_atomic(tmp_path / "a.yaml", "y", inputs=[source])
    assert err.value.code == "output-is-input" and source.read_text() == "x"
    assert write_atomic(tmp_path / "b.txt", "y", inputs=[source]).read_text() == "y"


# ---- 5. outputs that are not regular files, full disks, permissions ---------------------------


@root_only
@pytest.mark.parametrize("minor", [3, 7])  # null, full
def test_a_device_output_is_refused_and_left_a_device(tmp_path, minor):
    node = _device(tmp_path / "dev", minor)
    code, out = _run("check", str(PLAN), "-o", node)
    assert code == 2 and "output-not-regular" in out
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["dev"]


def test_a_fifo_output_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    code, out = _run("check", str(PLAN), "-o", str(tmp_path / "pipe"))
    assert code == 2 and "output-not-regular" in out and stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)


def test_dash_is_standard_output(tmp_path):
    code, out = _run("check", str(PLAN), "--format", "json", "-o", "-")
    assert code in (0, 1) and json.loads(out)["files"][0]["path"] == str(PLAN)
    assert not os.path.exists("-")


def test_a_trailing_slash_is_an_error_not_a_file(tmp_path):
    code, out = _run("check", str(PLAN), "-o", str(tmp_path / "newdir") + "/")
    assert code == 2 and "output-is-dir" in out
    assert not (tmp_path / "newdir").exists()


def test_an_existing_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    private = tmp_path / "private.md"
    private.write_text("old")
    os.chmod(private, 0o600)
    write_atomic(private, "new")
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600 and private.read_text() == "new"
    old = os.umask(0o077)
    try:
        created = write_atomic(tmp_path / "fresh.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(created).st_mode) == 0o600
    old = os.umask(0o002)
    try:
        created = write_atomic(tmp_path / "shared.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(created).st_mode) == 0o664


def test_a_link_to_a_regular_file_updates_that_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    os.symlink(real, tmp_path / "link.md")
    write_atomic(tmp_path / "link.md", "new")
    assert os.path.islink(tmp_path / "link.md") and real.read_text() == "new"


@pytest.fixture
def full_disk(tmp_path):
    """A 16 KiB tmpfs: room for a few small files, not for a plan document."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("mount of a tmpfs is not allowed here")  # pragma: no cover - CI runs as root
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


@root_only
def test_a_full_disk_is_a_clear_error_and_leaves_no_temp_file(full_disk):
    code, out = _run("plan", str(PLAN), "--format", "html", "-o", str(full_disk / "plan.html"))
    assert code == 2 and "output-disk-full" in out
    assert list(full_disk.iterdir()) == []


@root_only
def test_a_full_disk_keeps_the_old_file(full_disk):
    old = full_disk / "plan.html"
    old.write_text("previous")
    code, out = _run("plan", str(PLAN), "--format", "html", "-o", str(old))
    assert code == 2 and "output-disk-full" in out
    assert [p.name for p in full_disk.iterdir()] == ["plan.html"] and old.read_text() == "previous"


def test_write_atomic_is_usable_from_a_thread(tmp_path):
    """The umask is read without changing it (threads of the local page may be writing too)."""
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            write_atomic(tmp_path / f"f{i}.txt", "x")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len(list(tmp_path.iterdir())) == 4
