"""Bodies (cliëntenraad, klankbordgroep, ambassadeurs …), their members, and organisations."""
