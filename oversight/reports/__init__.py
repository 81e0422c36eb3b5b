"""Service reports (服务报告) and the vendor comparison dashboard, plus the document building blocks they share
with settlement statements (PDF with an embedded CJK font, SVG and PDF charts, spreadsheet helpers)."""
