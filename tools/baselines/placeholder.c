/* placeholder translation unit; delete when a baseline lands. */
