"""Activities members (and sometimes guests) can attend: sign-up, waiting list, one calendar with the meetings."""
