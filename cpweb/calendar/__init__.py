"""The shared calendar: every feature with dated things feeds /agenda and the iCal feeds."""
