"""One screen per file: the four views (modes), and the dialogs pushed over them."""
