"""Every setting says what it is beside its field (tracker.domain.models.About): the
app's Settings and `tracker settings` read these, never a list kept by hand."""

from __future__ import annotations

from dataclasses import fields

from tracker.domain.models import (
    ABOUT,
    DISPLAY_SETTINGS,
    RULE_SETTINGS,
    SETTING_SPECS,
    About,
    Settings,
)


def test_every_setting_has_a_label_and_one_plain_sentence() -> None:
    for f in fields(Settings):
        about = f.metadata.get("about")
        assert isinstance(about, About), f"{f.name} has no About in its metadata"
        assert about.label and about.label[0].isupper(), f.name
        sentence = about.sentence
        assert sentence[0].isupper() and sentence.endswith("."), f.name
        assert sentence.count(". ") == 0, f"{f.name}: one sentence, not more"
        assert "[" not in sentence and "\n" not in sentence, f.name
    assert list(ABOUT) == [f.name for f in fields(Settings)]
    assert len({a.label for a in ABOUT.values()}) == len(ABOUT)


def test_the_changeable_numbers_are_the_whole_number_settings_with_a_range() -> None:
    whole = [f.name for f in fields(Settings) if f.type in (int, "int")]
    assert [s.name for s in SETTING_SPECS] == whole
    for spec in SETTING_SPECS:
        assert spec.low <= getattr(Settings(), spec.name) <= spec.high
        assert spec.help and spec.help == ABOUT[spec.name].help
    assert set(RULE_SETTINGS) | set(DISPLAY_SETTINGS) == set(ABOUT)
    assert not set(RULE_SETTINGS) & set(DISPLAY_SETTINGS)
