"""Fee maths (费用结算), pure Python with no Django: base fee, unit charges, score bands, service credits.

A pure calculation package below every app, like ``businesstime`` and ``sla``: contracts turn their terms into
its dataclasses (and validate them by building one), settlement stores the statement :func:`calc.settle`
returns. See ``calc``'s docstring and ``docs/formulas.md``.
"""
