"""The line diff between two versions (plain rows; the template escapes them)."""

from oversight.knowledge.diffing import ADDED, REMOVED, SAME, Row, changed, diff_lines


def test_diff_marks_removed_then_added_lines_in_order():
    rows = diff_lines("a\nb\nc", "a\nB\nc\nd")
    assert rows == [Row(SAME, "a"), Row(REMOVED, "b"), Row(ADDED, "B"), Row(SAME, "c"), Row(ADDED, "d")]
    assert changed(rows)
    assert not changed(diff_lines("x", "x"))


def test_diff_keeps_markup_as_text():
    rows = diff_lines("", "<script>alert(1)</script>")
    assert rows == [Row(ADDED, "<script>alert(1)</script>")]
