"""The members' handbook: pages in a tree, edited by secretaries, with every revision kept."""
