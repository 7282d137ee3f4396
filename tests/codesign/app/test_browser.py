"""The app end to end in a real headless Chromium (Debian's), driven by Playwright: start the
server, run a 1 000-trial search, wait for the Pareto plot, download the CSV and check it."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pandas as pd
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium for the browser test", pytrace=False)
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("app") / "server.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "codesign", "app", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail("the app did not start within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.mark.parametrize("platforms", [["optical_tube"],
                                       ["optical_tube", "crossbar (parasitic_n4)", "gpu"]],
                         ids=["one platform", "three platforms"])
def test_search_plot_and_csv_download_in_chromium(server, tmp_path, platforms):
    query = "&".join(f"platform={urllib.parse.quote(p)}" for p in platforms)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(accept_downloads=True)
        started = time.perf_counter()
        page.goto(f"{server}/?{query}")
        page.get_by_text("Explore Pareto fronts").wait_for(timeout=60_000)
        button = page.get_by_role("button", name="Run")
        button.wait_for(timeout=60_000)
        preview = page.locator(".js-plotly-plot .gtitle", has_text="Exact reference fronts").first
        preview.wait_for(timeout=60_000)  # the page's first plot: the reference-front preview
        cold_start = time.perf_counter() - started

        # .first: while Streamlit swaps a chart, the old and the new plot coexist for a moment
        results = page.locator(".js-plotly-plot .gtitle", has_text="Pareto fronts at").first
        clicked = time.perf_counter()
        button.click()
        results.wait_for(timeout=120_000)
        to_plot = time.perf_counter() - clicked
        searched = page.get_by_text("searched in").inner_text()

        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Download all trials (CSV)").click()
        path = tmp_path / "trials.csv"
        download.value.save_as(path)

        # a second search in the warm page (plotly already loaded): another seed
        seed = page.get_by_label("Seed", exact=True)
        seed.fill("1")
        seed.press("Enter")
        preview.wait_for(timeout=60_000)
        clicked = time.perf_counter()
        page.get_by_role("button", name="Run").click()
        results.wait_for(timeout=120_000)
        warm_plot = time.perf_counter() - clicked
        page.screenshot(path=str(tmp_path / "explore.png"), full_page=True)
        browser.close()

    frame = pd.read_csv(path)
    # one plain platform: exactly the command line's export; several: plus a variant column
    labels = frame["variant"] if "variant" in frame else frame["platform"]
    assert set(labels) == set(platforms)
    assert (frame.groupby(labels).size() == 1000).all()
    assert frame.loc[frame["pareto"], "feasible"].all()
    expected = ["platform", "params", "trial", "feasible", "pareto"]
    assert [c for c in frame.columns[:6] if c != "variant"][:5] == expected
    print(f"\nbrowser timings: cold start to the first drawn plot {cold_start:.2f} s; "
          f"Run click to drawn Pareto plot ({len(platforms)} platform(s) × 1 000 trials) "
          f"{to_plot:.2f} s ({searched.split(', ')[-1]}), warm page {warm_plot:.2f} s",
          file=sys.stderr)
