#!/usr/bin/env python3
"""The search page tested as a person would use it, in Debian's headless Chromium.

Indexes the bundled corpus, starts `vnsearch serve` on a free loopback port, opens `/`, types
`cum thi dua so 8` into the search box and presses Enter, expects the portal article first with
<mark> highlights, follows a facet and the next page, checks the page at phone width, and saves
screenshots at desktop and phone widths. Exits 77 (ctest's skip) with a visible message only
where Chromium is missing or cannot start.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SKIP = 77
PORTAL_TITLE = "cụm thi đua số 8"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok: {what}")


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(args):
    chromium = find_chromium()
    if chromium is None:
        print("SKIPPED: no chromium on this machine (scripts/install-deps.sh installs it)")
        return SKIP
    work = tempfile.mkdtemp(prefix="vnsearch-browser-")
    server = browser = None
    try:
        db = os.path.join(work, "idx")
        subprocess.run([args.vnsearch, "index", "--db", db, args.corpus], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([args.vnsearch, "serve", "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_http(base + "/healthz")

        devtools = free_port()
        browser = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             f"--remote-debugging-port={devtools}", f"--user-data-dir={work}/profile",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            page = cdp.Page(devtools, timeout=30)
        except Exception as error:  # the browser would not start here: a skip, said aloud
            print(f"SKIPPED: chromium did not start: {error}")
            return SKIP
        page.call("Page.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=900,
                  deviceScaleFactor=1, mobile=False)

        page.navigate(base + "/")
        check(page.evaluate("document.documentElement.lang") == "vi", "the page says lang=vi")
        check(page.evaluate("!!document.querySelector('input[name=q]')"), "a search box")

        # Type and press Enter, as a person would.
        page.evaluate("document.querySelector('input[name=q]').focus()")
        page.call("Input.insertText", text="cum thi dua so 8")
        page.events.clear()
        for kind in ("keyDown", "keyUp"):
            page.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                      windowsVirtualKeyCode=13, nativeVirtualKeyCode=13,
                      **({"text": "\r"} if kind == "keyDown" else {}))
        page.wait_event("Page.loadEventFired")
        check("q=cum" in page.evaluate("location.search"), "the query is in the URL")
        check(page.evaluate("document.querySelector('input[name=q]').value") == "cum thi dua so 8",
              "the query is kept in the box")
        first = page.evaluate("(document.querySelector('ol.hits > li h2') || {}).textContent || ''")
        check(PORTAL_TITLE in first.lower(), f"the portal article is first: {first.strip()[:80]}")
        marks = page.evaluate("document.querySelectorAll('ol.hits > li:first-child mark').length")
        check(marks > 0, f"its snippet highlights the matches ({marks} <mark>)")
        page.screenshot(os.path.join(args.out, "search-desktop.png"), 1280, 900)

        # Next page.
        next_href = page.evaluate(
            "(Array.from(document.querySelectorAll('nav.pages a')).find(a => a.rel == 'next' ||"
            " /page=2/.test(a.href)) || {}).href || ''")
        check("page=2" in next_href, "a link to the next page")
        page.navigate(next_href)
        check(page.evaluate("document.querySelector('ol.hits').start") == 11,
              "the second page starts at hit 11")

        # A facet filter: it shows in the URL and narrows the count.
        page.navigate(base + "/?q=thi+dua")
        facet = page.evaluate("(document.querySelector('.facets a') || {}).href || ''")
        check(facet.startswith(base), "a facet link")
        page.navigate(facet)
        check(any(k in page.evaluate("location.search") for k in ("source=", "category=", "year=")),
              "the facet is in the URL")
        check(page.evaluate("document.querySelectorAll('ol.hits > li').length") > 0,
              "the filtered page has hits")

        # Phone width: nothing wider than the screen.
        page.navigate(base + "/?q=cum+thi+dua+so+8")
        page.screenshot(os.path.join(args.out, "search-phone.png"), 320, 700)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        check(overflow <= 320, f"no horizontal scrolling at 320 px (page is {overflow} px wide)")
        print(f"screenshots in {args.out}")

        server.send_signal(signal.SIGTERM)
        check(server.wait(timeout=30) == 0, "the server exits 0 on SIGTERM")
        server = None
        return 0
    finally:
        if browser:
            browser.kill()
            browser.wait()
        if server:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vnsearch", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--out", required=True, help="folder for the screenshots")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    try:
        sys.exit(run(args))
    except (AssertionError, TimeoutError, RuntimeError, ConnectionError) as error:
        print(f"FAILED: {error}")
        sys.exit(1)


if __name__ == "__main__":
    main()
