"""Test helpers for code that reads, checks or writes reports.

:mod:`govdisclosure.testing.strategies` holds the hypothesis strategies
(``from govdisclosure.testing import strategies``); it needs hypothesis, which
comes with the ``test`` extra (``pip install govdisclosure[test]``). This
package imports nothing on its own, so importing it never requires hypothesis,
and no core module of govdisclosure imports it.
"""
