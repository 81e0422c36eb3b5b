"""Pure-Python business-time engine (no Django): exact, DST-aware, cached, vectorisable.

The public names live in :mod:`oversight.businesstime.engine` (one list of them, there); Chinese holiday data
in :mod:`oversight.businesstime.china`.
"""
