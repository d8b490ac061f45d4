"""The settings an administrator changes from officer mode (kiosk.settings_editor): written into kiosk.toml keeping its
comments, checked whole with the kiosk's own rules (every problem at once, nothing written on a refusal), atomically,
for administrators only, audited, and saying which changes take effect after a restart."""

from __future__ import annotations

import difflib
import json
import os
import stat

import pytest

from kiosk.config import ConfigError, ensure_config_file, load_config
from kiosk.officers import NotAllowed
from kiosk.settings_editor import EDITABLE, SETTINGS_CHANGED, SettingsEditor, editable_settings, write_config_text
from kiosk.translation import catalogues

PASSWORD = "correct horse battery 42"
ADMIN, OFFICER = "sgt.admin", "ofc.jones"


@pytest.fixture
def home(container):
    path = ensure_config_file(container.home)
    # An administrator's own note, which the editor must keep.
    path.write_text(path.read_text(encoding="utf-8").replace(
        "[kiosk]\n", "[kiosk]\n# Lobby B: the kiosk by the stairs (Sgt. Rivera, 2026-11).\n"), encoding="utf-8")
    return container.home


@pytest.fixture
def editor(container, home):
    container.officers.add(ADMIN, "Sgt. Alex Admin", "1001", PASSWORD, role="admin", by="cli:test")
    container.officers.add(OFFICER, "Ofc. Pat Jones", "2417", PASSWORD, by="cli:test")
    return SettingsEditor(home, container.audit, container.clock, officers=container.officers)


def admin(container):
    return container.officers.login(ADMIN, PASSWORD)


def config_text(home):
    return (home / "kiosk.toml").read_text(encoding="utf-8")


def settings_entries(container):
    return [entry for entry in container.audit.entries(limit=1000) if entry.action == SETTINGS_CHANGED]


def test_the_fields_come_from_the_declaration():
    fields = {item.key: item for item in editable_settings()}
    assert list(fields) == list(EDITABLE)
    idle = fields["kiosk.idle_timeout_seconds"]
    assert (idle.title, idle.kind, idle.restart, idle.default) == ("Idle timeout", "whole_number", True, 90)
    assert "from 15 to 3600" in idle.accepts
    assert fields["kiosk.languages"].kind == "choices" and fields["kiosk.languages"].choices == catalogues().installed()
    assert fields["kiosk.default_language"].kind == "choice"
    assert fields["printer.paper"].choices == ("80mm", "letter")
    assert fields["department.desk_phone"].kind == "text" and fields["department.desk_phone"].keyboard == "phone"
    assert all(item.restart for item in fields.values())  # kiosk.toml is read once, at start-up


def test_a_change_is_written_keeping_the_files_comments_and_layout(container, home, editor):
    before = config_text(home)
    saved = editor.change(admin(container), {"kiosk.idle_timeout_seconds": 120, "kiosk.languages": ["es"],
                                             "kiosk.default_language": "es", "printer.paper": "letter"})
    assert saved.changed == ("kiosk.idle_timeout_seconds", "kiosk.languages", "kiosk.default_language",
                             "printer.paper")
    after = config_text(home)
    changes = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changes == ["- idle_timeout_seconds = 90", "+ idle_timeout_seconds = 120",
                       f'- languages = {json.dumps(list(catalogues().installed()))}', '+ languages = ["es"]',
                       '- default_language = "en"', '+ default_language = "es"',
                       '- paper = "80mm"', '+ paper = "letter"']
    assert "# Lobby B: the kiosk by the stairs (Sgt. Rivera, 2026-11).\n" in after
    config = load_config(home)  # what the kiosk reads at its next start
    assert (config.kiosk.idle_timeout_seconds, config.kiosk.languages, config.kiosk.default_language,
            config.printer.paper) == (120, ("es",), "es", "letter")
    assert editor.current()["kiosk.idle_timeout_seconds"] == 120


def test_a_refusal_names_every_bad_key_and_writes_nothing(container, home, editor):
    before = (home / "kiosk.toml").read_bytes()
    names_before = sorted(os.listdir(home))
    with pytest.raises(ConfigError) as refused:
        editor.change(admin(container), {
            "kiosk.idle_timeout_seconds": 5,
            "sync.interval_seconds": editable("sync.interval_seconds").value_from_text("every minute"),
            "printer.paper": "A4",
            "printer.name": "front desk",
            "department.desk_phone": "  ",
            "kiosk.languages": ["es"],  # fine alone, but the default language is still "en"
        })
    problems = {problem.key: problem.message for problem in refused.value.problems}
    assert set(problems) == {"kiosk.idle_timeout_seconds", "sync.interval_seconds", "printer.paper", "printer.name",
                             "department.desk_phone", "kiosk.default_language"}
    assert problems["kiosk.idle_timeout_seconds"] == "must be a whole number of seconds from 15 to 3600 (got 5)"
    assert problems["sync.interval_seconds"].endswith('(got "every minute")')
    assert problems["kiosk.default_language"] == 'must be one of kiosk.languages (es) (got "en")'
    assert (home / "kiosk.toml").read_bytes() == before
    assert sorted(os.listdir(home)) == names_before  # no new file left behind either
    assert settings_entries(container) == []


def editable(key):
    return next(item for item in editable_settings() if item.key == key)


def test_typed_text_becomes_a_whole_number_only_when_it_is_one():
    idle = editable("kiosk.idle_timeout_seconds")
    assert idle.value_from_text(" 120 ") == 120
    assert idle.value_from_text("12O") == "12O"  # refused by the check, with what is accepted
    assert editable("department.desk_phone").value_from_text(" (860) 555-0100 ") == "(860) 555-0100"


def test_a_key_the_page_does_not_change_is_refused(container, home, editor):
    before = config_text(home)
    with pytest.raises(ConfigError) as refused:
        editor.change(admin(container), {"kiosk.number": 7, "kiosk.idle_timeout_seconds": 60})
    assert [problem.key for problem in refused.value.problems] == ["kiosk.number"]
    assert config_text(home) == before


def test_only_an_administrator_may_change_settings(container, home, editor):
    before = config_text(home)
    officer = container.officers.login(OFFICER, PASSWORD)
    with pytest.raises(NotAllowed):
        editor.change(officer, {"kiosk.idle_timeout_seconds": 60})
    # A session that outlives its account's role: demoted after logging in.
    session = admin(container)
    container.officers.add("lt.other", "Lt. Other Admin", "1002", PASSWORD, role="admin", by="cli:test")
    container.officers.set_role(ADMIN, "officer", by="cli:test")
    with pytest.raises(NotAllowed):
        editor.change(session, {"kiosk.idle_timeout_seconds": 60})
    assert config_text(home) == before
    assert settings_entries(container) == []


def test_a_change_is_audited_with_its_keys_and_new_values(container, home, editor):
    editor.change(admin(container), {"department.desk_phone": "(860) 555-0199", "sync.interval_seconds": 300,
                                     "kiosk.idle_timeout_seconds": 90})  # unchanged: not recorded
    [entry] = settings_entries(container)
    assert (entry.actor, entry.subject) == (f"officer:{ADMIN}", "kiosk.toml")
    assert entry.details == {"keys": "department.desk_phone,sync.interval_seconds",
                             "department.desk_phone": '"(860) 555-0199"', "sync.interval_seconds": "300"}
    assert container.audit.verify().ok


def test_nothing_changed_writes_and_records_nothing(container, home, editor):
    before = os.stat(home / "kiosk.toml")
    saved = editor.change(admin(container), {"kiosk.idle_timeout_seconds": 90, "printer.paper": "80mm"})
    assert (saved.changed, saved.needs_restart) == ((), ())
    assert os.stat(home / "kiosk.toml").st_mtime_ns == before.st_mtime_ns
    assert settings_entries(container) == []


def test_the_answer_says_which_changes_need_a_restart(container, home, editor):
    saved = editor.change(admin(container), {"department.desk_phone": "(860) 555-0199",
                                             "kiosk.idle_timeout_seconds": 60, "printer.name": "receipts"})
    assert saved.changed == ("department.desk_phone", "kiosk.idle_timeout_seconds", "printer.name")
    # The running kiosk reads kiosk.toml once, at start-up: every change waits for a restart.
    assert saved.needs_restart == ("department.desk_phone", "kiosk.idle_timeout_seconds", "printer.name")
    assert saved.saved_at == container.clock.now()


def test_the_write_keeps_the_files_permissions(container, home, editor):
    path = home / "kiosk.toml"
    os.chmod(path, 0o640)
    editor.change(admin(container), {"kiosk.idle_timeout_seconds": 60})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_the_new_text_is_complete_in_the_same_folder_before_it_replaces_the_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("old = 1\n", encoding="utf-8")
    seen = {}

    def look():
        [temporary] = [name for name in os.listdir(tmp_path) if name != "kiosk.toml"]
        seen["new"] = (tmp_path / temporary).read_text(encoding="utf-8")
        seen["old"] = path.read_text(encoding="utf-8")

    write_config_text(path, "new = 2\n", before_replace=look)
    assert seen == {"new": "new = 2\n", "old": "old = 1\n"}
    assert path.read_text(encoding="utf-8") == "new = 2\n"
    assert os.listdir(tmp_path) == ["kiosk.toml"]


def test_when_the_audit_entry_cannot_be_written_the_file_stays_as_it_was(container, home, editor):
    session = admin(container)
    before = (home / "kiosk.toml").read_bytes()
    names_before = sorted(os.listdir(home))
    container.store.db.execute_sql("DROP TABLE audit_entry")  # the audit write fails
    with pytest.raises(Exception):  # noqa: B017 - whatever the database raises
        editor.change(session, {"kiosk.idle_timeout_seconds": 60})
    assert (home / "kiosk.toml").read_bytes() == before
    assert sorted(os.listdir(home)) == names_before


def test_a_linked_configuration_is_written_where_the_link_points_and_the_link_stays(tmp_path):
    # A deployed kiosk reads /etc/p2c-kiosk/kiosk.toml through a link in its data folder (docs/deployment.md).
    etc, data = tmp_path / "etc", tmp_path / "data"
    etc.mkdir()
    data.mkdir()
    (etc / "kiosk.toml").write_text("old = 1\n", encoding="utf-8")
    (data / "kiosk.toml").symlink_to(etc / "kiosk.toml")
    write_config_text(data / "kiosk.toml", "new = 2\n")
    assert (data / "kiosk.toml").is_symlink()
    assert (etc / "kiosk.toml").read_text(encoding="utf-8") == "new = 2\n"
    assert sorted(os.listdir(etc)) == ["kiosk.toml"] and sorted(os.listdir(data)) == ["kiosk.toml"]
