"""Tests of cxpath.spc (a package so that module names cannot clash with other folders)."""
