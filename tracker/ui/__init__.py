"""The Textual app. Start it with `tracker.ui.app.run_app`, or build one with `create_app`."""
