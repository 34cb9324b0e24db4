"""Hostile input: whatever `tracker import` or `tracker log` is given, the answer is a
clean success or a clear refusal (InvalidInput, exit 2) with nothing changed.

Hypothesis drives most of it in-process (import_text on a Store; `tracker log` through
cli.main); a few cases run the real command in a subprocess.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.conftest import Run
from tests.store.helpers import CLERK, TIME, cli
from tracker.domain.models import LIMITS, TEXT_LIMITS, Channel, Outcome, Strategy
from tracker.store.errors import InvalidInput
from tracker.store.repository import Store
from tracker.store.schema import metadata
from tracker.store.transfer import export_csv, import_text

SHARED = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VALID_DOC: dict[str, Any] = {
    "format": "tracker-export",
    "version": 1,
    "settings": {"weekly_goal": 4, "theme": "textual-light"},
    "challenges": [
        {
            "slug": "ask-a-friend-for-a-lift",
            "title": "Ask a friend for a lift",
            "description": "",
            "rung": 3,
            "context": "friends",
            "barrier": "burden",
            "tip": "",
            "builtin": False,
            "archived": False,
        }
    ],
    "attempts": [
        {
            "challenge": TIME,
            "occurred_at": "2026-11-01T10:00:00+00:00",
            "outcome": "helped",
            "who": "stranger",
            "channel": "in-person",
            "feared": "a frown",
            "predicted": 60,
            "expected_distress": 30,
            "happened": False,
            "peak_distress": 20,
            "confidence": 8,
            "rerated": 20,
            "strategies": ["specific"],
            "learned": "it was fine",
            "note": None,
        },
        {
            "challenge": "ask-a-friend-for-a-lift",
            "occurred_at": "2026-11-02T18:30:00+01:00",
            "outcome": None,
        },
    ],
}
VALID_TEXT = json.dumps(VALID_DOC, indent=2) + "\n"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(str(db_path)) as opened:
        import_text(opened, VALID_TEXT)  # something to lose
        yield opened


def state(store: Store) -> list[list[tuple[Any, ...]]]:
    """Every row of every table."""
    with store.engine.connect() as conn:
        return [
            [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t.name}" ORDER BY 1'))]
            for t in metadata.sorted_tables
        ]


def imported_or_refused(store: Store, document: str) -> bool:
    """Import; on refusal, check it is InvalidInput, one line, and nothing changed."""
    before = state(store)
    try:
        import_text(store, document)
    except InvalidInput as e:
        assert str(e).startswith("cannot import: ") and "nothing was changed" in str(e)
        assert state(store) == before
        return False
    return True


# -- hypothesis: import ------------------------------------------------------------------

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["helped", "in-person", "specific", TIME, "2026-11-01T10:00:00+00:00"])
    | st.builds(lambda n, c: c * n, st.integers(1, 20_000), st.characters(codec="utf-8"))
)
json_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


@settings(SHARED, max_examples=60)
@given(document=json_values)
def test_any_json_is_imported_or_refused_cleanly(store: Store, document: Any) -> None:
    imported_or_refused(store, json.dumps(document))


@settings(SHARED, max_examples=60)
@given(
    version=st.just(1) | json_values,
    challenges=json_values | st.lists(st.dictionaries(st.text(max_size=12), json_values)),
    attempts=json_values | st.lists(st.dictionaries(st.text(max_size=12), json_values)),
    settings_=json_values | st.dictionaries(st.text(max_size=20), json_values),
)
def test_any_export_shaped_document_is_imported_or_refused_cleanly(
    store: Store, version: Any, challenges: Any, attempts: Any, settings_: Any
) -> None:
    document = {
        "format": "tracker-export",
        "version": version,
        "challenges": challenges,
        "attempts": attempts,
        "settings": settings_,
    }
    imported_or_refused(store, json.dumps(document))


PLACES = st.sampled_from(
    [("challenges", 0, k) for k in VALID_DOC["challenges"][0]]
    + [("attempts", i, k) for i in (0, 1) for k in VALID_DOC["attempts"][0]]
    + [("settings", None, k) for k in ("weekly_goal", "theme", "climb_recent", "nope")]
    + [(None, None, k) for k in ("format", "version", "challenges", "attempts", "settings")]
)


def spoil(document: dict[str, Any], place: tuple[Any, Any, str], value: Any) -> None:
    section, index, key = place
    target: Any = document
    if section is not None:
        target = document.get(section)
        if index is not None:
            if not isinstance(target, list) or len(target) <= index:
                return  # an earlier spoil took it away
            target = target[index]
    if not isinstance(target, dict):
        return
    if value is KeyError:
        target.pop(key, None)
    else:
        target[key] = value


@settings(SHARED, max_examples=120)
@given(spoils=st.lists(st.tuples(PLACES, json_values | st.just(KeyError)), min_size=1, max_size=3))
def test_a_valid_export_with_fields_spoiled_is_imported_or_refused_cleanly(
    store: Store, spoils: list[tuple[tuple[Any, Any, str], Any]]
) -> None:
    document = json.loads(VALID_TEXT)
    for place, value in spoils:
        spoil(document, place, value)
    imported_or_refused(store, json.dumps(document))


@settings(SHARED, max_examples=40)
@given(cut=st.integers(min_value=0, max_value=len(VALID_TEXT) - 3))
def test_a_truncated_export_is_refused(store: Store, cut: int) -> None:
    assert not imported_or_refused(store, VALID_TEXT[:cut])


# -- hand-written: import -----------------------------------------------------------------


def doc_with(**changes: Any) -> str:
    document = json.loads(VALID_TEXT) | changes
    return json.dumps(document)


def attempt_with(**fields: Any) -> str:
    document = json.loads(VALID_TEXT)
    document["attempts"][0].update(fields)
    return json.dumps(document)


HOSTILE_IMPORTS = {
    "empty": "",
    "whitespace": "  \n\t ",
    "truncated": VALID_TEXT[: len(VALID_TEXT) // 2],
    "null": "null",
    "a list": "[1, 2, 3]",
    "binary garbage": bytes(range(256)).decode("latin-1"),
    "not our format": '{"format": "other", "version": 1}',
    "version as text": doc_with(version="1"),
    "version as bool": doc_with(version=True),
    "newer version": doc_with(version=3),
    "attempts not a list": doc_with(attempts={"a": 1}),
    "challenges as text": doc_with(challenges="all of them"),
    "settings a list": doc_with(settings=[1]),
    "goal out of range": doc_with(settings={"weekly_goal": 0}),
    "goal astronomical": doc_with(settings={"weekly_goal": 10**30}),
    "goal as bool": doc_with(settings={"weekly_goal": True}),
    "theme a number": doc_with(settings={"theme": 5}),
    "theme a lone surrogate": doc_with(settings={"theme": "\ud800"}),
    "unknown setting": doc_with(settings={"colour": 1}),
    "unknown slug": attempt_with(challenge="no-such-challenge"),
    "slug a number": attempt_with(challenge=5),
    "unknown field": attempt_with(mood="fine"),
    "rung a fraction": json.dumps(
        json.loads(VALID_TEXT) | {"challenges": [VALID_DOC["challenges"][0] | {"rung": 3.5}]}
    ),
    "rung 11": json.dumps(
        json.loads(VALID_TEXT) | {"challenges": [VALID_DOC["challenges"][0] | {"rung": 11}]}
    ),
    "confidence as text": attempt_with(confidence="high"),
    "predicted NaN": attempt_with(predicted=float("nan")),
    "predicted infinite": attempt_with(predicted=float("inf")),
    "predicted huge": attempt_with(predicted=10**400),
    "strategies a string": attempt_with(strategies="specific"),
    "strategy unknown": attempt_with(strategies=["bribery"]),
    "outcome unknown": attempt_with(outcome="maybe"),
    "time without zone": attempt_with(occurred_at="2026-11-01T10:00:00"),
    "time not a time": attempt_with(occurred_at="last tuesday"),
    "time a number": attempt_with(occurred_at=1_700_000_000),
    "time past year 9999": attempt_with(occurred_at="9999-12-31T23:00:00-02:00"),
    "time before year 1": attempt_with(occurred_at="0001-01-01T00:30:00+01:00"),
    "note a lone surrogate": attempt_with(note="\udcff"),
    "note 5 MB": attempt_with(note="x" * 5_000_000),
    "who 1 MB": attempt_with(who="y" * 1_000_000),
    "title 100 kB": json.dumps(
        json.loads(VALID_TEXT)
        | {"challenges": [VALID_DOC["challenges"][0] | {"title": "t" * 100_000}]}
    ),
    "nested 500 deep": doc_with(attempts=json.loads("[" * 500 + "]" * 500)),
}


@pytest.mark.parametrize("document", HOSTILE_IMPORTS.values(), ids=HOSTILE_IMPORTS.keys())
def test_hostile_imports_are_refused_and_change_nothing(store: Store, document: str) -> None:
    assert not imported_or_refused(store, document)


def test_csv_given_as_json_is_refused_with_a_hint(store: Store) -> None:
    before = state(store)
    with pytest.raises(InvalidInput, match="looks like CSV"):
        import_text(store, export_csv(store))
    assert state(store) == before


def test_deeply_nested_json_is_refused(store: Store) -> None:
    assert not imported_or_refused(store, "[" * 100_000 + "]" * 100_000)


def test_the_valid_document_imports(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        report = import_text(store, VALID_TEXT)
        assert report.attempts_added == 2 and report.challenges_added == 1
        assert store.settings().weekly_goal == 4


@pytest.mark.parametrize(
    "content",
    [
        VALID_TEXT[:-40],
        "id,challenge,title\n1,ask-a-stranger-the-time,x\n",
        attempt_with(challenge="no-such-challenge"),
        attempt_with(note="x" * 5_000_000),
    ],
    ids=["truncated", "csv", "unknown slug", "5 MB note"],
)
def test_tracker_import_refuses_in_one_line_with_exit_2_and_writes_nothing(
    run: Run, db_path: Path, tmp_path: Path, content: str, logged_db: bytes
) -> None:
    db_path.parent.mkdir(mode=0o700)
    db_path.write_bytes(logged_db)
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = run("import", str(bad))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot import")
    assert result.out == "" and "Traceback" not in result.err
    assert db_path.read_bytes() == logged_db


@pytest.fixture(scope="module")
def logged_db(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A database with a logged attempt, its -wal folded in."""
    from tests.store.helpers import settle

    path = tmp_path_factory.mktemp("logged") / "tracker.db"
    with Store.open(str(path)) as store:
        import_text(store, VALID_TEXT)
    settle(path)
    return path.read_bytes()


# -- hypothesis: tracker log ---------------------------------------------------------------


Typed = tuple[str, bool, Any]  # what is typed, whether it is valid, the value stored


def score(name: str) -> tuple[st.SearchStrategy[Typed], st.SearchStrategy[Typed]]:
    low, high = LIMITS[name]
    fine = st.integers(low, high).map(lambda n: (str(n), True, n))
    numbers = st.integers(low - 30, high + 30).map(lambda n: (str(n), low <= n <= high, n))
    junk = st.sampled_from(["abc", "1.5", "", "1e2", "5%", "ten"]).map(lambda t: (t, False, None))
    return fine, numbers | junk


def words(name: str) -> tuple[st.SearchStrategy[Typed], st.SearchStrategy[Typed]]:
    limit = TEXT_LIMITS[name]
    typed = st.text(max_size=40) | st.integers(limit - 5, limit + 5).map(lambda n: "w" * n)
    return (
        st.text(max_size=40).map(lambda t: (t, True, t.strip() or None)),
        typed.map(lambda t: (t, len(t) <= limit, t.strip() or None)),
    )


def choices(
    fine: list[Typed], bad: list[Typed]
) -> tuple[st.SearchStrategy[Typed], st.SearchStrategy[Typed]]:
    return st.sampled_from(fine), st.sampled_from(fine + bad)


#: For each option of `tracker log`: values that are all valid, and values of any kind.
OPTIONS: dict[str, tuple[st.SearchStrategy[Typed], st.SearchStrategy[Typed]]] = {
    "outcome": choices(
        [(o.value, True, o.value) for o in Outcome] + [("HELPED", True, "helped")],
        [("maybe", False, None), ("", False, None)],
    ),
    "when": choices(
        [(t, True, None) for t in ("now", "yesterday 17:30", "3 hours ago", "last monday 9am")]
        + [("2026-11-20 17:30", True, None)],
        [(t, False, None) for t in ("tomorrow", "blah", "2027-01-01", "in 3 hours", " ")],
    ),
    "predicted": score("predicted"),
    "expected-distress": score("expected_distress"),
    "peak-distress": score("peak_distress"),
    "confidence": score("confidence"),
    "rerated": score("rerated"),
    "happened": choices(
        [("yes", True, True), ("no", True, False), ("YES", True, True)], [("maybe", False, None)]
    ),
    "channel": choices([(c.value, True, c.value) for c in Channel], [("pigeon", False, None)]),
    "who": words("who"),
    "feared": words("feared"),
    "learned": words("learned"),
    "note": words("note"),
}


@st.composite
def log_options(draw: st.DrawFn) -> tuple[dict[str, Typed], list[str]]:
    """Options for `tracker log`: about half the time all valid, else anything goes."""
    kind = 0 if draw(st.booleans()) else 1
    chosen = {"outcome": draw(OPTIONS["outcome"][kind])}
    for name in draw(st.sets(st.sampled_from([k for k in OPTIONS if k != "outcome"]))):
        chosen[name] = draw(OPTIONS[name][kind])
    names = [s.value for s in Strategy] + ([] if kind == 0 else ["bribery"])
    strategies = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    return chosen, strategies


@settings(SHARED, max_examples=70)
@given(
    drawn=log_options(),
    challenge=st.sampled_from([(TIME, True), (CLERK, True), ("2", True), ("no-such", False)]),
)
def test_tracker_log_takes_valid_options_and_refuses_the_rest_writing_nothing(
    db_path: Path, drawn: tuple[dict[str, Typed], list[str]], challenge: tuple[str, bool]
) -> None:
    given_options, strategies = drawn
    args = ["log", challenge[0], "--json"]
    for name, (typed, _, _) in given_options.items():
        args.append(f"--{name}={typed}")
    args += [f"--strategy={s}" for s in strategies]
    valid = challenge[1] and all(ok for _, ok, _ in given_options.values())
    valid = valid and "bribery" not in strategies

    if db_path.exists():
        with Store.open(str(db_path)) as store:
            count = store.count_attempts()
    else:
        count = 0
    code, out, err = cli(*args, db=db_path)
    with Store.open(str(db_path)) as store:
        after = store.count_attempts()
    event("logged" if valid else "refused")
    if not valid:
        assert code == 2, (args, out, err)
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
        assert out == "" and after == count
        return
    assert code == 0, (args, err)
    assert after == count + 1
    logged = json.loads(out)
    for name, (_, _, value) in given_options.items():
        key = name.replace("-", "_")
        if name != "when":
            assert logged[key] == value, (name, logged[key], value)
    order = [s.value for s in Strategy]
    assert logged["strategies"] == sorted(strategies, key=order.index)


def test_an_argument_that_is_not_valid_unicode_is_refused(db_path: Path) -> None:
    """A byte that is not UTF-8 arrives as a lone surrogate (surrogateescape)."""
    code, out, err = cli("log", TIME, "--outcome", "helped", "--note", "caf\udce9", db=db_path)
    assert code == 2 and err.startswith("error: ") and out == ""
    with Store.open(str(db_path)) as store:
        assert store.count_attempts() == 0
