"""End to end in a real browser: Chromium (Debian's, driven by Playwright) against a real
uvicorn server on 127.0.0.1 over a temporary SQLite store with the bundled knowledge installed.

The assessor uploads the embassy example, runs the assessment and proposes an outcome; a second
account, a reviewer, signs it off (accepting the confirm dialog); the signed PDF is downloaded
and read back. In an identity review, a bidder whose name matches two fictional records equally
well (the review-queue tests' data) is resolved in the queue and the next run uses it. Every
main page is saved as a screenshot under ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bidvet.cli.app import cli
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.web.conftest import EMBASSY, PASSWORD, ROOT, add_accounts
from tests.web.server import serving
from tests.web.test_review_queues import AS_OF as REVIEW_AS_OF
from tests.web.test_review_queues import LIST, REGISTER, TENDER

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("BIDVET_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "tests" / "artifacts"
AS_OF = "2021-01-01"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A served workspace: six accounts (one per role, two assessors, two reviewers), the
    bundled knowledge, as ``bidvet knowledge install`` (and scripts/demo) loads it, and the
    review-queue tests' fictional register and list (two records of one fictional name)."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package chromium; set BIDVET_CHROMIUM)")
    where = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{where / 'workspace.db'}"
    store = Store(url)
    add_accounts(store)
    for name, text in (("register.yaml", REGISTER), ("list.yaml", LIST)):
        (where / name).write_text(text, encoding="utf-8")
        load_file(store, where / name)
    store.dispose()
    installed = CliRunner().invoke(cli, ["--db", url, "knowledge", "install"])
    assert installed.exit_code == 0, installed.output
    with serving(url, where / "server.log") as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=base_url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(60_000)  # assessments and PDFs on a busy machine
    pg = context.new_page()
    pg.on("dialog", lambda dialog: dialog.accept())  # app.js confirms sign-off and return
    try:
        yield pg
    finally:
        context.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000, path
    return path


def submit(page: Any, form: str) -> None:
    """Submit ``form`` and wait for the page it leads to; an error page fails with its text."""
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")
    title = page.title()
    assert not title.startswith(("Cannot do that", "Error", "Not allowed")), page.inner_text("main")


def log_in(page: Any, name: str) -> None:
    page.goto("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(r"/cases$"))
    assert f"{name} (" in page.inner_text("header .who")


def log_out(page: Any) -> None:
    page.click("form.logout button[type=submit]")
    page.wait_for_url(re.compile(r"/login$"))


def test_login_refuses_a_wrong_password_then_admits(page: Any) -> None:
    page.goto("/cases")
    assert page.url.endswith("/login")  # anonymous users are sent to the login page
    shot(page, "login")
    page.fill("input[name=name]", "ada")
    page.fill("input[name=password]", "not the password")
    page.click("form[action='/login'] button[type=submit]")
    assert "wrong password" in page.inner_text("#error-message")
    log_in(page, "ada")
    assert page.inner_text("h1") == "Cases"
    shot(page, "cases")


def test_whole_case_from_upload_to_signed_pdf(page: Any) -> None:
    from pypdf import PdfReader

    log_in(page, "ada")
    page.click("text=New case")
    page.wait_for_url(re.compile(r"/cases/new$"))
    shot(page, "case-new")
    page.set_input_files("#upload-tender input[name=tender]", str(EMBASSY / "tender.yaml"))
    page.set_input_files(
        "#upload-tender input[name=files]",
        [str(EMBASSY / "vendors.yaml"), str(EMBASSY / "answers-borealis.yaml")],
    )
    submit(page, "#upload-tender")
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    case_url = page.url
    assert "Nuctech" in page.inner_text("#bidders")

    page.fill("#run-assessment input[name=as_of]", AS_OF)
    submit(page, "#run-assessment")
    assert AS_OF in page.inner_text("#assessments")

    page.click("a[href*='/bidders/kestrel']")
    page.wait_for_url(re.compile(r"/assessments/\d+/bidders/kestrel$"))
    assert page.inner_text("h1") == "Kestrel Imaging Ltd"
    shot(page, "bidder")
    outcome = page.eval_on_selector("#propose select[name=outcome]", "el => el.value")
    assert outcome in ("exclude", "restrict", "mitigate", "accept")
    submit(page, "#propose")
    assert page.query_selector("#decision .status.proposed") is not None
    assert page.query_selector("form#approve") is None  # an assessor cannot sign off
    bidder_url = page.url
    log_out(page)

    log_in(page, "rui")
    page.goto(bidder_url)
    submit(page, "form#approve")  # the confirm dialog is accepted
    assert page.query_selector("#decision .status.approved") is not None
    assert "by rui" in page.inner_text("#decision")

    page.goto(case_url)
    assert f"{outcome} · approved" in page.inner_text("#bidders")
    shot(page, "case")
    with page.expect_download() as info:
        page.click("#signed-pdf")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Decision and sign-off" in first, first[:1000]
    assert outcome.upper() in first, first[:2000]
    assert "ada" in first and "rui" in first, first[:2000]  # proposer and signer
    assert "Kestrel Imaging Ltd" in first


def test_admin_and_auditor_pages(page: Any) -> None:
    log_in(page, "ann")
    page.click("header nav >> text=Users")
    page.wait_for_url(re.compile(r"/users$"))
    for name in ("ada", "rui", "aud"):
        assert name in page.inner_text("main")
    shot(page, "users")
    log_out(page)
    log_in(page, "aud")
    page.click("header nav >> text=Audit log")
    page.wait_for_url(re.compile(r"/audit$"))
    body = page.inner_text("main")
    assert "user-add" in body and "login" in body
    shot(page, "audit")


def test_identity_review_resolves_an_ambiguous_bidder(page: Any, tmp_path: Path) -> None:
    tender = tmp_path / "tender.yaml"
    bidder = "{id: quorvane, name: Quorvane Detection Systems Ltd, country: gb}"
    tender.write_text(TENDER.format(bidder=bidder), encoding="utf-8")
    log_in(page, "abe")
    page.goto("/cases/new")
    page.set_input_files("#upload-tender input[name=tender]", str(tender))
    submit(page, "#upload-tender")
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    case_url = page.url
    page.fill("#run-assessment input[name=as_of]", REVIEW_AS_OF)
    submit(page, "#run-assessment")
    assert "Ambiguous identities: 1" in page.inner_text("#review-queues")

    page.click("a[href*='/bidders/quorvane']")
    page.wait_for_url(re.compile(r"/assessments/\d+/bidders/quorvane$"))
    assert page.inner_text("#identity p").startswith("Not identified: 2 records match")
    assert "identity-unresolved" in page.inner_text("#findings")
    first_run = page.url

    page.goto(case_url)
    page.click("#review-queues a")
    page.wait_for_url(re.compile(r"/cases/\d+/review$"))
    queue = page.inner_text("#queue-identities")
    assert "Ambiguous identities (1 waiting)" in queue
    form = "#queue-identities form.identity-form"
    candidates = page.eval_on_selector_all(
        f"{form} input[name=choice]", "els => els.map(e => e.value)"
    )
    assert sorted(candidates) == ["none", "rq-listed", "rq-register"]
    shot(page, "review-queue")
    page.check(f"{form} input[name=choice][value=rq-register]")
    page.fill(
        f"{form} textarea[name=reason]", "the registration number on the bid is the register's"
    )
    submit(page, form)
    assert "Ambiguous identities (0 waiting)" in page.inner_text("#queue-identities")
    assert "pinned to rq-register" in page.inner_text("#queue-identities")

    submit(page, "form#rerun")  # the queue page's "run the assessment again"
    page.wait_for_url(case_url)
    assert "Ambiguous identities: 0" in page.inner_text("#review-queues")
    page.click("a[href*='/bidders/quorvane']")
    page.wait_for_url(re.compile(r"/assessments/\d+/bidders/quorvane$"))
    assert page.url != first_run  # the new run's page
    identity = page.inner_text("#identity")
    assert "Identified as rq-register" in identity, identity
    assert "pinned in the case's tender" in identity
    assert "identity-unresolved" not in page.inner_text("#findings")
    shot(page, "bidder-identity")
