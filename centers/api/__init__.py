"""Read-only open-data endpoints: a FindTreatment-compatible locator (see ``locator``)."""
