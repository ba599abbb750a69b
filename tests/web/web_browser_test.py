#!/usr/bin/python3
"""kawal-web in a real browser (Debian's chromium through chromedriver and
python3-selenium), against a real kawal-server seeded by a real device
(kawal-field): log in, the overview shows what ReportService (kawal-report)
returns, drill down to a desa and an activity, its photo decodes, the CSV and
XLSX downloads hold the rows, an XSS name shows as text, an out-of-scope URL
gives 403, a facilitator is refused, wrong passwords are throttled, logout
ends the session. Screenshots of every page go to --out.

A missing chromium or chromedriver FAILS the test (KAWAL_SKIP_BROWSER_TESTS=1
skips it, docs/build.md)."""

import argparse
import csv
import http.cookiejar
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib

ARGS = None
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DESA = "62.10.01.2002"  # seeded from 62.10 (Gunung Mas)
XSS = "<script>alert(1)</script>"
OFFICER_PW = "rahasia-siti-2026"
YEAR = time.localtime().tm_year


def png_bytes(width=40, height=30):
    """A small valid red PNG."""
    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def start(args, pattern, log_path, env=None):
    """Starts a server process; returns (process, port) once `pattern` shows on stdout."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(pattern, line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    raise RuntimeError("%s did not start; see %s" % (args[0], log_path))


def run(args, stdin=None, env=None):
    r = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=120, env=env)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s %s" % (" ".join(args[:3]), r.returncode, r.stdout, r.stderr))
    return r.stdout


class Http:
    """A tiny browser-like client (cookies kept) for status codes and downloads."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def cookie(self, name):
        for c in self.jar:
            if c.name == name:
                return c.value
        return None

    def request(self, path, form=None, cookie_header=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data)
        if cookie_header is not None:
            req.add_header("Cookie", cookie_header)
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def login(self, name, password):
        self.request("/login")  # the CSRF cookie
        return self.request("/login", {"csrf": self.cookie("kawal_csrf"), "name": name,
                                       "password": password, "next": "/"})


class WebBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kawal_web_test_")
        cls.out = ARGS.out
        shutil.rmtree(cls.out, ignore_errors=True)
        os.makedirs(cls.out)
        data = os.path.join(cls.tmp, "data")
        cls.server, cls.server_port = start(
            [ARGS.server_bin, "--data_dir=" + data, "--listen=127.0.0.1:0", "--seed_region=62.10",
             "--regions_file=" + ARGS.regions_file],
            r"listening on 127\.0\.0\.1:(\d+)", os.path.join(cls.out, "kawal-server.log"))
        cls.address = "127.0.0.1:%d" % cls.server_port
        admin = [ARGS.admin_bin, "--server=" + cls.address, "--token_file=" + os.path.join(data, "admin.token")]
        st = os.stat(os.path.join(data, "admin.password"))
        assert st.st_mode & 0o077 == 0, "admin.password must be 0600"
        with open(os.path.join(data, "admin.password")) as f:
            cls.admin_password = f.read().strip()
        run(admin + ["user", "add", "--name=siti", "--role=district_officer", "--scopes=62.10",
                     "--password_stdin"], stdin=OFFICER_PW + "\n")
        run(admin + ["user", "add", "--name=tono", "--role=district_officer", "--scopes=62.10",
                     "--password_stdin"], stdin="rahasia-tono-2026\n")
        run(admin + ["user", "add", "--name=budi", "--role=district_officer", "--scopes=62.10.01"])
        cls.admin = admin
        out = run(admin + ["user", "add", "--name=ana", "--role=facilitator", "--scopes=" + DESA,
                           "--password_stdin", "--json"], stdin="rahasia-ana-2026\n")
        ana_token = json.loads(out)["token"]
        # A real device: kawal-field records offline, then syncs.
        home = os.path.join(cls.tmp, "ana")
        field = [ARGS.field_bin, "--home=" + home, "--lang=en"]
        run(field + ["init", "--server=" + cls.address, "--token=" + ana_token])
        act = json.loads(run(field + ["activity", "add", "--village=" + DESA, "--year=%d" % YEAR,
                                      "--name=Jalan usaha tani", "--sector=2", "--sdg=9",
                                      "--budget=DDS:150000000", "--json"]))
        cls.activity_id = act["id"]
        xss = json.loads(run(field + ["activity", "add", "--village=" + DESA, "--year=%d" % YEAR,
                                      "--name=" + XSS, "--sector=1", "--budget=DDS:5000000", "--json"]))
        cls.xss_id = xss["id"]
        photo = os.path.join(cls.tmp, "talud.png")
        with open(photo, "wb") as f:
            f.write(png_bytes())
        run(field + ["report", "add", "--activity=" + cls.activity_id, "--progress=40",
                     "--spent=DDS:60000000", "--notes=Talud dikerjakan", "--photo=" + photo,
                     "--stage=50", "--caption=Talud sisi barat", "--lat=-1.1", "--lon=113.8"])
        run(field + ["sync"])
        # What ReportService says, through kawal-report.
        cls.report = json.loads(run([ARGS.report_bin, "--server=" + cls.address,
                                     "--token_file=" + os.path.join(data, "admin.token"),
                                     "--region=62.10", "--year=%d" % YEAR, "--format=json"]))
        cls.web, cls.web_port = start([ARGS.web_bin, "--listen=127.0.0.1:0", "--server=" + cls.address],
                                      r"listening on http://127\.0\.0\.1:(\d+)/",
                                      os.path.join(cls.out, "kawal-web.log"))
        cls.base = "http://127.0.0.1:%d" % cls.web_port

        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=360,900", "--user-data-dir=" + os.path.join(cls.tmp, "chrome")):
            options.add_argument(flag)
        # A 360-px-wide phone screen (a headless window cannot be narrower than 500).
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 360, "height": 800, "pixelRatio": 1.0}})
        cls.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)

    @classmethod
    def tearDownClass(cls):
        for attr in ("driver",):
            if hasattr(cls, attr):
                cls.driver.quit()
        for proc in ("web", "server"):
            if hasattr(cls, proc):
                getattr(cls, proc).terminate()
                getattr(cls, proc).wait(timeout=30)
                getattr(cls, proc).stdout.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.out, name + ".png"))

    def text(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def follow(self, element, url_part):
        """Clicks a link and waits until the browser shows the page it leads to."""
        from selenium.webdriver.support.ui import WebDriverWait
        element.click()
        WebDriverWait(self.driver, 30).until(
            lambda d: url_part in d.current_url and d.execute_script("return document.readyState") == "complete")

    def browser_login(self, name, password):
        from selenium.webdriver.common.by import By
        d = self.driver
        d.get(self.base + "/login")
        d.find_element(By.ID, "name").send_keys(name)
        d.find_element(By.ID, "password").send_keys(password)
        d.find_element(By.ID, "login").click()
        # Until the answer is shown: another page, or the form with its error.
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(d, 30).until(lambda d: "/login" not in d.current_url
                                   or d.find_elements(By.ID, "login-error"))

    def test_1_officer_journey(self):
        from selenium.webdriver.common.by import By
        d = self.driver
        d.get(self.base + "/")
        self.assertIn("/login", d.current_url)
        self.shot("01-login")
        self.browser_login("siti", OFFICER_PW)
        self.assertTrue(d.current_url.endswith("/region/62.10"), d.current_url)
        self.shot("02-overview-kabupaten")
        total = self.report["totals"][0]["figures"]
        self.assertEqual(self.text("#card-activities .v"), str(int(total["activities"])))
        self.assertEqual(int(total["activities"]), 2)
        self.assertEqual(re.sub(r"\D", "", self.text("#card-budget .v")), str(int(total["budget"])))
        self.assertEqual(re.sub(r"\D", "", self.text("#card-spent .v")), str(int(total["spent"])))
        # Drill down: kabupaten -> kecamatan -> desa -> activity.
        self.follow(d.find_element(By.CSS_SELECTOR, "#children a[href='/region/62.10.01']"), "/region/62.10.01")
        self.assertTrue(d.current_url.endswith("/region/62.10.01"))
        self.shot("03-overview-kecamatan")
        self.follow(d.find_element(By.CSS_SELECTOR, "#children a[href='/desa/%s']" % DESA), "/desa/" + DESA)
        self.shot("04-desa")
        self.assertIn("ana", self.text("#devices"))  # the device kawal-field synced with
        names = [a.text for a in d.find_elements(By.CSS_SELECTOR, "#activities td a")]
        self.assertIn("Jalan usaha tani", names)
        self.assertIn(XSS, names)  # shown as text, not run
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "#activities script"), [])
        self.follow(d.find_element(By.LINK_TEXT, "Jalan usaha tani"), "/activity/")
        self.assertIn("/activity/%s/%s" % (DESA, self.activity_id), d.current_url)
        self.assertIn("Talud dikerjakan", self.text("#reports"))
        img = d.find_element(By.CSS_SELECTOR, "#photos img.photo")
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(d, 30).until(lambda d: d.execute_script("return arguments[0].complete", img))
        self.assertGreater(d.execute_script("return arguments[0].naturalWidth", img), 0)
        self.assertIn("Talud sisi barat", self.text("#photos"))
        self.shot("05-activity")
        d.get(self.base + "/activity/%s/%s" % (DESA, self.xss_id))
        self.assertEqual(self.text("#activity-title"), XSS)
        self.shot("06-activity-xss")
        d.get(self.base + "/silent/62.10?days=0")
        self.assertIn(DESA, self.text("#silent"))
        self.shot("07-silent-villages")
        d.get(self.base + "/region/62.11")
        self.assertIn("Akses ditolak", self.text("#message"))
        self.shot("08-forbidden")
        d.get(self.base + "/lang?to=en&next=/region/62.10")
        self.assertIn("Budget", self.text("#card-budget .k"))
        self.shot("09-overview-english")
        d.get(self.base + "/lang?to=id&next=/region/62.10")
        # Logout ends the session: the old cookie no longer works.
        old = d.get_cookie("kawal_session")["value"]
        d.find_element(By.ID, "logout").click()
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(d, 30).until(lambda d: "/login" in d.current_url)
        self.shot("10-after-logout")
        status, _, _ = Http(self.base).request("/api/me", cookie_header="kawal_session=" + old)
        self.assertEqual(status, 401)

    def test_2_downloads_and_scope_over_http(self):
        h = Http(self.base)
        status, headers, _ = h.login("siti", OFFICER_PW)
        self.assertEqual(status, 303)
        status, headers, body = h.request("/download/progress/62.10.csv?year=%d" % YEAR)
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"))))
        self.assertEqual(rows[0][0], "code")
        self.assertIn("62.10.01", [r[0] for r in rows[1:]])
        status, headers, body = h.request("/download/progress/62.10.01.xlsx?year=%d" % YEAR)
        self.assertEqual(status, 200)
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            xml = z.read("xl/worksheets/sheet1.xml").decode() + z.read("xl/sharedStrings.xml").decode()
        # The desa's row: its code (a string) and its budget (a number cell).
        self.assertTrue(DESA in xml, "desa code missing from the XLSX")
        self.assertTrue("<v>155000000</v>" in xml, "desa budget missing from the XLSX")
        status, headers, body = h.request("/api/desa/" + DESA)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertNotIn(b"<script>", body)  # < and > escaped as \u003c, \u003e
        names = {a["name"] for a in json.loads(body)["activities"]}
        self.assertEqual(names, {"Jalan usaha tani", XSS})
        # The photo's path names its SHA-256 and type: served without
        # pulling the desa, and a SHA-256 not the record's is refused. The
        # page shows a thumbnail (a JPEG, even of a PNG) linking to it.
        status, _, body = h.request("/activity/%s/%s" % (DESA, self.activity_id))
        self.assertEqual(status, 200)
        full, thumb = re.search(r'<a href="(/photo/[^"]+)"><img class="photo" src="(/thumb/[^"]+)"',
                                body.decode()).groups()
        self.assertTrue(re.fullmatch(r"/photo/%s/[^/]+/[0-9a-f]{64}\.png" % re.escape(DESA), full), full)
        status, headers, body = h.request(full)
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "image/png")
        self.assertTrue(body.startswith(b"\x89PNG"))
        status, headers, body = h.request(thumb)
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "image/jpeg")
        self.assertTrue(body.startswith(b"\xff\xd8\xff"))
        status, _, _ = h.request(re.sub(r"[0-9a-f]{64}", "0" * 64, full))
        self.assertEqual(status, 404)
        status, _, body = h.request("/download/silent/62.10.csv?days=0")
        self.assertEqual(status, 200)
        self.assertIn(DESA.encode(), body)
        for path in ("/region/62.11", "/desa/62.11.01.2001", "/api/progress/62.11",
                     "/activity/62.11.01.2001/abc"):
            status, headers, body = h.request(path)
            self.assertEqual(status, 403, path)
        status, headers, _ = h.request("/region/62.10")
        self.assertIn("script-src 'none'", headers["Content-Security-Policy"])
        self.assertIn("frame-ancestors 'none'", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        # CSRF: a form without the token is refused.
        status, _, _ = Http(self.base).request("/login", {"name": "siti", "password": OFFICER_PW})
        self.assertEqual(status, 403)

    def test_3_facilitator_refused(self):
        self.browser_login("ana", "rahasia-ana-2026")
        self.assertIn("pendamping", self.text("#login-error"))
        self.shot("11-facilitator-refused")
        status, _, _ = Http(self.base).login("ana", "rahasia-ana-2026")
        self.assertEqual(status, 403)

    def test_4_wrong_password_throttled(self):
        h = Http(self.base)
        for _ in range(5):
            status, _, _ = h.login("tono", "salah-salah-salah")
            self.assertEqual(status, 401)
        status, _, body = h.login("tono", "rahasia-tono-2026")  # even the right one, now
        self.assertEqual(status, 429)
        self.browser_login("tono", "rahasia-tono-2026")
        self.assertIn("Terlalu banyak", self.text("#login-error"))
        self.shot("12-throttled")

    def test_5_admin_password_from_first_start_and_passwd(self):
        status, _, _ = Http(self.base).login("admin", self.admin_password)
        self.assertEqual(status, 303)
        status, _, _ = Http(self.base).login("budi", "belum-ada-sandi")
        self.assertEqual(status, 401)  # no password yet
        run(self.admin + ["user", "passwd", "budi"], stdin="sandi-baru-budi\n")
        h = Http(self.base)
        status, _, _ = h.login("budi", "sandi-baru-budi")
        self.assertEqual(status, 303)
        status, _, body = h.request("/api/me")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["user"]["name"], "budi")
        # A new password ends the sessions opened with the old one.
        run(self.admin + ["user", "passwd", "budi"], stdin="sandi-lagi-budi\n")
        status, _, _ = h.request("/api/me")
        self.assertEqual(status, 401)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    for flag in ("server-bin", "admin-bin", "field-bin", "report-bin", "web-bin", "regions-file", "out"):
        parser.add_argument("--" + flag, required=True)
    ARGS, rest = parser.parse_known_args()
    if os.environ.get("KAWAL_SKIP_BROWSER_TESTS", "") not in ("", "0"):
        print("skipped: KAWAL_SKIP_BROWSER_TESTS is set")
        return 0
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            print("%s is not installed (Debian package %s; scripts/install-deps.sh --test installs it)"
                  % (path, package))
            return 1
    try:
        import selenium  # noqa: F401
    except ImportError:
        print("python3-selenium is not installed (scripts/install-deps.sh --test installs it)")
        return 1
    result = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2).result
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
