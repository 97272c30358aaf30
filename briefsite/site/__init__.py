"""Site: the pages of the site, what each shows, and what each is made from.

Imports `link`, `anchor`, `read` and below. Plain values out: no templates, no files."""
