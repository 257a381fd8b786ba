"""The review site: pages made for reading, comparing and reviewing (the admin is for entering)."""
