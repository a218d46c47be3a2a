from __future__ import annotations

from pathlib import Path

from bidvet import settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [name for name in settings.SETTINGS if f"`{name}`" not in text]
    assert missing == [], f"settings missing from README's settings table: {missing}"


def test_db_url_prefers_explicit_then_env(monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("BIDVET_DB", "sqlite:///from-env.db")
        assert settings.db_url(None) == "sqlite:///from-env.db"
        assert settings.db_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
        mp.delenv("BIDVET_DB")
        assert settings.db_url(None) == "sqlite:///bidvet.db"
    finally:
        mp.undo()


def test_cache_dir_sits_next_to_a_sqlite_store(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert settings.cache_dir(db) == tmp_path / ".bidvet-cache"


def test_bidvet_today_documents_the_utc_default() -> None:
    assert "UTC" in settings.SETTINGS["BIDVET_TODAY"].doc
