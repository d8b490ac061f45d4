"""Starting without a display gives a clear error instead of Qt aborting the process; resources are found."""

from __future__ import annotations

import sys

import pytest

from kiosk.resources import resource_path
from ui.app import NoDisplayError, check_display, ensure_application


def test_no_display_raises_a_clear_error():
    with pytest.raises(NoDisplayError) as raised:
        check_display({"HOME": "/root"}, platform="linux")
    message = str(raised.value)
    assert "desktop session" in message
    assert 'xvfb-run -a -s "-screen 0 1280x800x24"' in message
    assert "QT_QPA_PLATFORM=offscreen" in message


def test_empty_display_variables_count_as_unset():
    with pytest.raises(NoDisplayError):
        check_display({"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}, platform="linux")


@pytest.mark.parametrize(
    "environ", [{"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}, {"QT_QPA_PLATFORM": "offscreen"}]
)
def test_any_display_or_platform_is_enough(environ):
    check_display(environ, platform="linux")


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_need_no_display_variable(platform):
    check_display({}, platform=platform)


def test_an_existing_application_is_reused(qapp):
    assert ensure_application() is qapp


def test_resources_come_from_the_bundle_when_frozen(monkeypatch, tmp_path):
    assert resource_path("style", "kiosk.qss").is_file()
    assert resource_path("locale", "es", "LC_MESSAGES", "p2c.po").is_file()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("style", "kiosk.qss") == tmp_path / "resources" / "style" / "kiosk.qss"
