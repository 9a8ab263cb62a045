"""The filter form on the real dataset, at phone and desktop sizes: it shows the view's filters
(as the filter registry writes them back into a query) and fits the screen, long episode titles
included (no sideways scrolling on a phone)."""

from __future__ import annotations

import pytest

from maps import create_app
from tests.support import ARTIFACTS, Watch, live_server

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
QUERY = "episode=S1E2&character=Nick&q=pier&watched=S2E1"
WIDEST_CONTROL = """() => Math.max(...[...document.querySelectorAll(
  'form.filter-form select, form.filter-form input')].map(el => el.getBoundingClientRect().right))"""


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_filter_form_shows_the_view_and_fits_the_screen(chromium, device):
    app = create_app({"TESTING": True})
    with live_server(app) as base:
        ctx = chromium.new_context(**device)
        page = ctx.new_page()
        watch = Watch(page)
        page.goto(f"{base}/locations?{QUERY}")
        box = page.locator("details.filter-box")
        if box.get_attribute("open") is None:  # folded away on a phone: open it as a fan would
            summary = box.locator("summary")
            summary.tap() if device is PHONE else summary.click()
        form = page.locator("form.filter-form")
        assert form.is_visible()
        assert form.locator("select[name=episode]").input_value() == "S1E2"
        assert form.locator("input[name=watched]").input_value() == "S2E1"  # the spoiler guard, kept
        assert form.locator("select[name=character]").input_value() == "Nick"
        assert form.locator("input[name=q]").input_value() == "pier"
        assert page.evaluate(WIDEST_CONTROL) <= device["viewport"]["width"]
        name = "phone" if device is PHONE else "desktop"
        ARTIFACTS.mkdir(exist_ok=True)
        form.screenshot(path=str(ARTIFACTS / f"filter-form-{name}.png"))
        assert watch.errors == [] and watch.external == []
        ctx.close()
