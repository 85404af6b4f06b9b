"""The checks of the CI gate: small functions that find problems, never decide publication.

* :mod:`~carepages.checks.model` -- what a check is and what it finds (issues, findings, codes);
* :mod:`~carepages.checks.registry` -- the checks in the order they run, and the runner;
* :mod:`~carepages.checks.context` -- what they look at: sources, templates, a locale's catalogs;
* one module per family: :mod:`~carepages.checks.sources` (front matter),
  :mod:`~carepages.checks.catalog` (files and progress),
  :mod:`~carepages.checks.disclaimers`, :mod:`~carepages.checks.links`,
  :mod:`~carepages.checks.numbers`, :mod:`~carepages.checks.structure` (markup and HTML),
  :mod:`~carepages.checks.safety` (control characters, placeholders),
  :mod:`~carepages.checks.wording` (identical, whitespace, punctuation),
  :mod:`~carepages.checks.allow` (reviewers' allowances), :mod:`~carepages.checks.built` (dist/);
* :mod:`~carepages.checks.report` -- the findings in four output formats.

What the findings mean for publication is decided once, in :mod:`carepages.verdict`;
the ``carepages check`` command itself is :mod:`carepages.gate`.
"""
