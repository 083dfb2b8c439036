"""Events, series and their editions (numbering, titles, next edition), and their calendar files."""
