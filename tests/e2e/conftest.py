"""Browser tests: Playwright (Python) driving Debian's Chromium against the live test server.

Playwright never downloads a browser here: it launches /usr/bin/chromium with the flags that keep it off the
(closed) network. The sync API runs an event loop in this thread, so Django's ORM calls from the test body
must be allowed explicitly.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
# Answers that are not pages (files, feeds) and the sign-out itself.
NOT_PAGES = ("/pdf", ".pdf", ".xlsx", ".csv", "/download", "/logout", "/uitloggen", "/api/")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url) if frame == page.main_frame else None)
    yield page
    violations = _axe_every_page(browser, live_server, context, visited)
    context.close()
    assert not errors, f"JavaScript or CSP errors in the browser: {errors}"
    # Issue 12: no axe-core violation of any impact on any page a browser test visits. Each page is opened again,
    # as the test's last signed-in user, once the journey is done.
    assert not violations, "axe-core violations:\n" + json.dumps(violations, ensure_ascii=False, indent=1)


def _axe_every_page(browser, live_server, context, visited: list[str]) -> list:
    found = []
    seen = set()
    # The test's own cookies in a context that lets the axe script in (the pages' CSP refuses injected scripts).
    checker = browser.new_context(
        base_url=live_server.url, locale="nl-NL", bypass_csp=True, storage_state=context.storage_state()
    )
    check = checker.new_page()
    for url in visited:
        path = urlsplit(url).path
        if not path or path in seen or any(marker in url for marker in NOT_PAGES) or url.startswith("about:"):
            continue
        seen.add(path)
        if not url.startswith(live_server.url):  # another server (the OIDC provider): not Tafel's page
            continue
        try:
            response = check.goto(url)
        except PlaywrightError:  # a POST-only address answers a GET without a page
            continue
        if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        check.add_script_tag(path=str(AXE))
        result = check.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ["violations"]});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)}));
            }"""
        )
        if result:
            found.append({"page": path, "violations": result})
    checker.close()
    return found


def login(page, username: str, password: str = "testpass-Tafel-2026") -> None:
    page.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/werkvoorraad/**")


def logout(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login/**")
