"""Shared document rendering (PDF with an embedded CJK font, spreadsheet helpers) for statements and service reports.

A plain package, not a Django app: it holds no models and no URLs.
"""
