"""The holes of issues 11 and 12 in the Python client, each against a scripted portal: no default
portal host, redirects kept, a spool that trusts nothing in its folder, one bad report that cannot
block the spool, a key per decorated call, a command wrapper that survives its own log, and HTTPS
with the company's CA."""

import errno
import json
import os
import re
import ssl
import sys
import uuid
from pathlib import Path

import pytest
from scripted_portal import Answer, ScriptedPortal
from tls_files import make_ca_and_server

from tcportal_monitor import __main__ as cli
from tcportal_monitor import _spool, monitored, report_task_status

MONITORING = Path(__file__).resolve().parents[2]


def report(**overrides):
    arguments = dict(task_key="nightly_import", task_name="ナイトリー取込", status="success", message="run")
    arguments.update(overrides)
    return report_task_status(**arguments)


def log_text(spool_dir: Path) -> str:
    log = spool_dir.parent / "tcportal-monitor.log"
    return log.read_text(encoding="utf-8") if log.exists() else ""


def spool_for_later(client_env, down_port, *messages):
    """Spools reports as a PC would while the portal is away."""
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "1")
    for message in messages:
        assert report(message=message) == "spooled"


# --- no default portal host -------------------------------------------------------------------


def test_without_a_base_url_nothing_is_sent_and_the_report_is_spooled(client_env, portal, spool_dir, capsys):
    client_env.delenv("TC_PORTAL_BASE_URL")

    assert report() == "spooled"

    assert portal.received == []
    [waiting] = _spool.pending(spool_dir)
    assert json.loads(waiting.body())["message"] == "run"
    assert "TC_PORTAL_BASE_URL が未設定" in capsys.readouterr().out
    assert "TC_PORTAL_BASE_URL が未設定" in log_text(spool_dir)


def test_no_client_names_a_third_party_portal_host():
    for path in [*MONITORING.glob("windows/*.ps1"), *MONITORING.glob("windows/*.bat"), *MONITORING.glob("python/tcportal_monitor/*.py")]:
        assert "vercel.app" not in path.read_text(encoding="utf-8", errors="replace"), path


# --- redirects ---------------------------------------------------------------------------------


def test_a_redirect_is_kept_in_the_spool_not_discarded(client_env, portal, spool_dir):
    portal.otherwise = Answer(301, {}, {"Location": "https://portal.example/api/monitor/report"})

    assert report() == "spooled"

    assert len(portal.received) == 1  # a redirect is not worth retrying in this run
    assert len(_spool.pending(spool_dir)) == 1
    assert "HTTP 301 redirect to https://portal.example/api/monitor/report" in log_text(spool_dir)

    portal.otherwise = Answer(200, {"ok": True, "monitor_id": "m", "task_key": "nightly_import"})
    assert report(message="next") == "delivered"
    assert [json.loads(r.body)["message"] for r in portal.received[1:]] == ["run", "next"]


def test_a_proxy_asking_for_a_login_keeps_the_report(client_env, portal, spool_dir):
    portal.otherwise = Answer(407, {})

    assert report() == "spooled"

    assert len(_spool.pending(spool_dir)) == 1
    assert "HTTP 407 from the proxy" in log_text(spool_dir)


# --- the spool trusts nothing in its folder -------------------------------------------------


def test_refuses_a_spool_folder_that_is_a_symbolic_link(client_env, portal, spool_dir, down_port, tmp_path):
    victim = tmp_path / "someone elses folder"
    victim.mkdir()
    planted = victim / _spool.file_name(str(uuid.uuid4()))
    planted.write_text('{"secret": "not a report of this PC"}')
    spool_dir.parent.mkdir(parents=True)
    spool_dir.symlink_to(victim, target_is_directory=True)

    assert report() == "delivered"  # the report itself still goes out
    assert [json.loads(r.body)["message"] for r in portal.received] == ["run"]  # nothing read through the link

    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "1")
    assert report() == "rejected"  # could not be delivered, and not written through the link
    assert sorted(p.name for p in victim.iterdir()) == [planted.name]
    assert "link or junction" in log_text(spool_dir)


def test_refuses_a_rejected_folder_that_is_a_symbolic_link(client_env, portal, spool_dir, down_port, tmp_path):
    spool_for_later(client_env, down_port, "refused later")
    victim = tmp_path / "victim"
    victim.mkdir()
    for number in range(3):
        (victim / "{:03d}.txt".format(number)).write_text("keep")
    (spool_dir / _spool.REJECTED_FOLDER).symlink_to(victim, target_is_directory=True)
    client_env.setenv("TC_PORTAL_BASE_URL", portal.base_url)

    assert report(message="current") == "delivered"

    assert [json.loads(r.body)["message"] for r in portal.received] == ["current"]  # the unsafe spool is left alone
    assert "link or junction" in log_text(spool_dir)
    assert sorted(p.name for p in victim.iterdir()) == ["000.txt", "001.txt", "002.txt"]


def test_cleaning_the_rejected_folder_deletes_only_the_spools_own_files(client_env, portal, spool_dir, down_port, tmp_path):
    spool_for_later(client_env, down_port, "refused later")
    rejected = spool_dir / _spool.REJECTED_FOLDER
    rejected.mkdir()
    for number in range(_spool.REJECTED_MAX_FILES):
        (rejected / "20200101T000000{:07d}Z-{}.json".format(number, uuid.uuid4())).write_text("{}")
    foreign = rejected / "000 keep me.txt"  # sorts before every report name
    foreign.write_text("a file the client did not make")
    outside = tmp_path / "outside.txt"
    outside.write_text("target of a planted link")
    (rejected / "19990101T0000000000000Z-{}.json".format(uuid.uuid4())).symlink_to(outside)
    client_env.setenv("TC_PORTAL_BASE_URL", portal.base_url)
    portal.script = [Answer(400, {"error": "bad"})]

    assert report(message="current") == "delivered"

    assert foreign.read_text() == "a file the client did not make"
    assert outside.read_text() == "target of a planted link"
    own = [p for p in rejected.iterdir() if p.name.endswith(".json") and not p.is_symlink()]
    assert len(own) == _spool.REJECTED_MAX_FILES


def test_never_reads_a_spooled_file_that_is_a_link(client_env, portal, spool_dir, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the portal")
    spool_dir.mkdir(parents=True)
    (spool_dir / _spool.file_name(str(uuid.uuid4()))).symlink_to(outside)

    assert report() == "delivered"

    assert [r.body for r in portal.received if b"not for the portal" in r.body] == []
    assert outside.read_text() == "not for the portal"


def test_does_not_write_its_log_through_a_link(client_env, portal, spool_dir, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    spool_dir.parent.mkdir(parents=True)
    (spool_dir.parent / "tcportal-monitor.log").symlink_to(victim)

    assert report() == "delivered"

    assert victim.read_text() == "untouched"


# --- one bad report cannot block the spool --------------------------------------------------


def poison(portal):
    portal.by_body = lambda body: Answer(500, {"error": "Failed to create task monitor"}) if b"poison" in body else None


def test_a_report_that_always_gets_a_5xx_is_set_aside_and_the_rest_keep_flowing(client_env, portal, spool_dir, down_port):
    spool_for_later(client_env, down_port, "poison", "waiting behind it")
    client_env.setenv("TC_PORTAL_BASE_URL", portal.base_url)
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "15")
    client_env.setenv("TC_PORTAL_MAX_ATTEMPTS", "1")
    client_env.setenv("TC_PORTAL_SPOOL_MAX_FAILURES", "2")
    poison(portal)

    assert report(message="run 1") == "delivered"
    assert report(message="run 2") == "delivered"
    assert report(message="run 3") == "delivered"

    delivered = [json.loads(r.body)["message"] for r in portal.received if b"poison" not in r.body]
    assert delivered == ["waiting behind it", "run 1", "run 2", "run 3"]
    assert _spool.pending(spool_dir) == []
    [stuck] = list((spool_dir / _spool.STUCK_FOLDER).iterdir())
    assert json.loads(stuck.read_bytes())["message"] == "poison"
    assert sum(b"poison" in r.body for r in portal.received) == 2  # then left alone
    assert "set aside" in log_text(spool_dir)


def test_an_outage_answering_5xx_to_everything_sets_nothing_aside(client_env, portal, spool_dir, down_port):
    spool_for_later(client_env, down_port, "first", "second")
    client_env.setenv("TC_PORTAL_BASE_URL", portal.base_url)
    client_env.setenv("TC_PORTAL_MAX_ATTEMPTS", "1")
    client_env.setenv("TC_PORTAL_SPOOL_MAX_FAILURES", "1")
    portal.otherwise = Answer(503, {"error": "queue unavailable"})

    for number in range(3):
        assert report(message="during outage {}".format(number)) == "spooled"

    waiting = _spool.pending(spool_dir)
    assert len(waiting) == 5
    assert all(w.failures == 0 for w in waiting)
    assert not (spool_dir / _spool.STUCK_FOLDER).exists()


# --- a key per decorated call --------------------------------------------------------------


def test_the_decorator_makes_a_new_key_for_every_call_even_when_given_one(client_env, portal):
    @monitored("decorated", "デコレータ", idempotency_key=str(uuid.uuid4()))
    def job():
        return None

    job()
    job()
    job()

    keys = [r.headers["idempotency-key"] for r in portal.received]
    assert len(keys) == 3 and len(set(keys)) == 3


def test_reusing_one_monitored_object_is_a_new_run_each_time(client_env, portal):
    given = str(uuid.uuid4())
    run = monitored("reused", "再利用", idempotency_key=given)

    with run:
        pass
    with run:
        pass

    keys = [r.headers["idempotency-key"] for r in portal.received]
    assert keys[0] == given and keys[1] != given


# --- the command wrapper survives its own log ---------------------------------------------------

CHATTY_JOB = "import sys\nfor i in range(40000): print('line', i, 'x' * 40)\nsys.exit(7)"  # ~2 MiB


def test_cli_runs_the_job_when_the_log_folder_cannot_be_made(client_env, portal, tmp_path, capfd):
    blocker = tmp_path / "a file"
    blocker.write_text("where the log folder's parent should be")

    code = cli.main(["run", "--task-key", "k", "--task-name", "n", "--log-dir", str(blocker / "logs"),
                     "--", sys.executable, "-c", "print('still ran'); raise SystemExit(4)"])

    assert code == 4
    assert "still ran" in capfd.readouterr().out
    sent = portal.received[0].json()
    assert sent["exit_code"] == 4 and sent["status"] == "failed"
    assert "log_url" not in sent


def test_cli_keeps_draining_and_reports_the_real_exit_code_when_the_disk_fills(client_env, portal, tmp_path, monkeypatch, capfd):
    full = Path("/dev/full")  # every write fails with ENOSPC, as on a full disk
    if not full.exists():
        pytest.fail("/dev/full is needed to simulate a full disk")
    monkeypatch.setattr(cli, "_log_file", lambda log_dir, task_key, started_at: full)

    code = cli.main(["run", "--task-key", "k", "--task-name", "n", "--log-dir", str(tmp_path),
                     "--", sys.executable, "-u", "-c", CHATTY_JOB])

    assert code == 7
    output = capfd.readouterr().out
    assert "line 39999" in output  # every byte read from the pipe, so the job could finish
    sent = portal.received[0].json()
    assert sent["exit_code"] == 7
    assert "writing stopped" in sent["message"] and os.strerror(errno.ENOSPC) in sent["message"]


def test_cli_keeps_draining_when_the_log_write_raises(client_env, portal, tmp_path, monkeypatch, capfd):
    class FullDisk:
        def __init__(self, *args, **kwargs):
            self.writes = 0

        def write(self, chunk):
            self.writes += 1
            if self.writes > 3:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def flush(self):
            pass

        def close(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_open = open
    monkeypatch.setattr(cli, "open", lambda path, mode="r", *a, **k: FullDisk() if mode == "ab" else real_open(path, mode, *a, **k), raising=False)

    code = cli.main(["run", "--task-key", "k", "--task-name", "n", "--log-dir", str(tmp_path / "logs"),
                     "--", sys.executable, "-u", "-c", CHATTY_JOB])

    assert code == 7
    assert "line 39999" in capfd.readouterr().out
    assert portal.received[0].json()["exit_code"] == 7


# --- HTTPS with the company's CA ----------------------------------------------------------------


@pytest.fixture(scope="module")
def company_tls(tmp_path_factory):
    return make_ca_and_server(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_portal(company_tls):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(company_tls.server_cert), str(company_tls.server_key))
    server = ScriptedPortal(tls=context).start()
    yield server
    server.stop()


def test_posts_over_https_to_a_server_signed_by_the_ca_in_tc_portal_ca_file(client_env, https_portal, company_tls, spool_dir):
    client_env.setenv("TC_PORTAL_BASE_URL", https_portal.base_url)
    client_env.setenv("TC_PORTAL_CA_FILE", str(company_tls.ca))

    assert report() == "delivered"

    [request] = https_portal.received
    assert request.headers["x-tc-portal-secret"] == "unit-test-secret"
    assert _spool.pending(spool_dir) == []


@pytest.mark.parametrize("ca", ["another company's CA", "the system store only"])
def test_an_untrusted_certificate_is_logged_clearly_and_the_report_spooled(
    client_env, https_portal, spool_dir, tmp_path, capsys, ca
):
    client_env.setenv("TC_PORTAL_BASE_URL", https_portal.base_url)
    if ca == "another company's CA":
        client_env.setenv("TC_PORTAL_CA_FILE", str(make_ca_and_server(tmp_path / "other", "Other CA").ca))

    assert report() == "spooled"

    assert https_portal.received == []  # the secret never went to an untrusted server
    assert len(_spool.pending(spool_dir)) == 1
    line = [l for l in capsys.readouterr().out.splitlines() if "not trusted" in l]
    assert line and "TC_PORTAL_CA_FILE" in line[0] and "Import-Certificate" in line[0]
    assert re.search(r"certificate is not trusted", log_text(spool_dir))


def test_a_missing_ca_file_is_logged_and_the_report_spooled(client_env, https_portal, spool_dir, tmp_path):
    client_env.setenv("TC_PORTAL_BASE_URL", https_portal.base_url)
    client_env.setenv("TC_PORTAL_CA_FILE", str(tmp_path / "no-such-ca.pem"))

    assert report() == "spooled"

    assert "TC_PORTAL_CA_FILE" in log_text(spool_dir)
