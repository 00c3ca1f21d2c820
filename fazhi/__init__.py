"""Fazhi (法治): law-based administration for a Chinese township government."""
