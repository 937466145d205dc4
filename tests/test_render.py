"""`policylint render --format html`: a standalone page that is safe to publish.

Nothing in a policy may run as code on the page (its text is never trusted as
HTML) and the page makes no request of its own.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from click.testing import CliRunner

from policylint.cli import main
from policylint.init import starter_policy
from policylint.parser import parse
from policylint.render import render_html, slug

HOSTILE = """---
title: "Privacy <script>alert(1)</script> & more"
lang: sv
version: "2.1"
effective: 2026-03-01
controller: "Acme <b>AB</b>"
---

<!-- Vägledning: den här kommentaren ska inte synas. -->

# Integritetspolicy <script>alert(2)</script>

Text <script>alert(3)</script> and <img src="https://tracker.example/p.gif"> and
<a href="https://example.com" onclick="steal()">a raw link</a>.

<div onmouseover="x()">raw block</div>

<script>
alert(4)
</script>

![tracking pixel](https://tracker.example/pixel.gif)

[bad link](javascript:alert(5)) and [good link](https://example.com/terms).

## Hur länge sparas uppgifterna {#retention}

- **Fakturor:** 7 år.

## Hur länge sparas uppgifterna

Samma rubrik igen.

## Dina rättigheter <script>alert(6)</script>

### Rätt till tillgång {#access-right}

Text.

<!-- policylint-disable PL301 -->

## Kontakt {#contact}

Mejla {{ E-postadress }}.
"""


class _Tags(HTMLParser):
    """Every start tag and attribute of a page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(page)
    return p.tags


def test_policy_text_never_becomes_markup():
    page = render_html(HOSTILE)
    assert "<script" not in page.lower()
    found = tags(page)
    names = {t for t, _ in found}
    assert not names & {"script", "img", "iframe", "object", "embed", "link"}
    assert not any(k.startswith("on") for _, a in found for k in a)
    assert not any(a.get("href", "").startswith("javascript:") for _, a in found)
    # Shown as text instead.
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert "&lt;div onmouseover" in page
    assert '<a href="https://example.com/terms">good link</a>' in page


def test_page_makes_no_requests():
    page = render_html(HOSTILE)
    for tag, attrs in tags(page):
        assert "src" not in attrs, tag
        if tag == "link":
            raise AssertionError("no stylesheet or font links")
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "url(" not in style and "@import" not in style and "http" not in style
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp


def test_title_lang_meta_and_escaping():
    page = render_html(HOSTILE)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"sv\">")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title == "Privacy &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
    assert '<time datetime="2026-03-01">2026-03-01</time>' in page
    assert "<dt>Gäller från</dt>" in page and "<dt>Version</dt><dd>2.1</dd>" in page
    assert "Vägledning" not in page              # guidance comments are for authors
    assert "policylint-disable" not in page
    assert '<mark class="placeholder">{{ E-postadress }}</mark>' in page


def test_heading_anchors_and_table_of_contents():
    page = render_html(HOSTILE)
    ids = re.findall(r'<h[1-6] id="([^"]+)"', page)
    assert ids == ["integritetspolicy-alert2", "retention",
                   "hur-länge-sparas-uppgifterna", "dina-rättigheter-alert6",
                   "access-right", "contact"]
    assert len(set(ids)) == len(ids)
    nav = re.search(r'<nav class="toc" aria-label="Innehåll">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r'href="#([^"]+)"', nav) == ids[1:]
    assert "<ul>" in nav.split("access-right")[0].rsplit("dina-r", 1)[1]   # nested under its parent
    # The table of contents comes after the introduction, before the first section.
    assert page.index("good link") < page.index('<nav class="toc"') < page.index('id="retention"')


def test_slugs():
    assert slug("Hur länge sparas uppgifterna?") == "hur-länge-sparas-uppgifterna"
    assert slug("2. Annan information") == "2-annan-information"
    assert slug("???") == "section"


def test_rendering_without_front_matter_or_h1():
    page = render_html("## Cookies\n\nWe use none.\n")
    assert "<h1>Privacy policy</h1>" in page and 'id="cookies"' in page
    assert "<html lang=" in page


def test_starter_policy_renders_every_section():
    doc = parse(starter_policy("de", "2026-01-01"))
    page = render_html(doc)
    assert '<html lang="de">' in page and 'aria-label="Inhalt"' in page
    for s in doc.walk():
        if s.tag:
            assert f'id="{s.tag}"' in page


def test_cli_render(tmp_path):
    src = tmp_path / "p.md"
    src.write_text(HOSTILE, "utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["render", str(src), "--format", "html"])
    assert r.exit_code == 0 and r.output == render_html(parse(HOSTILE, str(src)))
    out = tmp_path / "p.html"
    r = runner.invoke(main, ["render", str(src), "-o", str(out)])
    assert r.exit_code == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")
    r = runner.invoke(main, ["render", str(src), "-o", str(out)])
    assert r.exit_code == 2 and "already exists" in r.output
    r = runner.invoke(main, ["render", str(src), "-o", str(out), "--force"])
    assert r.exit_code == 0
    r = runner.invoke(main, ["render", str(tmp_path / "nope.md")])
    assert r.exit_code == 2
