"""The region's reference data (categories, species, products, places) and its loader."""
