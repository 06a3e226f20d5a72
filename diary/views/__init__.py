"""Diary views, one module per feature: nights, beds, transfer (CSV), report, share, fhir."""
