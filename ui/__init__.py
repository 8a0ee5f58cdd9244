"""The thin UI layer: one cached loader, language, URL-bound inputs, and the number/chart/source helpers."""
