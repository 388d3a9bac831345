"""actiontrack: exit-interview feedback turned into owned, visible actions."""
