"""Both pages in Thai in headless Chromium: most of the visible text is Thai (measured as the share
of letters in the Thai block among Thai and Latin letters, numbers, code, styles and images left
out), the transport buttons are Thai, and with ``?lang=en`` the pages are English. The selector
switches the language, keeps the settings in the URL, and the live frames follow while playing.

Measured on this machine (1400x1000): 0.92 on / while playing and 0.90-0.93 on /digits (what is left
in Latin letters: the selector's "Language", proper names and code names such as relu, epoch and
loss, and Streamlit's own chrome: "Skip to main content", the uploader's "Upload ... per file").
The thresholds leave a margin under those; English pages measured 0.005-0.006 (the selector's ไทย).
"""

import pytest

from tests.i18n.english import thai_share

pytestmark = pytest.mark.browser

MOSTLY_THAI = 0.8  # measured 0.92 (/, playing) and 0.90-0.93 (/digits)
ENGLISH_AT_MOST = 0.02  # measured 0.006 with ?lang=en
# The text a reader sees: the app's visible text without code, styles, pictures and icon ligatures.
VISIBLE_TEXT = """() => {
  const app = document.querySelector('[data-testid="stApp"]').cloneNode(true);
  app.querySelectorAll('style, script, code, pre, svg, img, canvas, iframe, [data-testid="stIconMaterial"]')
     .forEach(e => e.remove());
  return app.innerText;
}"""


def visible_text(page) -> str:
    return page.evaluate(VISIBLE_TEXT)


def test_the_playground_in_thai_while_playing(app_url, page):
    page.goto(f"{app_url}/?lang=th&ds=spiral&hidden=8,8")
    page.get_by_role("button", name="เล่น", exact=True).click()
    page.locator('[data-testid="pg-live-map"]').wait_for()
    for name in ("หยุดชั่วคราว", "ทีละขั้น", "รีเซ็ต"):  # Pause, Step, Reset
        page.get_by_role("button", name=name, exact=True).wait_for()
    page.locator('[data-testid="pg-live-network"]').wait_for()
    page.get_by_text("loss ชุดฝึก", exact=True).wait_for()  # the live frame's metric, drawn by the worker
    assert page.locator('[data-testid="pg-live-map"]').get_attribute("alt") == "แผนที่การตัดสินใจ"
    share = thai_share(visible_text(page))
    print(f"Thai share on / while playing: {share:.3f}")
    assert share >= MOSTLY_THAI
    page.get_by_role("button", name="หยุดชั่วคราว", exact=True).click()
    page.get_by_role("button", name="เล่น", exact=True).wait_for()


def test_the_digits_page_in_thai(app_url, page):
    page.goto(f"{app_url}/digits?lang=th")
    page.get_by_text("วาดตัวเลขบนพื้นที่วาด", exact=False).wait_for(timeout=60_000)
    for tab in ("วาดตัวเลข", "ฝึก", "ตรวจดู"):
        page.get_by_role("tab", name=tab).wait_for()
    share = thai_share(visible_text(page))
    print(f"Thai share on /digits: {share:.3f}")
    assert share >= MOSTLY_THAI


@pytest.mark.parametrize("path", ["/", "/digits"])
def test_with_lang_en_the_pages_are_english(app_url, page, path):
    page.goto(f"{app_url}{path}?lang=en")
    page.get_by_text("Language / ภาษา").wait_for(timeout=60_000)
    if path == "/":
        page.get_by_role("button", name="Play", exact=True).wait_for()
    else:
        page.get_by_text("Draw a digit on the canvas", exact=False).wait_for(timeout=60_000)
    share = thai_share(visible_text(page))
    print(f"Thai share on {path} with ?lang=en: {share:.3f}")
    assert share <= ENGLISH_AT_MOST


def test_the_selector_switches_while_playing_and_keeps_the_settings(app_url, page):
    page.goto(f"{app_url}/?lang=en&ds=xor&noise=10")
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_text("Train loss", exact=True).wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_text("ไทย", exact=True).click()
    # The live frames follow: the worker restarts the job in Thai.
    page.get_by_text("loss ชุดฝึก", exact=True).wait_for()
    page.get_by_role("button", name="หยุดชั่วคราว", exact=True).wait_for()
    assert page.locator('[data-testid="pg-live-curves"]').get_attribute("alt") == "กราฟ loss และกราดิเอนต์"
    url = page.url
    assert "lang=th" in url and "ds=xor" in url and "noise=10" in url
    page.get_by_role("button", name="หยุดชั่วคราว", exact=True).click()
    page.get_by_role("button", name="เล่น", exact=True).wait_for()
    # Another page keeps the language (the selector puts it back into the URL).
    page.get_by_role("link", name="ตัวเลข (MNIST)").click()
    page.get_by_role("tab", name="วาดตัวเลข").wait_for(timeout=60_000)
    assert "lang=th" in page.url
