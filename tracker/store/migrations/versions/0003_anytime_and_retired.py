"""Safety and fairness (issue 9): any-time challenges, a retired crisis challenge, and
two new attempt fields.

- challenge: `rung` may be NULL, for an any-time challenge (new `anytime` flag; a CHECK
  keeps the two in step, valid on SQLite and PostgreSQL alike).
- attempt: `evidence` (how you know what happened) and `kinder` (a kinder, truer
  thought), both optional text.
- The built-in ladder in existing databases: the crisis challenge is archived (a crisis
  is not something to practise); professional help moves off rung 9 to any time; the
  server-mistake ask moves from rung 3 to 5 unless the user moved it; the new built-in
  challenges are added (any slug already taken is left alone); and built-in texts the
  user never edited (they still match the first release's) take the new wording.

Revision ID: 0003
Revises: 0002

Frozen: later changes go in new revisions, never here.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op

from tracker.store.seed import ladder_entries

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ANYTIME_CHECK = "(anytime = true AND rung IS NULL) OR (anytime = false AND rung IS NOT NULL)"
RETIRED = "ask-a-friend-to-stay-with-you-in-a-crisis"
TO_ANYTIME = "reach-out-to-a-professional-about-how-you-feel"
MOVED = ("ask-a-server-to-fix-your-order", 3, 5)

#: The built-in challenges this revision adds.
NEW = (
    "talk-to-a-doctor-about-how-you-have-been-feeling",
    "call-or-message-a-helpline",
    "tell-a-trusted-person-how-you-really-are",
    "ask-someone-to-pass-you-something",
    "tell-a-friend-you-had-a-rough-day",
    "ask-someone-to-say-it-again",
    "ask-a-neighbour-to-lend-a-hand-for-a-minute",
    "say-you-are-new-and-ask-for-a-hand",
    "ask-a-group-to-help-with-something-you-organise",
    "ask-an-advice-service-for-help",
    "ask-a-friend-for-a-big-favour",
    "ask-a-group-for-help-out-loud",
    "ask-a-professional-for-a-second-opinion",
)

#: A fingerprint of each first-release built-in text (title, description, tip): a row
#: that still matches was never edited, so it may take the new wording.
FIRST_RELEASE_TEXT = {
    "ask-a-stranger-the-time": "a597c68591a28256",
    "ask-a-store-clerk-where-something-is": "37e95d0c2ab8177f",
    "ask-a-librarian-for-a-recommendation": "6df9c01be4173838",
    "ask-a-barista-what-they-recommend": "1b7c130bf8f37dd8",
    "message-a-seller-with-a-question": "2cf846df72589821",
    "ask-a-stranger-for-directions": "0289f6f03ee42429",
    "ask-a-pharmacist-a-question": "9582cf293b2533de",
    "ask-a-coworker-where-something-is": "f74767f1268bc54d",
    "ask-a-relative-for-a-recipe": "41aaaac7dd637fb3",
    "ask-a-neighbor-a-local-question": "983dc8309132754c",
    "ask-a-stranger-to-take-your-photo": "c22f9c0e6bcca57c",
    "borrow-something-small-from-a-friend": "b14a6af2aaa1066a",
    "ask-a-server-to-fix-your-order": "f864aeb765c70513",
    "ask-a-question-in-an-online-forum": "0f63a50f8795e3af",
    "ask-family-to-pick-something-up": "e8a0f215adbf1085",
    "ask-a-colleague-for-a-quick-explanation": "04ebc4e824296275",
    "ask-a-neighbor-to-take-in-a-package": "fecba4be43ae661b",
    "ask-a-friend-for-a-small-favor": "c58f608b07225d28",
    "ask-a-store-for-a-refund": "25a0a8f15cb18bc8",
    "ask-someone-to-watch-your-things": "26f5fd0bacc7d7e4",
    "ask-family-for-advice-on-a-decision": "fc58945d8af34882",
    "ask-a-doctor-to-explain-again": "0d5d3d472a5f836c",
    "ask-online-under-your-own-name": "98c7af55e71af32d",
    "ask-your-manager-to-clarify-a-task": "c665141cc8eb9fcd",
    "ask-a-friend-to-listen": "f52b273a083088f8",
    "borrow-a-tool-from-a-neighbor": "a9512d0df8b52a2c",
    "ask-family-to-teach-you-a-skill": "0ad36b7e9bc7ad47",
    "ask-a-passerby-to-help-you-carry-something": "a0f7610289e7c9f9",
    "ask-a-colleague-to-review-your-work": "ae1963f5e3f78e7f",
    "ask-a-club-member-to-practice-with-you": "f3cba5b4cea76712",
    "ask-a-friend-for-a-ride-to-the-airport": "e3aef9578954fa9a",
    "ask-customer-service-to-escalate": "f61e8a1ed95a7544",
    "ask-an-online-support-group-for-advice": "aed840567af7d09b",
    "ask-family-to-share-a-chore": "ef098bcc6af27897",
    "tell-a-colleague-you-are-stuck": "2768d224a3c23b88",
    "ask-friends-to-help-you-move": "9eac38392ec8ed25",
    "ask-for-a-fee-to-be-waived": "ca2cd3a8c771a923",
    "message-someone-you-admire-for-advice": "1c20f5dfa0c4ddd4",
    "tell-family-about-a-mistake": "a58c8cba85572eec",
    "ask-your-manager-for-honest-feedback": "e23796836d402c81",
    "ask-a-friend-to-check-in-on-you": "54d1066eb84d9c3b",
    "ask-a-relative-to-cover-care-for-a-day": "ff015e3e3ae85aaf",
    "ask-a-neighbor-to-help-with-a-project": "0425371b1c65daad",
    "ask-your-landlord-for-an-overdue-repair": "afdd9ef798a6e9a9",
    "reach-out-to-a-professional-about-how-you-feel": "1035d0247a08550d",
    "ask-someone-senior-to-mentor-you": "0b2f870bcd27d7a0",
    "ask-a-friend-to-help-with-something-hidden": "f567bac834925927",
    "ask-your-network-for-job-leads": "c15b067ca5984904",
    "ask-your-community-for-meals": "026e88bda3716e90",
    "ask-for-a-raise": "dc4f69a9e06f65b9",
    "ask-a-friend-to-stay-with-you-in-a-crisis": "c3d7482891a97f66",
    "tell-family-you-are-struggling": "007e5aa5f1462404",
    "ask-for-a-deadline-extension": "d4f010ee60c91bdc",
    "ask-for-accommodations-at-work": "019016ad2e60ab0d",
}


def _fingerprint(title: str, description: str, tip: str) -> str:
    return hashlib.sha256("\x1f".join([title, description, tip]).encode()).hexdigest()[:16]


def _shipped() -> dict[str, dict[str, Any]]:
    """The built-in ladder as shipped with the tracker doing the upgrade."""

    return {e["slug"]: e for e in ladder_entries()}


def upgrade() -> None:
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anytime", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.alter_column("rung", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f("ck_challenge_anytime"), ANYTIME_CHECK)
    # Plain ADD COLUMN: rebuilding `attempt` would drop its triggers (0002).
    op.add_column("attempt", sa.Column("evidence", sa.String(), nullable=True))
    op.add_column("attempt", sa.Column("kinder", sa.String(), nullable=True))

    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM challenge")).scalar_one() == 0:
        return  # a new file: the store seeds the whole shipped ladder once it is open
    shipped = _shipped()
    conn.execute(
        sa.text("UPDATE challenge SET archived = true WHERE slug = :slug AND builtin = true"),
        {"slug": RETIRED},
    )
    conn.execute(
        sa.text(
            "UPDATE challenge SET rung = NULL, anytime = true WHERE slug = :slug AND builtin = true"
        ),
        {"slug": TO_ANYTIME},
    )
    slug, was, now = MOVED
    conn.execute(
        sa.text(
            "UPDATE challenge SET rung = :now WHERE slug = :slug AND builtin = true AND rung = :was"
        ),
        {"slug": slug, "was": was, "now": now},
    )
    rows = conn.execute(
        sa.text("SELECT id, slug, title, description, tip FROM challenge WHERE builtin = true")
    ).all()
    for id_, slug, title, description, tip in rows:
        entry = shipped.get(slug)
        if entry is None or FIRST_RELEASE_TEXT.get(slug) != _fingerprint(title, description, tip):
            continue
        conn.execute(
            sa.text("UPDATE challenge SET title = :t, description = :d, tip = :p WHERE id = :id"),
            {"t": entry["title"], "d": entry["description"], "p": entry["tip"], "id": id_},
        )
    taken = {s for (s,) in conn.execute(sa.text("SELECT slug FROM challenge"))}
    for slug in NEW:
        entry = shipped.get(slug)
        if entry is None or slug in taken:
            continue
        conn.execute(
            sa.text(
                "INSERT INTO challenge (slug, title, description, rung, anytime, context, barrier,"
                " tip, builtin, archived) VALUES (:slug, :title, :description, :rung, :anytime,"
                " :context, :barrier, :tip, true, :archived)"
            ),
            {
                "slug": slug,
                "title": entry["title"],
                "description": entry["description"],
                "rung": entry.get("rung"),
                "anytime": bool(entry.get("anytime", False)),
                "context": entry["context"],
                "barrier": entry["barrier"],
                "tip": entry["tip"],
                "archived": bool(entry.get("retired", False)),
            },
        )


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text("DELETE FROM challenge WHERE builtin = true AND slug IN :new").bindparams(
            sa.bindparam("new", expanding=True)
        ),
        {"new": list(NEW)},
    )
    conn.execute(sa.text("UPDATE challenge SET rung = 9 WHERE rung IS NULL"))
    op.drop_column("attempt", "kinder")
    op.drop_column("attempt", "evidence")
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_challenge_anytime"), type_="check")
        batch_op.alter_column("rung", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("anytime")
