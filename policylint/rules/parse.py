"""PL0xx: problems the parser reports while reading the file.

The parser emits these diagnostics itself (it must never raise); they are registered
here so `policylint rules` lists them and configuration can change their severity.
"""
from __future__ import annotations

from . import _no_findings, rule

rule("PL001", "syntax", "error", None,
     summary="The file follows the policylint Markdown dialect.",
     rationale="A policy the tools cannot read reliably cannot be checked against Art. 13 "
               "and 14 GDPR or diffed for material changes (WP260 para. 29); every "
               "repair the parser had to make is reported so nothing is silently misread.",
     fix="correct the construct named in the message (unclosed front matter or code "
         "fence, unknown heading tag, text in a directive)")(_no_findings)

rule("PL002", "encoding", "error", None,
     summary="The file is UTF-8 text.",
     rationale="Privacy notices in Nordic and other European languages need characters "
               "outside ASCII; a file that is not valid UTF-8 cannot be read as the "
               "concise, intelligible text Art. 12(1) GDPR requires.",
     fix="save the file as UTF-8 text")(_no_findings)

rule("PL003", "front-matter", "error", None,
     summary="Front matter keys and values match the schema.",
     rationale="Front matter carries facts rules rely on (controller, contact, DPO, "
               "authority, effective date); a mistyped key or date silently removes "
               "that evidence for Art. 13(1)(a),(b) and 13(2)(d).",
     fix="use the keys and value formats of schemas/front-matter.json")(_no_findings)
