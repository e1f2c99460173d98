"""The ministry's back office, by area: calls and worklists, cases, decisions, reviews and follow-up."""
