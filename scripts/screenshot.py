"""Screenshot a page of a running Odoo as a logged-in user, for the README and
for looking at a screen as a user would (headless Chromium, DevTools protocol).

Usage: screenshot.py URL OUT.png [--db sst_demo] [--login admin] [--password admin]
       [--js STEP]... [--wait SECONDS] [--size 1400x900]

Each ``--js`` step is JavaScript evaluated in the page (awaited if it returns
a promise) after the page loaded, in order, with ``--wait`` seconds after each.
Only talks to 127.0.0.1.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import websocket


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticate(base, db, login, password):
    request = urllib.request.Request(
        f"{base}/web/session/authenticate",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "params": {"db": db, "login": login, "password": password},
            }
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
        if body.get("error"):
            raise SystemExit(f"login failed: {body['error']}")
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session_id="):
                return header.split(";", 1)[0].split("=", 1)[1]
    raise SystemExit("no session cookie")


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=120)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--db", default="sst_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--js", action="append", default=[])
    parser.add_argument("--wait", type=float, default=2.0)
    parser.add_argument("--size", default="1400x900")
    args = parser.parse_args()
    parsed = urllib.parse.urlsplit(args.url)
    assert parsed.hostname in ("127.0.0.1", "localhost"), "local Odoo only"
    base = f"{parsed.scheme}://{parsed.netloc}"
    session = authenticate(base, args.db, args.login, args.password)
    width, height = (int(v) for v in args.size.split("x"))
    port = free_port()
    profile = tempfile.mkdtemp()
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    browser = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--remote-debugging-port={port}",
         f"--window-size={width},{height}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    targets = [t for t in json.load(r) if t["type"] == "page"]
                if targets:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        page = Page(targets[0]["webSocketDebuggerUrl"])
        page.call("Network.enable")
        page.call(
            "Network.setCookie",
            name="session_id",
            value=session,
            domain=parsed.hostname,
            path="/",
        )
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        page.call("Page.enable")
        page.call("Page.navigate", url=args.url)
        time.sleep(max(args.wait, 4))
        for step in args.js:
            result = page.call(
                "Runtime.evaluate",
                expression=step,
                awaitPromise=True,
                returnByValue=True,
            )
            if result.get("exceptionDetails"):
                raise SystemExit(f"step failed: {result['exceptionDetails']}")
            value = result.get("result", {}).get("value")
            if value is not None:
                print(value)
            time.sleep(args.wait)
        shot = page.call("Page.captureScreenshot", format="png")
        with open(args.out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(args.out)
    finally:
        browser.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    main()
