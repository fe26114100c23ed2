"""Roles: a coordinator signs off for every member, an officer only for their own municipality."""

from app_pages.auth import User


def test_officers_sign_off_only_their_own_municipality():
    officer = User("Bo", "bo@forshaga.se", "officer", "Forshaga", False)
    coordinator = User("Anna", "anna@karlstad.se", "coordinator", None, False)
    assert officer.may_sign_off("Forshaga") and not officer.may_sign_off("Kil")
    assert coordinator.may_sign_off("Kil") and coordinator.may_sign_off("Forshaga")


def test_uploaded_citizen_data_is_never_written_to_the_shared_database(tmp_path):
    """Only edits, archive and feedback are stored: no table can hold citizen rows."""
    from campaigns.store import Store, metadata

    Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    columns = {c.name for t in metadata.tables.values() for c in t.columns}
    for personal in ("respondent_id", "age", "personnummer", "household"):
        assert personal not in columns
