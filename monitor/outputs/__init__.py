"""What people read: the Atom feed, the HTML report, exports."""
