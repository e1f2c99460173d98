"""End-to-end tests in a real browser: Playwright for Python driving Debian's Chromium against Django's live
test server, with axe-core (axe-playwright-python) for accessibility.

The browser is /usr/bin/chromium (or $CHROMIUM); Playwright's own browser download is not used. Where no
Chromium is installed the tests are skipped with that reason, except when E2E_REQUIRED is set (CI sets it
and installs the package), where a missing browser fails the run. Screenshots are written to
$E2E_SCREENSHOTS (default: test-artifacts/screenshots)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get("E2E_SCREENSHOTS", Path(settings.BASE_DIR) / "test-artifacts" / "screenshots")
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
PASSWORD = "a-good-test-password"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("E2E_REQUIRED"):
        raise pytest.UsageError(f"E2E_REQUIRED is set but no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module of browser tests, gone before any other test runs.

    Playwright's synchronous API keeps an event loop running in the test thread, which Django's guard
    against ORM calls from async code mistakes for async code (as pytest-playwright's docs note): the guard
    is relaxed while the browser runs, and only then, so it still catches real mistakes everywhere else."""
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


class Visitor:
    """One person's browser tab against the live server; records console errors (CSP violations included)."""

    def __init__(self, browser, live_server, viewport=DESKTOP):
        self.context = browser.new_context(viewport=viewport, locale="fi-FI")
        self.page = self.context.new_page()
        self.base = live_server.url
        self.errors = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def go(self, path):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        return self.page

    def sign_in(self, email, language="fi", signed_in_fully=True):
        """By keyboard: type into the focused field, Tab to the next, Enter submits."""
        page = self.go(f"/{language}/accounts/login/")
        # The email field has autofocus: wait for it, then type without clicking anywhere. (Playwright's own
        # assertion, not a string evaluated in the page: the site's CSP forbids 'unsafe-eval'.)
        expect(page.locator("input[name=username]")).to_be_focused()
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
        if device is not None and "/two-factor/" in page.url:
            page.fill("#id_code", current_code(device))
            with page.expect_navigation():
                page.keyboard.press("Enter")
        if signed_in_fully:
            assert "/login/" not in page.url and "/two-factor/" not in page.url, page.url
        return page

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    def close(self):
        self.context.close()


def current_code(device):
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def visit(browser, live_server):
    """visit(viewport=...) opens a new browser context; all are closed after the test."""
    opened = []

    def open_visitor(viewport=DESKTOP):
        visitor = Visitor(browser, live_server, viewport)
        opened.append(visitor)
        return visitor

    yield open_visitor
    for visitor in opened:
        visitor.close()


@pytest.fixture
def enrolled(db):
    """enrolled(user) gives a ministry user an authenticator, as their first sign-in would."""

    def enrol(user):
        return TOTPDevice.objects.get_or_create(
            user=user, name="authenticator", defaults={"confirmed": True}
        )[0]

    return enrol
