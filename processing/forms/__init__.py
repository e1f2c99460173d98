"""Forms of the ministry's side, one module a part of the back office, as its views are."""
