"""Testing toolkit for users' own SEND systems (needs the ``testing`` extra)."""
